package main

import (
	"bufio"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// mtlsPeer starts a real TLS echo server that requires a client
// certificate from ca.crt, and returns its address.
type mtlsPeer struct {
	name  string
	tls12 bool
	start func(t *testing.T, dir string) string
}

var mtlsPeers = []mtlsPeer{
	{"gnutls-serv TLS 1.3", false, func(t *testing.T, dir string) string { return gnutlsMTLS(t, dir, "NORMAL") }},
	{"gnutls-serv TLS 1.2", true, func(t *testing.T, dir string) string { return gnutlsMTLS(t, dir, "NORMAL:-VERS-TLS1.3") }},
	{"python ssl TLS 1.3", false, func(t *testing.T, dir string) string { return pythonServer(t, dir, "") }},
	{"python ssl TLS 1.2", true, func(t *testing.T, dir string) string { return pythonServer(t, dir, "1.2") }},
	{"openssl s_server TLS 1.2", true, func(t *testing.T, dir string) string {
		return opensslServer(t, dir, "-rev", "-tls1_2", "-Verify", "1", "-CAfile", "ca.crt", "-verify_return_error")
	}},
}

var noClientCert = regexp.MustCompile(`(?m)^tlskit: error: TLS handshake failed with 127\.0\.0\.1:\d+: the server asked for a client certificate and none was sent \(remote error: tls: [a-z ]+\)\ntlskit: hint: pass --cert FILE and --key FILE with a client certificate the server trusts\n$`)

// TestInteropClientCertRequired: against real servers that require a client
// certificate, connect without one exits 4 every time, with the reason and
// a hint and no summary of a session; under TLS 1.3 that used to be a race
// that a write ("broken pipe") often won.
func TestInteropClientCertRequired(t *testing.T) {
	dir := fixtures(t, "echo_pki.txtar")
	for _, peer := range mtlsPeers {
		t.Run(peer.name, func(t *testing.T) {
			if strings.HasPrefix(peer.name, "openssl") {
				// s_server serves one client at a time and stops at a refusal.
				for range 3 {
					checkRefused(t, dir, peer.start(t, dir), "hi\n", "--message", "hi\n")
				}
				return
			}
			addr := peer.start(t, dir)
			for i := range 20 {
				if i%2 == 0 {
					checkRefused(t, dir, addr, "", "--message", "hi\n")
				} else {
					checkRefused(t, dir, addr, "piped\n")
				}
			}
			out, errOut, code := execTlskit(t, dir, "", "connect", "--ca", "ca.crt", "--cert", "client.crt", "--key", "client.key", "--message", "hi\n", addr)
			if code != 0 || out != "hi\n" {
				t.Fatalf("with a client certificate: exit %d, stdout %q\n%s", code, out, errOut)
			}
		})
	}
}

func checkRefused(t *testing.T, dir, addr, stdin string, args ...string) {
	t.Helper()
	args = append([]string{"connect", "--ca", "ca.crt"}, append(args, addr)...)
	out, errOut, code := execTlskit(t, dir, stdin, args...)
	if code != exitHandshake || out != "" || !noClientCert.MatchString(errOut) {
		t.Fatalf("tlskit %s: exit %d, stdout %q, stderr:\n%s\nwant exit %d and only the refusal", strings.Join(args, " "), code, out, errOut, exitHandshake)
	}
}

// freePort returns a port on 127.0.0.1 that was free a moment ago, for
// servers that cannot bind port 0 and say which port they got.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strings.TrimPrefix(l.Addr().String(), "127.0.0.1:")
}

// gnutlsMTLS runs gnutls-serv --echo requiring a client certificate.
func gnutlsMTLS(t *testing.T, dir, priority string) string {
	return gnutlsServer(t, dir, "--echo", "--x509cafile", "ca.crt", "--require-client-cert", "--priority", priority)
}

// gnutlsServer runs gnutls-serv with server.crt and server.key of dir.
func gnutlsServer(t *testing.T, dir string, args ...string) string {
	t.Helper()
	gnutls := echoPeer(t, "gnutls-serv")
	port := freePort(t)
	args = append([]string{"--x509certfile", "server.crt", "--x509keyfile", "server.key", "-p", port}, args...)
	cmd := exec.Command(gnutls, args...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + port
	// Up to 30 s: on a loaded machine gnutls-serv can take seconds to start.
	for range 600 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("gnutls-serv does not listen on %s", addr)
	return ""
}

// pythonServer runs testdata/pyserver.py (Python's ssl module, Debian's
// python3) requiring a client certificate; maxVersion "1.2" caps it.
func pythonServer(t *testing.T, dir, maxVersion string) string {
	t.Helper()
	python := echoPeer(t, "/usr/bin/python3")
	script, err := filepath.Abs("testdata/pyserver.py")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script, "server.crt", "server.key", "ca.crt", maxVersion)
	cmd.Dir = dir
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("pyserver.py printed no port: %v", err)
	}
	return "127.0.0.1:" + strings.TrimSpace(line)
}

// TestInteropConnectHTTPServer: a request-response server answers, closes,
// and resets the connection for connect's unread close_notify; that is the
// normal end of the exchange, exit 0, not a server that closed early.
func TestInteropConnectHTTPServer(t *testing.T) {
	dir := fixtures(t, "echo_pki.txtar")
	addr := gnutlsServer(t, dir) // without --echo, gnutls-serv answers HTTP
	for range 5 {
		out, errOut, code := execTlskit(t, dir, "GET / HTTP/1.0\r\n\r\n", "connect", "--ca", "ca.crt", addr)
		if code != 0 || !strings.HasPrefix(out, "HTTP/1.0 200 OK") {
			t.Fatalf("exit %d, stdout %.40q, stderr:\n%s", code, out, errOut)
		}
	}
}
