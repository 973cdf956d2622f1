package pki

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
	"github.com/tlskit/tlskit/pkg/certs"
)

func TestFixturesVerdicts(t *testing.T) {
	hosts := certs.SANs{DNSNames: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}}
	set, err := MakeFixtures(hosts, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(set.CACert) {
		t.Fatal("ca.crt does not parse")
	}
	dir := t.TempDir()
	testkit.WriteFile(t, dir, "ca.crt", set.CACert)
	want := map[string]bool{"valid": true, "expired": false, "not-yet-valid": false,
		"wrong-host": false, "untrusted": false, "wrong-eku": false}
	if len(set.Fixtures) != len(want) {
		t.Fatalf("%d fixtures, want %d", len(set.Fixtures), len(want))
	}
	for _, f := range set.Fixtures {
		t.Run(f.Name, func(t *testing.T) {
			if f.Accept != want[f.Name] {
				t.Fatalf("Accept = %v, want %v", f.Accept, want[f.Name])
			}
			if _, err := tls.X509KeyPair(f.Cert, f.Key); err != nil {
				t.Fatalf("key does not match certificate: %v", err)
			}
			checkGoVerdict(t, f, roots)
			checkOpenSSLVerdict(t, dir, f)
		})
	}
}

func checkGoVerdict(t *testing.T, f Fixture, roots *x509.CertPool) {
	t.Helper()
	certs, err := certs.ParseCertificatesPEM(f.Cert)
	if err != nil {
		t.Fatal(err)
	}
	_, err = certs[0].Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost",
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	if (err == nil) != f.Accept {
		t.Errorf("crypto/x509 Verify = %v, want accept=%v", err, f.Accept)
	}
}

func checkOpenSSLVerdict(t *testing.T, dir string, f Fixture) {
	t.Helper()
	testkit.WriteFile(t, dir, f.CertFile, f.Cert)
	out, err := testkit.OpenSSLRun(t, dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "localhost",
		"-purpose", "sslserver", f.CertFile)
	if (err == nil) != f.Accept {
		t.Errorf("openssl verify: %v, want accept=%v\n%s", err, f.Accept, out)
	}
	if why := opensslReason[f.Name]; !strings.Contains(out, why) {
		t.Errorf("openssl verify says %q, want %q", out, why)
	}
}

// opensslReason is what openssl verify reports for each fixture.
var opensslReason = map[string]string{
	"valid":         ": OK",
	"expired":       "certificate has expired",
	"not-yet-valid": "certificate is not yet valid",
	"wrong-host":    "hostname mismatch",
	"untrusted":     "unable to get local issuer certificate",
	"wrong-eku":     "unsuitable certificate purpose",
}

func TestFixturesREADME(t *testing.T) {
	set, err := MakeFixtures(certs.SANs{DNSNames: []string{"svc.test"}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	readme := set.README()
	for _, f := range set.Fixtures {
		verdict := "REJECT"
		if f.Accept {
			verdict = "ACCEPT"
		}
		if !strings.Contains(readme, f.CertFile) || !strings.Contains(readme, verdict+": "+f.Why) {
			t.Errorf("README lacks the line for %s", f.CertFile)
		}
	}
	if !strings.Contains(readme, "svc.test") || !strings.Contains(readme, "unencrypted") {
		t.Errorf("README:\n%s", readme)
	}
	if _, err := MakeFixtures(certs.SANs{}, time.Now()); err == nil {
		t.Error("fixtures without hosts accepted")
	}
}
