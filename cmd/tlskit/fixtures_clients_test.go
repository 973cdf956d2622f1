package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// debianPython is the Python the tests use: Debian's, with the system
// OpenSSL, not whatever python3 comes first in PATH.
const debianPython = "/usr/bin/python3"

// peerAt is echoPeer for a peer that must be at an exact path.
func peerAt(t *testing.T, path string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("TLSKIT_REQUIRE_PEERS") == "1" {
			t.Fatalf("%s is required (TLSKIT_REQUIRE_PEERS=1): %v", path, err)
		}
		t.Skipf("%s not installed", path)
	}
	return path
}

// buildGoClient builds testdata/clients/goclient.go, a net/http client.
func buildGoClient(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "goclient")
	out, err := exec.Command("go", "build", "-o", bin, filepath.Join("testdata", "clients", "goclient.go")).CombinedOutput()
	if err != nil {
		t.Fatalf("go build goclient: %v\n%s", err, out)
	}
	return bin
}

// runCheck runs tlskit fixtures check --json -- argv and decodes its report.
// A generous --timeout and bound: a loaded CI machine must not turn a slow
// client start into an error; the bound only turns a hang into a failure.
func runCheck(t *testing.T, argv ...string) (checkReport, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tlskit", append([]string{"fixtures", "check", "--json", "--timeout", "60s", "--"}, argv...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("tlskit fixtures check -- %v did not finish: %s", argv, stderr.String())
	}
	var r checkReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("check printed no JSON report (exit %d): %v\nstdout: %s\nstderr: %s", cmd.ProcessState.ExitCode(), err, stdout.String(), stderr.String())
	}
	return r, cmd.ProcessState.ExitCode()
}

// brokenClientFails are the cases a client that skips certificate checks
// gets wrong: every certificate case. The protocol cases (client
// certificate, TLS 1.0 and 1.1) it still gets right.
var brokenClientFails = []string{"expired", "not-yet-valid", "wrong-host", "untrusted-root", "self-signed",
	"incomplete-chain", "wrong-eku", "name-constraint", "sha1", "rsa1024"}

// TestFixturesCheckRealClients runs real TLS clients through fixtures check.
// Each row lists exactly the cases the client gets wrong, with the reason.
func TestFixturesCheckRealClients(t *testing.T) {
	py, err := filepath.Abs(filepath.Join("testdata", "clients", "pyclient.py"))
	if err != nil {
		t.Fatal(err)
	}
	node, err := filepath.Abs(filepath.Join("testdata", "clients", "nodeclient.js"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		peer  func(t *testing.T) string
		args  []string
		fails []string
		skip  string // a case skipped because the command takes no client certificate
	}{
		{"curl", curlPeer, []string{"--cacert", "{ca}", "--cert", "{cert}", "--key", "{key}", "-sS", "{url}"}, nil, ""},
		{"curl without a client certificate", curlPeer, []string{"--cacert", "{ca}", "-sS", "{url}"}, nil, "client-cert"},
		// s_client verifies the chain but not the name unless told to.
		{"openssl s_client as in the issue", opensslPeer, []string{"s_client", "-verify_return_error", "-CAfile", "{ca}",
			"-servername", "{servername}", "-connect", "{host}:{port}"}, []string{"wrong-host"}, "client-cert"},
		{"openssl s_client -verify_hostname", opensslPeer, []string{"s_client", "-verify_return_error", "-CAfile", "{ca}",
			"-servername", "{servername}", "-verify_hostname", "{servername}", "-cert", "{cert}", "-key", "{key}",
			"-connect", "{host}:{port}"}, nil, ""},
		// gnutls-cli 3.7's NORMAL priority still offers TLS 1.0 and 1.1, and
		// its default verification profile accepts 1024-bit RSA.
		{"gnutls-cli defaults", gnutlsPeer, []string{"--x509cafile", "{ca}", "--x509certfile", "{cert}", "--x509keyfile", "{key}",
			"--port", "{port}", "{servername}"}, []string{"rsa1024", "tls10", "tls11"}, ""},
		{"gnutls-cli with a medium profile and TLS 1.2 or later", gnutlsPeer, []string{"--priority", "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1:%PROFILE_MEDIUM",
			"--x509cafile", "{ca}", "--x509certfile", "{cert}", "--x509keyfile", "{key}", "--port", "{port}", "{servername}"}, nil, ""},
		// Node runs OpenSSL at security level 1, which allows 1024-bit RSA,
		// unless told otherwise.
		{"node https", nodePeer, []string{node, "{ca}", "{url}", "{cert}", "{key}"}, []string{"rsa1024"}, ""},
		{"node https at security level 2", nodePeer, []string{"--tls-cipher-list=DEFAULT@SECLEVEL=2", node, "{ca}", "{url}", "{cert}", "{key}"}, nil, ""},
		{"python ssl and urllib", pythonPeer, []string{py, "{ca}", "{url}", "{cert}", "{key}"}, nil, ""},
		// Go's crypto/tls accepts 1024-bit RSA server keys (docs/fixtures.md).
		{"go net/http", buildGoClient, []string{"-ca", "{ca}", "-cert", "{cert}", "-key", "{key}", "{url}"}, []string{"rsa1024"}, ""},
		{"curl -k (broken)", curlPeer, []string{"-k", "-sS", "{url}"}, brokenClientFails, "client-cert"},
		{"python CERT_NONE (broken)", pythonPeer, []string{py, "--insecure", "{ca}", "{url}"}, brokenClientFails, "client-cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, code := runCheck(t, append([]string{tt.peer(t)}, tt.args...)...)
			checkReportIs(t, r, code, tt.fails, tt.skip)
		})
	}
}

func curlPeer(t *testing.T) string    { return echoPeer(t, "curl") }
func opensslPeer(t *testing.T) string { return echoPeer(t, "openssl") }
func pythonPeer(t *testing.T) string  { return peerAt(t, debianPython) }
func gnutlsPeer(t *testing.T) string  { return echoPeer(t, "gnutls-cli") }
func nodePeer(t *testing.T) string    { return echoPeer(t, "node") }

// checkReportIs checks that exactly the cases in fails failed, skip was
// skipped, every other scored case passed, and the exit code says so.
func checkReportIs(t *testing.T, r checkReport, code int, fails []string, skip string) {
	t.Helper()
	wantCode := exitOK
	if len(fails) > 0 {
		wantCode = exitCheck
	}
	for _, x := range r.Results {
		want := "PASS"
		switch {
		case x.Expected == "info":
			want = "INFO"
		case x.Case == skip:
			want = "SKIP"
		case slices.Contains(fails, x.Case):
			want = "FAIL"
		}
		if x.Result != want {
			t.Errorf("%s: %s (expected %s, got %s), want %s\n%s", x.Case, x.Result, x.Expected, x.Got, want, x.Output)
		}
	}
	if code != wantCode {
		t.Errorf("exit %d, want %d", code, wantCode)
	}
	if len(r.Results) != 17 {
		t.Errorf("%d results, want 17", len(r.Results))
	}
}

// TestFixturesCheckTlskitConnect checks tlskit's own client.
func TestFixturesCheckTlskitConnect(t *testing.T) {
	r, code := runCheck(t, "tlskit", "connect", "--ca", "{ca}", "--servername", "{servername}",
		"--cert", "{cert}", "--key", "{key}", "{host}:{port}")
	checkReportIs(t, r, code, nil, "")
	if !strings.Contains(r.Command[0], "tlskit") {
		t.Errorf("report command %q", r.Command)
	}
}
