// Package testkit holds the test helpers shared by tlskit's library packages:
// running the real openssl, writing files, making keys without tlskit's own
// code, and checking which error came back. It imports only the standard
// library, so every package's tests may use it.
package testkit

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// OpenSSLPath finds the openssl binary. Without it the test fails when
// TLSKIT_REQUIRE_PEERS=1 (as in CI) and is skipped otherwise.
func OpenSSLPath(t testing.TB) string {
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

// OpenSSL runs the openssl binary in dir and returns its combined output,
// failing the test when it exits non-zero.
func OpenSSL(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := OpenSSLRun(t, dir, args...)
	if err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// OpenSSLRun runs the openssl binary in dir and returns its combined output
// and its error, for tests that expect openssl to refuse.
func OpenSSLRun(t testing.TB, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(OpenSSLPath(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// WriteFile writes data to dir/name with mode 0600 and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// WriteKey writes key to dir/name as unencrypted PKCS#8 PEM.
func WriteKey(t testing.TB, dir, name string, key crypto.Signer) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	WriteFile(t, dir, name, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// MustContain reports every want that out, the output of what, lacks.
func MustContain(t testing.TB, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

// Key makes a key of the named kind (rsa, p256, p384, p521, ed25519) with the
// standard library alone, so tests do not depend on tlskit's GenerateKey.
func Key(t testing.TB, kind string) crypto.Signer {
	t.Helper()
	var (
		k   crypto.Signer
		err error
	)
	switch kind {
	case "rsa":
		k, err = rsa.GenerateKey(rand.Reader, 2048)
	case "p256":
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "p384":
		k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "p521":
		k, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case "ed25519":
		_, k, err = ed25519.GenerateKey(rand.Reader)
	default:
		t.Fatalf("unknown test key kind %q", kind)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// CheckErr asserts that err wraps want (nil meaning success) and that its
// message contains every fragment.
func CheckErr(t testing.TB, err, want error, fragments ...string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want one wrapping %q", err, want)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not contain %q", err, f)
		}
	}
}
