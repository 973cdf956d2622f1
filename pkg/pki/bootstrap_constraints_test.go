package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// TestBootstrapCAIsNameConstrained: the bootstrap CA may vouch only for its
// hosts, IP addresses included; adding a host renews it with the same key and
// name, and what it issued before keeps verifying, with Go and openssl.
func TestBootstrapCAIsNameConstrained(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, bootstrapReq(now, "localhost"))
	ca, caKey := readCA(t, dir)
	nc := certs.ConstraintsOf(ca)
	if got := strings.Join(append(nc.Permitted.Strings(), nc.Excluded.Strings()...), " "); got != "DNS:localhost IP:0.0.0.0/0 IP:::/0" {
		t.Fatalf("constraints %q, want DNS:localhost permitted and every IP excluded", got)
	}
	oldServer := readFile(t, dir, ServerCertFile)
	testkit.OpenSSL(t, dir, "verify", "-CAfile", CACertFile, "-verify_hostname", "localhost", ServerCertFile)
	testkit.OpenSSL(t, dir, "verify", "-CAfile", CACertFile, "-purpose", "sslclient", "client-ci.crt")

	// A key thief signing for another site or an address gets nothing a client accepts.
	for _, name := range []string{"www.example.com", "8.8.8.8"} {
		rogue := rogueLeaf(t, ca, caKey, name)
		testkit.WriteFile(t, dir, "rogue.crt", certs.EncodePEM("CERTIFICATE", rogue.Raw))
		if out, err := testkit.OpenSSLRun(t, dir, "verify", "-CAfile", CACertFile, "rogue.crt"); err == nil || !strings.Contains(out, "violation") {
			t.Errorf("openssl accepted a rogue leaf for %s: %v\n%s", name, err, out)
		}
		if _, err := rogue.Verify(x509.VerifyOptions{Roots: pool(ca)}); err == nil {
			t.Errorf("Go accepted a rogue leaf for %s", name)
		}
	}

	plan := applyDir(t, dir, bootstrapReq(now, "localhost", "127.0.0.1"))
	if it := plan.Items[0]; it.Action != ActionReissue || !it.KeepsIssued() || !strings.Contains(it.Reason, "IP:127.0.0.1/32") {
		t.Fatalf("ca after adding a host: %s %q (keeps issued %v)", it.Action, it.Reason, it.KeepsIssued())
	}
	newCA, newKey := readCA(t, dir)
	if !keys.PublicKeysEqual(newKey.Public(), caKey.Public()) || newCA.Subject.String() != ca.Subject.String() {
		t.Fatal("the renewed CA has another key or name")
	}
	testkit.WriteFile(t, dir, "old-server.crt", []byte(oldServer))
	testkit.OpenSSL(t, dir, "verify", "-CAfile", CACertFile, "-verify_hostname", "localhost", "old-server.crt")
	testkit.OpenSSL(t, dir, "verify", "-CAfile", CACertFile, "-verify_ip", "127.0.0.1", ServerCertFile)
	testkit.OpenSSL(t, dir, "verify", "-CAfile", CACertFile, "-purpose", "sslclient", "client-ci.crt")
	for _, f := range []string{"old-server.crt", ServerCertFile, "client-ci.crt"} {
		c, err := certs.ReadCertFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c[0].Verify(x509.VerifyOptions{Roots: pool(newCA), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			t.Errorf("%s under the renewed CA: %v", f, err)
		}
	}
}

func TestBootstrapRefusesDottedClientNamesUnderConstraints(t *testing.T) {
	req := bootstrapReq(time.Now(), "localhost")
	req.Clients = []string{"ci.runner"}
	_, err := planDirErr(t.TempDir(), req)
	testkit.CheckErr(t, err, certs.ErrInvalidSubject, `client name "ci.runner"`, "name constraints")
	req.Unconstrained = true
	if _, err := planDirErr(t.TempDir(), req); err != nil {
		t.Fatalf("without constraints: %v", err)
	}
}

func readCA(t *testing.T, dir string) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	c, err := certs.ReadCertFile(filepath.Join(dir, CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	key, err := keys.ReadKeyFile(filepath.Join(dir, CAKeyFile), keys.ReadKeyOptions{
		Passphrase: func() ([]byte, error) { return []byte("correct-horse"), nil }})
	if err != nil {
		t.Fatal(err)
	}
	return c[0], key
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func pool(cs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range cs {
		p.AddCert(c)
	}
	return p
}

// rogueLeaf signs a leaf for name with crypto/x509 alone, as someone holding
// the CA key could, bypassing tlskit's own constraint check.
func rogueLeaf(t *testing.T, ca *x509.Certificate, caKey crypto.Signer, name string) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, testkit.Key(t, "p256").Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
