package main

import (
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
)

// ttySession runs tlskit in a real terminal (a tmux pane) so the prompts are
// exercised the way a person meets them.
type ttySession struct {
	t      *testing.T
	socket string
	dir    string
}

func requirePeer(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("TLSKIT_REQUIRE_PEERS") != "" {
			t.Fatalf("%s is required (TLSKIT_REQUIRE_PEERS is set) but not installed", name)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// startTTY runs "tlskit args..." in a new tmux session in dir; when it exits
// the pane shows "EXIT=<code>".
func startTTY(t *testing.T, dir string, args ...string) *ttySession {
	t.Helper()
	requirePeer(t, "tmux")
	bin, err := exec.LookPath("tlskit")
	if err != nil {
		t.Fatal(err)
	}
	s := &ttySession{t: t, socket: fmt.Sprintf("tlskit-test-%d-%d", os.Getpid(), time.Now().UnixNano()), dir: dir}
	// The trap keeps the shell alive through a Ctrl-C meant for tlskit
	// (a trapped signal is reset to its default in the child).
	shell := fmt.Sprintf("trap true INT; %s %s; echo EXIT=$?; sleep 60", bin, strings.Join(args, " "))
	s.tmux("new-session", "-d", "-x", "150", "-y", "40", "-c", dir, "sh", "-c", shell)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *ttySession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *ttySession) screen() string { return s.tmux("capture-pane", "-p", "-S", "-100") }

// waitFor polls the screen until it shows want; the limit only guards
// against a hung test, it is not a speed assertion.
func (s *ttySession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		scr := s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("screen never showed %q; it shows:\n%s", want, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// answer waits for a prompt to appear count times with the cursor on it,
// then for the screen to settle, and types text and Enter. survey asks the
// terminal for the cursor position as each prompt starts reading; keys typed
// before that answer arrives would be swallowed, hence the settling.
func (s *ttySession) answer(prompt string, count int, text string) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for scr := s.screen(); strings.Count(scr, prompt) < count || !strings.Contains(lastLine(scr), prompt); scr = s.screen() {
		if time.Now().After(deadline) {
			s.t.Fatalf("prompt %q never appeared %d times; screen:\n%s", prompt, count, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.settle()
	if text != "" {
		s.tmux("send-keys", "-l", text)
	}
	s.tmux("send-keys", "Enter")
}

// settle waits until two screen captures 200ms apart are the same.
func (s *ttySession) settle() {
	prev := s.screen()
	for i := 0; i < 25; i++ {
		time.Sleep(200 * time.Millisecond)
		cur := s.screen()
		if cur == prev {
			return
		}
		prev = cur
	}
}

// lastLine is the last non-blank line of a screen: where the cursor waits.
func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n "), "\n")
	return lines[len(lines)-1]
}

func TestTTYGenkeyAsksTwiceAndHidesPassphrase(t *testing.T) {
	dir := t.TempDir()
	s := startTTY(t, dir, "genkey", "--algorithm", "ecdsa", "--iter", "1000")
	const p1, p2 = "Enter pass phrase for server.key:", "Verifying - Enter pass phrase for server.key:"
	s.answer(p1, 1, "abc")
	s.waitFor("passphrase too short")
	s.answer(p1, 2, "first-secret")
	s.answer(p2, 1, "other-secret")
	s.waitFor("passphrases do not match")
	s.answer(p1, 3, "first-secret")
	s.answer(p2, 2, "first-secret")
	scr := s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=0") {
		t.Fatalf("genkey failed:\n%s", scr)
	}
	if strings.Contains(scr, "first-secret") || strings.Contains(scr, "other-secret") {
		t.Fatalf("the passphrase was echoed on the terminal:\n%s", scr)
	}
	keyFile := filepath.Join(dir, "server.key")
	if out, err := exec.Command("openssl", "pkey", "-in", keyFile, "-passin", "pass:first-secret", "-noout").CombinedOutput(); err != nil {
		t.Fatalf("openssl cannot read the key with the confirmed passphrase: %v\n%s", err, out)
	}
}

func TestTTYCsrPromptsForSubject(t *testing.T) {
	dir := t.TempDir()
	writeTestKey(t, dir, "hunter22")
	s := startTTY(t, dir, "csr")
	s.answer("Enter pass phrase for server.key:", 1, "hunter22")
	s.answer("Country Name (2 letter code)", 1, "USA")
	s.waitFor("the country must be a 2 letter code")
	s.answer("Country Name (2 letter code)", 2, "US")
	s.answer("State or Province Name", 1, "California")
	s.answer("Locality Name", 1, "")
	s.answer("Organization Name", 1, "Acme, Inc.")
	s.answer("Organizational Unit Name", 1, "")
	s.answer("Common Name", 1, "")
	s.waitFor("the Common Name is required")
	s.answer("Common Name", 2, "My Server")
	s.waitFor("the Common Name must be a host name or IP address")
	s.answer("Common Name", 3, "www.example.com")
	s.answer("Email Address", 1, "")
	s.answer("Subject alternative names", 1, "")
	scr := s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=0") || strings.Contains(scr, "hunter22") {
		t.Fatalf("csr failed or echoed the passphrase:\n%s", scr)
	}
	csr := readCSR(t, filepath.Join(dir, "server.csr"))
	if got, want := csr.Subject.String(), "CN=www.example.com,O=Acme\\, Inc.,ST=California,C=US"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
	if len(csr.DNSNames) != 1 || csr.DNSNames[0] != "www.example.com" {
		t.Errorf("SANs = %v, want the CN as the only DNS name", csr.DNSNames)
	}
}

// writeTestKey writes an encrypted ECDSA server.key with the CLI itself.
func writeTestKey(t *testing.T, dir, pass string) {
	t.Helper()
	cmd := exec.Command("tlskit", "genkey", "--algorithm", "ecdsa", "--iter", "1000", "--passout", "pass:"+pass)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("genkey: %v\n%s", err, out)
	}
}

func readCSR(t *testing.T, path string) *x509.CertificateRequest {
	t.Helper()
	csr, err := certs.ReadCSRFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return csr
}

// TestTTYDERNotWrittenToTerminal: --outform der --out - refuses a terminal
// (binary would garble it) and writes nothing.
func TestTTYDERNotWrittenToTerminal(t *testing.T) {
	dir := t.TempDir()
	runTlskit(t, "genkey", "--algorithm", "ecdsa", "--no-encrypt", "--out", filepath.Join(dir, "server.key"))
	s := startTTY(t, dir, "csr", "--cn", "localhost", "--outform", "der", "--out", "-")
	scr := s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=2") || !strings.Contains(scr, "tlskit: error: DER is binary: it is not written to a terminal") {
		t.Fatalf("csr --outform der to a terminal:\n%s", scr)
	}
}
