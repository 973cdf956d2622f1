package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// echoPeer finds a real TLS peer binary. CI sets TLSKIT_REQUIRE_PEERS=1, and
// then a missing peer fails the test instead of skipping it.
func echoPeer(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("TLSKIT_REQUIRE_PEERS") == "1" {
		t.Fatalf("%s is required (TLSKIT_REQUIRE_PEERS=1): %v", name, err)
	}
	t.Skipf("%s not installed", name)
	return ""
}

// peerEcho runs a client peer that copies its stdin to the server and the
// server to its stdout: it writes msg, reads the echo back, then closes
// stdin so the peer ends the session, and returns the echo and its exit error.
func peerEcho(t *testing.T, dir string, msg []byte, name string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	in.Write(msg)
	got := make([]byte, len(msg))
	n, _ := io.ReadFull(out, got)
	in.Close()
	io.Copy(io.Discard, out)
	err := cmd.Wait()
	if err != nil {
		t.Logf("%s stderr:\n%s", name, stderr.String())
	}
	return got[:n], err
}

func TestInteropOpenSSLClient(t *testing.T) {
	openssl := echoPeer(t, "openssl")
	dir := fixtures(t, "echo_pki.txtar")
	tests := []struct {
		flag, version, cipher string
	}{
		{"-tls1_2", "TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
		{"-tls1_3", "TLS 1.3", "TLS_AES_128_GCM_SHA256"},
	}
	msg := []byte("hello from openssl s_client\nand a second line\n")
	for _, tt := range tests {
		t.Run(tt.flag, func(t *testing.T) {
			srv := startServe(t, dir, "--max-accept", "1")
			got, err := peerEcho(t, dir, msg, openssl, "s_client", tt.flag, "-connect", srv.addr,
				"-servername", "localhost", "-CAfile", "ca.crt", "-verify_return_error", "-quiet", "-no_ign_eof")
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("s_client echoed %q (err %v), want %q", got, err, msg)
			}
			if err := srv.wait(t); err != nil {
				t.Fatal(err)
			}
			want := `version="` + tt.version + `" cipher=` + tt.cipher + ` group=X25519 `
			if log := srv.stderr.String(); !strings.Contains(log, want) || !strings.Contains(log, "sni=localhost") {
				t.Errorf("log does not show %s and sni=localhost:\n%s", want, log)
			}
		})
	}
}

// TestInteropOpenSSLClientVerifies makes sure the s_client checks above are
// real: with another CA, s_client refuses the server.
func TestInteropOpenSSLClientVerifies(t *testing.T) {
	openssl := echoPeer(t, "openssl")
	dir := fixtures(t, "echo_pki.txtar")
	srv := startServe(t, dir)
	_, err := peerEcho(t, dir, []byte("x"), openssl, "s_client", "-connect", srv.addr,
		"-servername", "localhost", "-CAfile", "other-ca.crt", "-verify_return_error", "-quiet", "-no_ign_eof")
	if err == nil {
		t.Fatal("s_client accepted a server from an untrusted CA")
	}
}

func TestInteropOpenSSLClientCertificate(t *testing.T) {
	openssl := echoPeer(t, "openssl")
	dir := fixtures(t, "echo_pki.txtar")
	srv := startServe(t, dir, "--client-ca", "ca.crt", "--max-accept", "1")
	msg := []byte("mutual\n")
	got, err := peerEcho(t, dir, msg, openssl, "s_client", "-connect", srv.addr, "-servername", "localhost",
		"-CAfile", "ca.crt", "-verify_return_error", "-cert", "client.crt", "-key", "client.key", "-quiet", "-no_ign_eof")
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("s_client echoed %q (err %v), want %q", got, err, msg)
	}
	if err := srv.wait(t); err != nil {
		t.Fatal(err)
	}
	if log := srv.stderr.String(); !strings.Contains(log, `client="CN=alice"`) {
		t.Errorf("log does not name the client certificate:\n%s", log)
	}
}

func TestInteropGnuTLSClient(t *testing.T) {
	gnutls := echoPeer(t, "gnutls-cli")
	dir := fixtures(t, "echo_pki.txtar")
	srv := startServe(t, dir, "--max-accept", "1")
	port := srv.addr[strings.LastIndex(srv.addr, ":")+1:]
	msg := []byte("hello from gnutls-cli\n")
	got, err := peerEcho(t, dir, msg, gnutls, "--x509cafile", "ca.crt", "--verify-hostname", "localhost",
		"--logfile", "gnutls.log", "-p", port, "127.0.0.1")
	if err != nil || !bytes.Equal(got, msg) {
		log, _ := os.ReadFile(dir + "/gnutls.log")
		t.Fatalf("gnutls-cli echoed %q (err %v), want %q\n%s", got, err, msg, log)
	}
	if err := srv.wait(t); err != nil {
		t.Fatal(err)
	}
	if log := srv.stderr.String(); !strings.Contains(log, `version="TLS 1.3"`) || !strings.Contains(log, "reason=eof") {
		t.Errorf("log does not show a TLS 1.3 session that ended cleanly:\n%s", log)
	}
}

// opensslServer runs openssl s_server on 127.0.0.1 for one connection and
// returns its address.
func opensslServer(t *testing.T, dir string, args ...string) string {
	t.Helper()
	openssl := echoPeer(t, "openssl")
	args = append([]string{"s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
		"-cert", "server.crt", "-key", "server.key"}, args...)
	cmd := exec.Command(openssl, args...)
	cmd.Dir = dir
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	accept := regexp.MustCompile(`^ACCEPT 127\.0\.0\.1:(\d+)`)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := accept.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return "127.0.0.1:" + m[1]
		}
	}
	t.Fatal("openssl s_server printed no ACCEPT line")
	return ""
}

// execTlskit runs the tlskit binary with stdin and returns stdout, stderr and
// the exit code.
func execTlskit(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command("tlskit", args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("tlskit %v did not exit", args)
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

func TestInteropConnectToOpenSSLServer(t *testing.T) {
	dir := fixtures(t, "echo_pki.txtar")
	t.Run("pipe through -rev", func(t *testing.T) {
		addr := opensslServer(t, dir, "-rev")
		out, errOut, code := execTlskit(t, dir, "abc\nhello\n", "connect", "--ca", "ca.crt", "--servername", "localhost", addr)
		if code != 0 || out != "cba\nolleh\n" {
			t.Fatalf("exit %d, stdout %q, want 0 and the reversed lines\n%s", code, out, errOut)
		}
		if !strings.Contains(errOut, "protocol: TLS 1.3") || !strings.Contains(errOut, "verified: ok") {
			t.Errorf("summary lacks the session:\n%s", errOut)
		}
	})
	t.Run("message through -rev differs", func(t *testing.T) {
		addr := opensslServer(t, dir, "-rev")
		out, errOut, code := execTlskit(t, dir, "", "connect", "--ca", "ca.crt", "--message", "hello\n", addr)
		if code != exitEcho || out != "olleh\n" {
			t.Fatalf("exit %d, stdout %q; want %d and the reversed line", code, out, exitEcho)
		}
		if !strings.Contains(errOut, `tlskit: error: echo differs: sent "hello\n", received "olleh\n"`) {
			t.Errorf("stderr lacks the echo difference:\n%s", errOut)
		}
	})
	t.Run("message without a full echo ends at the timeout", func(t *testing.T) {
		addr := opensslServer(t, dir, "-rev") // -rev answers only a whole line
		_, errOut, code := execTlskit(t, dir, "", "connect", "--ca", "ca.crt", "--timeout", "1s", "--message", "hello", addr)
		want := "tlskit: error: echo differs: received 0 of 5 bytes before the deadline"
		if code != exitEcho || !strings.Contains(errOut, want) {
			t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut, exitEcho, want)
		}
	})
	t.Run("TLS 1.2 with a client certificate", func(t *testing.T) {
		addr := opensslServer(t, dir, "-rev", "-tls1_2", "-Verify", "1", "-CAfile", "ca.crt", "-verify_return_error")
		out, errOut, code := execTlskit(t, dir, "mutual\n", "connect", "--ca", "ca.crt", "--cert", "client.crt", "--key", "client.key", addr)
		if code != 0 || out != "lautum\n" {
			t.Fatalf("exit %d, stdout %q\n%s", code, out, errOut)
		}
		if !strings.Contains(errOut, "protocol: TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, group X25519") {
			t.Errorf("summary lacks the TLS 1.2 session:\n%s", errOut)
		}
	})
}

// TestInteropConnectRSAPSSServer: openssl s_server with an RSA-PSS key
// refuses Go's ClientHello with a bare handshake_failure; connect names the
// key type instead.
func TestInteropConnectRSAPSSServer(t *testing.T) {
	openssl := echoPeer(t, "openssl")
	dir := t.TempDir()
	for _, args := range [][]string{
		{"genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server.key"},
		{"req", "-x509", "-key", "server.key", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "30", "-out", "server.crt"},
	} {
		cmd := exec.Command(openssl, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	addr := opensslServer(t, dir, "-rev", "-naccept", "2") // the handshake and connect's second look
	_, errOut, code := execTlskit(t, dir, "", "connect", "--ca", "server.crt", "--message", "hi", addr)
	want := "tlskit: error: TLS handshake failed with " + addr + ": the server's certificate CN=localhost has an RSA-PSS key: Go's TLS stack, and so tlskit, cannot use it (remote error: tls: handshake failure)\n" +
		"tlskit: hint: give the server an RSA key (rsaEncryption, as openssl genpkey -algorithm RSA makes) or an ECDSA or Ed25519 key, such as tlskit genkey makes\n"
	if code != exitHandshake || errOut != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant %d and:\n%s", code, errOut, exitHandshake, want)
	}
}
