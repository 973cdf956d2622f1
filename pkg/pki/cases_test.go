package pki

import (
	"bytes"
	"crypto/x509"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
)

// certCases are the cases decided by the certificate chain alone, with what
// openssl verify reports about each. The others are decided by the TLS
// settings (versions, suites, client certificates).
var certCases = map[string]string{
	"valid":            ": OK",
	"intermediate":     ": OK",
	"expired":          "certificate has expired",
	"not-yet-valid":    "certificate is not yet valid",
	"wrong-host":       "hostname mismatch",
	"untrusted-root":   "self-signed certificate in certificate chain",
	"self-signed":      "self-signed certificate",
	"incomplete-chain": "unable to get local issuer certificate",
	"wrong-eku":        "unsuitable certificate purpose",
	"name-constraint":  "permitted subtree violation",
	"sha1":             "CA signature digest algorithm too weak",
	"rsa1024":          "EE certificate key too weak",
}

func TestCasesVerdicts(t *testing.T) {
	set, err := MakeCases(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Cases) != 17 {
		t.Fatalf("%d cases, want 17", len(set.Cases))
	}
	dir := t.TempDir()
	testkit.WriteFile(t, dir, "ca.crt", certs.EncodePEM("CERTIFICATE", set.CA.Raw))
	roots := x509.NewCertPool()
	roots.AddCert(set.CA)
	for _, c := range set.Cases {
		t.Run(c.Name, func(t *testing.T) {
			leaf, err := x509.ParseCertificate(c.Chain[0])
			if err != nil {
				t.Fatal(err)
			}
			if !keys.PublicKeysEqual(leaf.PublicKey, c.Key.Public()) {
				t.Fatal("the key is not the leaf's")
			}
			why, ok := certCases[c.Name]
			if !ok {
				checkProtocolCase(t, c, leaf, roots)
				return
			}
			checkGoCase(t, c, leaf, roots)
			checkOpenSSLCase(t, dir, c, why)
		})
	}
}

// checkProtocolCase: a case decided by its TLS settings has a certificate
// that verifies.
func checkProtocolCase(t *testing.T, c Case, leaf *x509.Certificate, roots *x509.CertPool) {
	t.Helper()
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost"}); err != nil {
		t.Errorf("certificate of a protocol case does not verify: %v", err)
	}
	if c.TLS.MaxVersion == 0 && c.TLS.ClientAuth == NoClientCert {
		t.Errorf("protocol case with default TLS settings: %+v", c.TLS)
	}
}

func checkGoCase(t *testing.T, c Case, leaf *x509.Certificate, roots *x509.CertPool) {
	t.Helper()
	inter := x509.NewCertPool()
	for _, der := range c.Chain[1:] {
		cert, _ := x509.ParseCertificate(der)
		inter.AddCert(cert)
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: "localhost",
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	want := c.Verdict == Accept
	if c.Name == "rsa1024" {
		want = true // crypto/x509 has no minimum key size: docs/fixtures.md
	}
	if (err == nil) != want {
		t.Errorf("crypto/x509 Verify = %v, want accepted=%v", err, want)
	}
}

func checkOpenSSLCase(t *testing.T, dir string, c Case, why string) {
	t.Helper()
	// -auth_level 2 is the security level OpenSSL's TLS clients use on
	// Debian; openssl verify alone applies none.
	args := []string{"verify", "-auth_level", "2", "-CAfile", "ca.crt", "-verify_hostname", "localhost", "-purpose", "sslserver"}
	if len(c.Chain) > 1 {
		testkit.WriteFile(t, dir, c.Name+"-rest.crt", chainPEM(c.Chain[1:]))
		args = append(args, "-untrusted", c.Name+"-rest.crt")
	}
	testkit.WriteFile(t, dir, c.Name+".crt", chainPEM(c.Chain[:1]))
	out, err := testkit.OpenSSLRun(t, dir, append(args, c.Name+".crt")...)
	if (err == nil) != (c.Verdict == Accept) {
		t.Errorf("openssl verify: %v, want %s\n%s", err, c.Verdict, out)
	}
	if !strings.Contains(out, why) {
		t.Errorf("openssl verify says %q, want %q", out, why)
	}
}

func TestCaseDirRoundTrip(t *testing.T) {
	now := time.Now()
	set, err := MakeCases(now)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "cases")
	if HasCaseDir(dir) {
		t.Fatal("HasCaseDir before writing")
	}
	if err := WriteCaseDir(dir, set); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCaseDir(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CA.Equal(set.CA) || !got.Client.Cert.Equal(set.Client.Cert) || len(got.Cases) != len(set.Cases) {
		t.Fatal("read back a different set")
	}
	for i, c := range got.Cases {
		want := set.Cases[i]
		if c.Name != want.Name || c.Verdict != want.Verdict || len(c.Chain) != len(want.Chain) ||
			!bytes.Equal(c.Chain[0], want.Chain[0]) || !keys.PublicKeysEqual(c.Key.Public(), want.Key.Public()) {
			t.Errorf("%s read back differently", want.Name)
		}
	}
	fi, err := os.Stat(filepath.Join(dir, "expired.key"))
	if err != nil || fi.Mode().Perm() != keys.KeyFileMode {
		t.Errorf("expired.key: %v, mode %v", err, fi.Mode())
	}
}

func TestCaseDirErrors(t *testing.T) {
	now := time.Now()
	set, err := MakeCases(now)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteCaseDir(dir, set); err != nil {
		t.Fatal(err)
	}
	if err := WriteCaseDir(dir, set); !errors.Is(err, safefile.ErrExists) {
		t.Errorf("writing over a case directory: %v, want safefile.ErrExists", err)
	}
	_, err = ReadCaseDir(dir, now.Add(2*365*24*time.Hour))
	testkit.CheckErr(t, err, ErrStaleFixtures, filepath.Join(dir, "valid.crt"), "expired on")
	os.Remove(filepath.Join(dir, "sha1.key"))
	_, err = ReadCaseDir(dir, now)
	testkit.CheckErr(t, err, fs.ErrNotExist, "sha1.key")
}
