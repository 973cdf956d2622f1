package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// TestExplainBuildersRun runs what each explain builder prints with the real
// openssl and checks the files it makes.
func TestExplainBuildersRun(t *testing.T) {
	openssl, bash := peer(t, "openssl"), peer(t, "bash")
	dir := t.TempDir()
	t.Setenv("TOOLKIT_TEST_PASS", toolkitPass)
	enc := keys.Encryption{Iterations: 1000}
	steps := []string{
		explainGenkey(keys.KeySpec{Algorithm: "rsa", Bits: 2048}, "rsa.key", true, "env:TOOLKIT_TEST_PASS", enc),
		explainGenkey(keys.KeySpec{Algorithm: "ecdsa", Curve: "P-384"}, "ec.key", false, "", enc),
		explainGenkey(keys.KeySpec{Algorithm: "ed25519"}, "ed.key", true, "env:TOOLKIT_TEST_PASS", keys.Encryption{KDF: "scrypt"}),
		explainCSR("rsa.key", "env:TOOLKIT_TEST_PASS", "/O=Acme, Inc./CN=web.test", []string{"DNS:web.test", "IP:127.0.0.1"}, "web.csr"),
		explainSelfsign("ec.key", "", "/CN=self.test", []string{"DNS:self.test"}, 5, certs.UsageServer, false, "self.crt"),
	}
	for _, s := range steps {
		shell(t, bash, dir, s)
	}
	for _, k := range []string{"rsa.key", "ec.key", "ed.key"} {
		if fi, err := os.Stat(filepath.Join(dir, k)); err != nil || fi.Mode().Perm() != 0o400 {
			t.Errorf("%s: mode %v, %v; want 0400", k, fi.Mode(), err)
		}
	}
	info := describeFile(t, filepath.Join(dir, "rsa.key"))
	if !info.Encrypted || info.Iterations != 1000 {
		t.Errorf("rsa.key: %+v, want encrypted with 1000 iterations", info)
	}
	if info := describeFile(t, filepath.Join(dir, "ed.key")); info.KDF != "scrypt" {
		t.Errorf("ed.key: %+v, want scrypt", info)
	}
	req := opensslOK(t, dir, openssl, "req", "-in", "web.csr", "-noout", "-text", "-verify")
	mustHave(t, req, "O = \"Acme, Inc.\"", "DNS:web.test, IP Address:127.0.0.1")
	self := opensslOK(t, dir, openssl, "x509", "-in", "self.crt", "-noout", "-text")
	mustHave(t, self, "CA:FALSE", "TLS Web Server Authentication", "DNS:self.test")
}

func describeFile(t *testing.T, path string) keys.KeyInfo {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := keys.DescribeKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func mustHave(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in:\n%s", w, out)
		}
	}
}

func TestPassArgNeverShowsAPassphrase(t *testing.T) {
	tests := map[string]string{
		"":                  "",
		"pass:hunter2-long": " -passout pass:PASSPHRASE",
		"env:MY_PASS":       " -passout env:MY_PASS",
		"file:/run/pass x":  " -passout 'file:/run/pass x'",
		"stdin":             " -passout stdin",
	}
	for spec, want := range tests {
		if got := passArg("-passout", spec); got != want {
			t.Errorf("passArg(%q) = %q, want %q", spec, got, want)
		}
	}
}
