package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTTYPromptWithStdoutRedirected: csr --out - > x.csr asks on the
// terminal, echoes nothing for the passphrase (no mask either), and writes
// the request to the redirected stdout.
func TestTTYPromptWithStdoutRedirected(t *testing.T) {
	dir := t.TempDir()
	writeTestKey(t, dir, "hunter22")
	s := startTTY(t, dir, "csr", "--cn", "localhost", "--out", "-", ">", "x.csr")
	const prompt = "Enter pass phrase for server.key:"
	s.answer(prompt, 1, "hunter22")
	scr := s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=0") {
		t.Fatalf("csr failed:\n%s", scr)
	}
	line := scr[strings.Index(scr, prompt):]
	line = line[:strings.Index(line, "\n")]
	if strings.TrimRight(line, " ") != prompt {
		t.Errorf("the passphrase showed as %q after the prompt, want nothing", strings.TrimPrefix(line, prompt))
	}
	readCSR(t, filepath.Join(dir, "x.csr"))
}

// TestTTYCtrlCAtPrompt: Ctrl-C at a passphrase prompt exits 130 with no
// error line, and leaves the terminal echoing again.
func TestTTYCtrlCAtPrompt(t *testing.T) {
	dir := t.TempDir()
	s := startTTY(t, dir, "genkey", "--algorithm", "ecdsa", "--iter", "1000",
		"; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo")
	s.waitFor("Enter pass phrase for server.key:")
	s.settle()
	s.tmux("send-keys", "C-c")
	scr := s.waitFor("EXIT=")
	if !slices.Contains(strings.Fields(scr), "echo") || slices.Contains(strings.Fields(scr), "-echo") {
		t.Errorf("the terminal does not echo after Ctrl-C:\n%s", scr)
	}
	if strings.Contains(scr, "tlskit: error") {
		t.Errorf("Ctrl-C printed an error:\n%s", scr)
	}
	if _, err := os.Stat(filepath.Join(dir, "server.key")); err == nil {
		t.Error("a key was written after Ctrl-C")
	}
}

// TestTTYCtrlCExitCode: Ctrl-C at a prompt is exit 130.
func TestTTYCtrlCExitCode(t *testing.T) {
	s := startTTY(t, t.TempDir(), "genkey", "--algorithm", "ecdsa", "--iter", "1000")
	s.waitFor("Enter pass phrase for server.key:")
	s.settle()
	s.tmux("send-keys", "C-c")
	if scr := s.waitFor("EXIT="); !strings.Contains(scr, "EXIT=130") {
		t.Fatalf("Ctrl-C at the prompt:\n%s", scr)
	}
}

// TestTTYCtrlCClearsSpinner: Ctrl-C while the spinner runs (a slow KDF)
// erases the spinner's line and exits 130.
func TestTTYCtrlCClearsSpinner(t *testing.T) {
	dir := t.TempDir()
	s := startTTY(t, dir, "genkey", "--algorithm", "ed25519", "--iter", "10000000", "--passout", "pass:hunter22")
	s.waitFor("encrypting key")
	s.tmux("send-keys", "C-c")
	scr := s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=130") || strings.Contains(scr, "encrypting key") {
		t.Fatalf("Ctrl-C during the spinner:\n%s", scr)
	}
	if _, err := os.Stat(filepath.Join(dir, "server.key")); err == nil {
		t.Error("a key was written after Ctrl-C")
	}
}

// TestTTYCsrAsksForSANs: the SAN prompt offers the CN, plus the loopback
// addresses for localhost, so the certificate works with 127.0.0.1.
func TestTTYCsrAsksForSANs(t *testing.T) {
	dir := t.TempDir()
	writeTestKey(t, dir, "hunter22")
	s := startTTY(t, dir, "csr", "--passin", "pass:hunter22")
	for _, p := range []string{"Country Name", "State or Province Name", "Locality Name", "Organization Name", "Organizational Unit Name"} {
		s.answer(p, 1, "")
	}
	s.answer("Common Name", 1, "localhost")
	s.answer("Email Address", 1, "")
	scr := s.waitFor("Subject alternative names")
	if !strings.Contains(scr, "(localhost, 127.0.0.1, ::1)") {
		t.Errorf("the SAN prompt does not show the default:\n%s", scr)
	}
	s.answer("Subject alternative names", 1, "")
	if scr := s.waitFor("EXIT="); !strings.Contains(scr, "EXIT=0") {
		t.Fatalf("csr failed:\n%s", scr)
	}
	csr := readCSR(t, filepath.Join(dir, "server.csr"))
	var ips []string
	for _, ip := range csr.IPAddresses {
		ips = append(ips, ip.String())
	}
	if !slices.Equal(csr.DNSNames, []string{"localhost"}) || !slices.Equal(ips, []string{"127.0.0.1", "::1"}) {
		t.Errorf("SANs = %v %v, want localhost, 127.0.0.1, ::1", csr.DNSNames, ips)
	}
}

// TestTTYDecryptSpinner: reading a key with a slow KDF shows a spinner
// (2,000,000 iterations: long enough to be seen, short under -race).
func TestTTYDecryptSpinner(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("tlskit", "genkey", "--algorithm", "ed25519", "--iter", "2000000", "--passout", "pass:hunter22")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("genkey: %v\n%s", err, out)
	}
	s := startTTY(t, dir, "csr", "--cn", "localhost", "--passin", "pass:hunter22")
	s.waitFor("decrypting server.key")
	if scr := s.waitFor("EXIT="); !strings.Contains(scr, "EXIT=0") || strings.Contains(scr, "decrypting server.key") {
		t.Fatalf("csr failed or left the spinner on screen:\n%s", scr)
	}
}
