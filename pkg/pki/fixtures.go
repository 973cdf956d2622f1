package pki

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// Fixture is a test server certificate with its (unencrypted) key and what a
// correct TLS client must do when a server presents it.
type Fixture struct {
	Name     string // "valid", "expired", ...
	CertFile string
	KeyFile  string
	Cert     []byte // PEM
	Key      []byte // PEM, unencrypted: fixtures are test material
	Accept   bool
	Why      string
}

// FixtureSet is a CA and the fixtures for clients that trust it.
type FixtureSet struct {
	CACert   []byte // PEM of the CA the fixtures chain to (except "untrusted")
	Hosts    certs.SANs
	Fixtures []Fixture
}

// fixtureSpec says how to issue one fixture.
type fixtureSpec struct {
	name    string
	shift   time.Duration // moves the issuing time away from now
	days    int
	usage   certs.Usage
	sans    *certs.SANs // nil: the requested hosts
	foreign bool        // signed by a CA the client does not trust
	accept  bool
	why     string
}

func fixtureSpecs() []fixtureSpec {
	const day = 24 * time.Hour
	wrong := certs.SANs{DNSNames: []string{"wrong-host.invalid"}}
	return []fixtureSpec{
		{name: "valid", days: 30, usage: certs.UsageServer, accept: true,
			why: "valid now, for the fixture hosts, serverAuth, chains to ca.crt"},
		{name: "expired", shift: -60 * day, days: 30, usage: certs.UsageServer,
			why: "expired 30 days ago"},
		{name: "not-yet-valid", shift: 30 * day, days: 30, usage: certs.UsageServer,
			why: "valid only from 30 days from now"},
		{name: "wrong-host", days: 30, usage: certs.UsageServer, sans: &wrong,
			why: "valid only for wrong-host.invalid, not the fixture hosts"},
		{name: "untrusted", days: 30, usage: certs.UsageServer, foreign: true,
			why: "signed by a second CA that ca.crt does not vouch for"},
		{name: "wrong-eku", days: 30, usage: certs.UsageClient,
			why: "extended key usage is clientAuth only, not serverAuth"},
	}
}

// MakeFixtures issues the fixture set for hosts, with dates relative to now.
func MakeFixtures(hosts certs.SANs, now time.Time) (*FixtureSet, error) {
	if hosts.Empty() {
		return nil, fmt.Errorf("%w: fixtures need at least one host", certs.ErrInvalidSAN)
	}
	// The CAs start well before the expired fixture so that its validity is
	// not clipped to the CA's.
	ca, caKey, caPEM, err := fixtureCA("tlskit fixtures CA", now.Add(-90*24*time.Hour))
	if err != nil {
		return nil, err
	}
	other, otherKey, _, err := fixtureCA("tlskit fixtures untrusted CA", now.Add(-90*24*time.Hour))
	if err != nil {
		return nil, err
	}
	set := &FixtureSet{CACert: caPEM, Hosts: hosts}
	for _, spec := range fixtureSpecs() {
		issuer, issuerKey := ca, caKey
		if spec.foreign {
			issuer, issuerKey = other, otherKey
		}
		f, err := makeFixture(spec, hosts, issuer, issuerKey, now)
		if err != nil {
			return nil, fmt.Errorf("fixture %s: %w", spec.name, err)
		}
		set.Fixtures = append(set.Fixtures, f)
	}
	return set, nil
}

func fixtureCA(cn string, start time.Time) (*x509.Certificate, crypto.Signer, []byte, error) {
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa"})
	if err != nil {
		return nil, nil, nil, err
	}
	der, err := certs.CreateCA(key, certs.CAOptions{CommonName: cn, Days: 3650, Now: start})
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, certs.EncodePEM("CERTIFICATE", der), err
}

func makeFixture(spec fixtureSpec, hosts certs.SANs, ca *x509.Certificate, caKey crypto.Signer, now time.Time) (Fixture, error) {
	sans := hosts
	if spec.sans != nil {
		sans = *spec.sans
	}
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa"})
	if err != nil {
		return Fixture{}, err
	}
	csrDER, err := certs.CreateCSR(key, certs.SubjectFields{CommonName: spec.name + " fixture"}.RDNs(), sans)
	if err != nil {
		return Fixture{}, err
	}
	csr, err := certs.ParseCSRPEM(certs.EncodePEM("CERTIFICATE REQUEST", csrDER))
	if err != nil {
		return Fixture{}, err
	}
	der, err := certs.SignCSR(csr, ca, caKey, certs.LeafOptions{Days: spec.days, Usage: spec.usage, Now: now.Add(spec.shift)})
	if err != nil {
		return Fixture{}, err
	}
	keyPEM, err := keys.MarshalKeyPEM(key, nil, keys.Encryption{})
	return Fixture{Name: spec.name, CertFile: spec.name + ".crt", KeyFile: spec.name + ".key",
		Cert: certs.EncodePEM("CERTIFICATE", der), Key: keyPEM, Accept: spec.accept, Why: spec.why}, err
}

// README explains every file of the set, one line each.
func (s *FixtureSet) README() string {
	var b strings.Builder
	fmt.Fprintf(&b, "TLS client test fixtures made by tlskit fixtures for %s.\n", strings.Join(hostStrings(s.Hosts), ", "))
	b.WriteString("The keys are unencrypted test material: never use them outside tests.\n")
	b.WriteString("Configure the client under test to trust ca.crt only, and serve each certificate with its key.\n\n")
	fmt.Fprintf(&b, "%-18s %s\n", "ca.crt", "trust: the CA every fixture chains to, except untrusted.crt")
	for _, f := range s.Fixtures {
		verdict := "REJECT"
		if f.Accept {
			verdict = "ACCEPT"
		}
		fmt.Fprintf(&b, "%-18s %s: %s\n", f.CertFile, verdict, f.Why)
		fmt.Fprintf(&b, "%-18s the key of %s\n", f.KeyFile, f.CertFile)
	}
	return b.String()
}
