package certs

import (
	"crypto"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// opensslPath finds the openssl binary. Without it the test fails when
// TLSKIT_REQUIRE_PEERS=1 (as in CI) and is skipped otherwise.
func opensslPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("TLSKIT_REQUIRE_PEERS") == "1" {
			t.Fatalf("openssl is required (TLSKIT_REQUIRE_PEERS=1): %v", err)
		}
		t.Skip("openssl not installed")
	}
	return path
}

// openssl runs the openssl binary in dir and returns its combined output,
// failing the test when it exits non-zero.
func openssl(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := opensslRun(t, dir, args...)
	if err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func opensslRun(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(opensslPath(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeKey(t *testing.T, dir, name string, key crypto.Signer) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, name, EncodePEM("PRIVATE KEY", der))
}

func mustContain(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

// TestOpenSSLReadsCSRAndSelfSigned covers the recipe: openssl
// verifies the CSR, shows its subject and SANs, and accepts the self-signed
// certificate as its own trust anchor for its CN.
func TestOpenSSLReadsCSRAndSelfSigned(t *testing.T) {
	for _, kind := range []string{"rsa", "p384", "ed25519"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			key := testKey(t, kind)
			writeKey(t, dir, "server.key", key)
			subj := `/C=US/ST=California/L=San Francisco/O=Acme, Inc./CN=www.example.com+OU=Web/emailAddress=admin@example.com`
			csr := testCSR(t, key, subj, "www.example.com,example.com", "IP:192.0.2.10")
			writeFile(t, dir, "server.csr", EncodePEM("CERTIFICATE REQUEST", csr.Raw))
			out := openssl(t, dir, "req", "-in", "server.csr", "-noout", "-verify", "-text", "-nameopt", "RFC2253")
			mustContain(t, "openssl req -text", out,
				"verify OK", // openssl 3 prints "Certificate request self-signature verify OK"
				`emailAddress=admin@example.com,CN=www.example.com+OU=Web,O=Acme\, Inc.,L=San Francisco,ST=California,C=US`,
				"DNS:www.example.com, DNS:example.com, IP Address:192.0.2.10")

			der, err := SelfSign(csr, key, LeafOptions{Days: 365})
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "server.crt", EncodePEM("CERTIFICATE", der))
			out = openssl(t, dir, "verify", "-CAfile", "server.crt", "-verify_hostname", "www.example.com", "server.crt")
			mustContain(t, "openssl verify", out, "server.crt: OK")
			out = openssl(t, dir, "x509", "-in", "server.crt", "-noout", "-text")
			mustContain(t, "openssl x509 -text", out, "Version: 3 (0x2)", "CA:FALSE",
				"TLS Web Server Authentication, TLS Web Client Authentication",
				"X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier", "IP Address:192.0.2.10")
		})
	}
}
