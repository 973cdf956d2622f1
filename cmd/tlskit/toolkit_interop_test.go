package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

const toolkitPass = "correct-horse"

// runTlskit runs tlskit in-process and fails the test unless it exits 0.
func runTlskit(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := runArgs(args...)
	if code != 0 {
		t.Fatalf("tlskit %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	return stdout, stderr
}

// peer finds a peer binary; without it the test fails when
// TLSKIT_REQUIRE_PEERS=1 (as in CI) and is skipped otherwise.
func peer(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("TLSKIT_REQUIRE_PEERS") == "1" {
			t.Fatalf("%s is required (TLSKIT_REQUIRE_PEERS=1): %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// bootstrapForTest makes an encrypted bootstrap directory with client "ci".
func bootstrapForTest(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TOOLKIT_TEST_PASS", toolkitPass)
	runTlskit(t, "bootstrap", "--dir", dir, "--host", "localhost,127.0.0.1", "--client", "ci",
		"--passout", "env:TOOLKIT_TEST_PASS", "--iter", "1000")
	return dir
}

// bootstrapTLS loads bootstrap's files the way a Go program would.
func bootstrapTLS(t *testing.T, dir, name string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := keys.ReadKeyFile(filepath.Join(dir, name+".key"), keys.ReadKeyOptions{
		Passphrase: func() ([]byte, error) { return []byte(toolkitPass), nil }})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := certs.ReadCertFile(filepath.Join(dir, name+".crt"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(filepath.Join(dir, "ca.crt"))
	pool.AppendCertsFromPEM(caPEM)
	return tls.Certificate{Certificate: [][]byte{chain[0].Raw}, PrivateKey: key, Leaf: chain[0]}, pool
}

// TestBootstrapMTLSOpenSSLServer runs openssl s_server with bootstrap's
// server files, requiring a client certificate, and talks to it with a Go
// client holding bootstrap's client files.
func TestBootstrapMTLSOpenSSLServer(t *testing.T) {
	openssl := peer(t, "openssl")
	dir := bootstrapForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	srv := exec.CommandContext(ctx, openssl, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
		"-Verify", "1", "-verify_return_error", "-CAfile", "ca.crt", "-cert", "server.crt",
		"-key", "server.key", "-pass", "env:TOOLKIT_TEST_PASS", "-rev")
	srv.Dir = dir
	addr := startAndFindAddr(t, srv)
	cert, roots := bootstrapTLS(t, dir, "client-ci")
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr,
		&tls.Config{RootCAs: roots, ServerName: "localhost", Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, "hello mtls\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || line != "sltm olleh\n" {
		t.Fatalf("openssl s_server answered %q, %v; want the reversed line", line, err)
	}
}

var acceptRE = regexp.MustCompile(`ACCEPT (127\.0\.0\.1:\d+)`)

// startAndFindAddr starts openssl s_server and reads its ACCEPT line.
func startAndFindAddr(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	cmd.Stdin = strings.NewReader("")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := acceptRE.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return m[1]
		}
	}
	t.Fatal("openssl s_server printed no ACCEPT line")
	return ""
}

// TestBootstrapMTLSOpenSSLClient runs a Go crypto/tls server with bootstrap's
// server files that requires a client certificate signed by ca.crt, and
// openssl s_client with bootstrap's client files.
func TestBootstrapMTLSOpenSSLClient(t *testing.T) {
	openssl := peer(t, "openssl")
	dir := bootstrapForTest(t)
	cert, pool := bootstrapTLS(t, dir, "server")
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert},
		ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go echoOnce(ln)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	cli := exec.CommandContext(ctx, openssl, "s_client", "-connect", ln.Addr().String(), "-servername", "localhost",
		"-CAfile", "ca.crt", "-verify_return_error", "-verify_hostname", "localhost",
		"-cert", "client-ci.crt", "-key", "client-ci.key", "-pass", "env:TOOLKIT_TEST_PASS", "-quiet", "-ign_eof")
	cli.Dir = dir
	cli.Stdin = strings.NewReader("hello from openssl\n")
	out, err := cli.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "hello from openssl") {
		t.Fatalf("openssl s_client: %v\n%s", err, out)
	}
}

// echoOnce echoes one line back to the first client, then closes.
func echoOnce(ln net.Listener) {
	conn, err := ln.Accept()
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	io.WriteString(conn, line)
}

// TestBootstrapOpenSSLReadsEverything has openssl parse every certificate
// and decrypt every key bootstrap wrote, and check the server's hosts.
func TestBootstrapOpenSSLReadsEverything(t *testing.T) {
	openssl := peer(t, "openssl")
	dir := bootstrapForTest(t)
	for _, name := range []string{"ca", "server", "client-ci"} {
		opensslOK(t, dir, openssl, "x509", "-in", name+".crt", "-noout", "-text")
		opensslOK(t, dir, openssl, "pkey", "-in", name+".key", "-passin", "env:TOOLKIT_TEST_PASS", "-noout")
	}
	opensslOK(t, dir, openssl, "verify", "-CAfile", "ca.crt", "-verify_hostname", "localhost", "server.crt")
	opensslOK(t, dir, openssl, "verify", "-CAfile", "ca.crt", "-verify_ip", "127.0.0.1", "server.crt")
}

func opensslOK(t *testing.T, dir, openssl string, args ...string) string {
	t.Helper()
	cmd := exec.Command(openssl, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestInspectJSON decodes inspect --json and checks it against openssl's view.
func TestInspectJSON(t *testing.T) {
	openssl := peer(t, "openssl")
	dir := bootstrapForTest(t)
	out, _ := runTlskit(t, "inspect", "--json", filepath.Join(dir, "server.crt"), filepath.Join(dir, "ca.key"))
	var doc struct {
		Files []struct {
			File    string         `json:"file"`
			Objects []certs.Object `json:"objects"`
		} `json:"files"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("inspect --json: %v\n%s", err, out)
	}
	if len(doc.Files) != 2 || len(doc.Files[0].Objects) != 1 || len(doc.Files[1].Objects) != 1 {
		t.Fatalf("unexpected shape: %s", out)
	}
	c, k := doc.Files[0].Objects[0].Certificate, doc.Files[1].Objects[0].Key
	fp := opensslOK(t, dir, openssl, "x509", "-in", "server.crt", "-noout", "-fingerprint", "-sha256")
	switch {
	case c == nil || k == nil:
		t.Fatalf("missing certificate or key: %s", out)
	case !strings.HasSuffix(strings.TrimSpace(fp), "="+c.SHA256):
		t.Errorf("sha256 %s, openssl says %s", c.SHA256, fp)
	case c.Subject != "CN=localhost" || strings.Join(c.SANs.DNS, ",") != "localhost" || c.SANs.IP[0] != "127.0.0.1":
		t.Errorf("subject/SANs: %+v", c)
	case c.DaysLeft < 363 || c.DaysLeft > 365 || c.IsCA || c.ExtKeyUsage[0] != "serverAuth":
		t.Errorf("validity/usage: %+v", c)
	case !k.Encrypted || k.Iterations != 1000 || k.KDF != "PBKDF2-HMAC-SHA256":
		t.Errorf("key: %+v", k)
	}
}

// TestExplainCommandsRun runs the openssl commands ca init --explain and
// sign --explain print, and checks openssl makes certificates with the same
// extensions as tlskit's.
func TestExplainCommandsRun(t *testing.T) {
	openssl := peer(t, "openssl")
	bash := peer(t, "bash")
	dir := t.TempDir()
	t.Setenv("TOOLKIT_TEST_PASS", toolkitPass)
	cd := "cd " + dir + " && "
	_, stderr := runTlskit(t, "ca", "init", "--explain", "--algorithm", "ecdsa", "--passout", "env:TOOLKIT_TEST_PASS",
		"--iter", "1000", "--out-cert", filepath.Join(dir, "t.crt"), "--out-key", filepath.Join(dir, "t.key"), "--days", "30")
	caCmds := explained(t, stderr)
	for _, c := range caCmds {
		c = strings.ReplaceAll(c, filepath.Join(dir, "t."), "o.")
		shell(t, bash, dir, cd+c)
	}
	// A hostile request asks for extensions a leaf must not get: tlskit's sign
	// keeps only its SANs, and so must the printed openssl command.
	opensslOK(t, dir, openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		"-keyout", "leaf.key", "-subj", "/CN=leaf.test", "-addext", "subjectAltName=DNS:leaf.test",
		"-addext", "basicConstraints=critical,CA:TRUE", "-addext", "nameConstraints=critical,permitted;DNS:evil.test",
		"-addext", "crlDistributionPoints=URI:http://evil.test/crl", "-addext", "1.2.3.4.5=ASN1:UTF8String:evil",
		"-addext", "tlsfeature=status_request", "-out", "leaf.csr")
	for _, usage := range []string{"--server", "--client"} {
		_, stderr = runTlskit(t, "sign", "--explain", "--ca", filepath.Join(dir, "t.crt"), "--ca-key", filepath.Join(dir, "t.key"),
			"--passin", "env:TOOLKIT_TEST_PASS", "--csr", filepath.Join(dir, "leaf.csr"), "--out", filepath.Join(dir, "t-leaf.crt"), usage, "--force")
		signCmd := strings.ReplaceAll(explained(t, stderr)[0], filepath.Join(dir, "t."), "o.")
		signCmd = strings.ReplaceAll(signCmd, filepath.Join(dir, "t-leaf.crt"), "o-leaf.crt")
		os.Remove(filepath.Join(dir, "o-leaf.crt"))
		shell(t, bash, dir, cd+signCmd)
		for _, pair := range [][2]string{{"t.crt", "o.crt"}, {"t-leaf.crt", "o-leaf.crt"}} {
			ours, theirs := certExtensions(t, dir, openssl, pair[0]), certExtensions(t, dir, openssl, pair[1])
			if ours != theirs {
				t.Errorf("%s: extensions differ:\ntlskit %s:\n%s\nopenssl %s:\n%s", usage, pair[0], ours, pair[1], theirs)
			}
		}
		if exts := certExtensions(t, dir, openssl, "o-leaf.crt"); !strings.Contains(exts, "Subject Alternative Name") {
			t.Errorf("%s: no SANs in:\n%s", usage, exts)
		}
		leaf := certExtensions(t, dir, openssl, "o-leaf.crt")
		for _, hostile := range []string{"CA:TRUE", "evil", "Name Constraints", "CRL", "1.2.3.4.5", "TLS Feature"} {
			if strings.Contains(leaf, hostile) {
				t.Errorf("%s: the printed command copied %q from the request:\n%s", usage, hostile, leaf)
			}
		}
		opensslOK(t, dir, openssl, "verify", "-CAfile", "o.crt", "o-leaf.crt")
	}
}

// certExtensions is every extension of a certificate as openssl prints it,
// sorted by extension (their order in a certificate does not matter), key
// identifiers left out (the two CAs have different keys).
func certExtensions(t *testing.T, dir, openssl, cert string) string {
	t.Helper()
	text := opensslOK(t, dir, openssl, "x509", "-in", cert, "-noout", "-text", "-certopt", "no_header,no_version,no_serial,"+
		"no_signame,no_validity,no_subject,no_issuer,no_pubkey,no_sigdump,no_aux")
	_, exts, _ := strings.Cut(text, "X509v3 extensions:\n")
	var lines []string
	for _, l := range strings.Split(exts, "\n") {
		switch {
		case strings.HasPrefix(l, strings.Repeat(" ", 16)):
			lines = append(lines, " "+strings.TrimSpace(l))
		case strings.TrimSpace(l) != "":
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	for i, l := range lines {
		if i > 0 && strings.HasSuffix(lines[i-1], "Key Identifier:") && strings.HasPrefix(l, " ") {
			lines[i] = " (key id)"
		}
	}
	return extBlocks(strings.Join(lines, "\n"))
}

// extBlocks sorts openssl's extension listing by extension, since the
// order of extensions in a certificate does not matter.
func extBlocks(out string) string {
	var blocks []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, " ") || len(blocks) == 0 {
			blocks = append(blocks, "")
		}
		blocks[len(blocks)-1] += strings.TrimSpace(l) + "\n"
	}
	slices.Sort(blocks)
	return strings.Join(blocks, "")
}

// explained returns the command lines of an --explain block.
func explained(t *testing.T, stderr string) []string {
	t.Helper()
	_, block, ok := strings.Cut(stderr, "tlskit: openssl equivalent:\n")
	if !ok {
		t.Fatalf("no explanation in:\n%s", stderr)
	}
	var cmds []string
	for _, l := range strings.Split(block, "\n") {
		if !strings.HasPrefix(l, "  ") {
			break
		}
		cmds = append(cmds, strings.TrimPrefix(l, "  "))
	}
	return cmds
}

func shell(t *testing.T, bash, dir, script string) {
	t.Helper()
	cmd := exec.Command(bash, "-c", script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
}
