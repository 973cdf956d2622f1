package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
)

// Verdict is what a correct TLS client does with a fixture case.
type Verdict string

const (
	Accept Verdict = "accept" // completes the handshake and talks to the server
	Reject Verdict = "reject" // refuses the connection
	// Informational cases are reported but not scored: correct clients differ.
	Informational Verdict = "info"
)

// ClientAuth says what a case's server asks of the client.
type ClientAuth int

const (
	NoClientCert    ClientAuth = iota
	RequireClientCA            // a client certificate issued by the fixture CA
)

// CaseTLS is the TLS a case's server speaks. Zero versions mean TLS 1.2 to
// 1.3; nil CipherSuites mean crypto/tls's defaults.
type CaseTLS struct {
	MinVersion   uint16
	MaxVersion   uint16
	CipherSuites []uint16
	ClientAuth   ClientAuth
}

// Case is one server a TLS client is tested against: the certificates it
// sends and how it speaks TLS, as data, and the verdict a correct client
// must reach, with the reason.
type Case struct {
	Name    string // also the SNI label: NAME.localhost
	Verdict Verdict
	Why     string
	Chain   [][]byte // DER, in the order the server sends it, leaf first
	Key     crypto.Signer
	TLS     CaseTLS
}

// CaseSet is every fixture case with what a client needs to test itself:
// the CA to trust and client certificates.
type CaseSet struct {
	CA    *x509.Certificate // the only certificate the client under test trusts
	Cases []Case
	// Client is a client certificate from CA (clientAuth), for the
	// client-cert case; OtherClient is one from a CA the servers do not
	// trust, for client-cert-required when the command takes a certificate.
	Client, OtherClient ClientCert
}

// ClientCert is a client certificate and its key.
type ClientCert struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// SNIName is the server name that selects a case on the shared port.
func SNIName(caseName string) string { return caseName + ".localhost" }

// CaseSANs are the names every case certificate is valid for (except
// wrong-host's): localhost, 127.0.0.1 and the case's SNI name.
func CaseSANs(caseName string) certs.SANs {
	return certs.SANs{DNSNames: []string{"localhost", SNIName(caseName)}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}}
}

// Case returns the case named name.
func (s *CaseSet) Case(name string) (*Case, bool) {
	for i := range s.Cases {
		if s.Cases[i].Name == name {
			return &s.Cases[i], true
		}
	}
	return nil, false
}

// Validity of the cases. Valid certificates last a year, expired ones ended
// 30 days ago and not-yet-valid ones start in 5 years, so a fixture
// directory kept for months keeps the same verdicts.
const (
	oneDay       = 24 * time.Hour
	caseValidity = 365 * oneDay
	caValidity   = 10 * 365 * oneDay
)

// caseMaker issues the cases; its fields are the CAs they share.
type caseMaker struct {
	now                    time.Time
	root, inter, constrain *Authority
}

// MakeCases issues every fixture case with dates relative to now.
func MakeCases(now time.Time) (*CaseSet, error) {
	m := &caseMaker{now: now}
	var err error
	start, end := now.Add(-2*caseValidity), now.Add(caValidity)
	if m.root, err = NewRootAuthority(CASpec{CommonName: "tlskit fixtures CA", NotBefore: start, NotAfter: end, PathLen: 1}); err != nil {
		return nil, err
	}
	if m.inter, err = m.root.Intermediate(CASpec{CommonName: "tlskit fixtures intermediate CA", NotBefore: start, NotAfter: end}); err != nil {
		return nil, err
	}
	if m.constrain, err = m.root.Intermediate(CASpec{CommonName: "tlskit fixtures example.test CA",
		NotBefore: start, NotAfter: end, Permitted: []string{"example.test"},
		PermitIPs: []*net.IPNet{{IP: net.IPv4(192, 0, 2, 0), Mask: net.CIDRMask(24, 32)}}}); err != nil {
		return nil, err
	}
	set := &CaseSet{CA: m.root.Cert}
	for _, spec := range caseSpecs() {
		c, err := m.make(spec)
		if err != nil {
			return nil, fmt.Errorf("fixture case %s: %w", spec.name, err)
		}
		set.Cases = append(set.Cases, c)
	}
	return set, m.clients(set, start, end)
}

// caseSpec is one row of the case table.
type caseSpec struct {
	name    string
	verdict Verdict
	why     string
	issue   func(m *caseMaker, name string) ([][]byte, crypto.Signer, error)
	tls     CaseTLS
}

var (
	tls12Only = CaseTLS{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12}
	cbcSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256}
)

func caseSpecs() []caseSpec {
	return []caseSpec{
		{"valid", Accept, "valid now, for localhost, serverAuth, issued by the fixture CA", (*caseMaker).valid, CaseTLS{}},
		{"intermediate", Accept, "issued by an intermediate CA that the server sends after the leaf", (*caseMaker).intermediate, CaseTLS{}},
		{"expired", Reject, "the certificate expired 30 days ago", (*caseMaker).expired, CaseTLS{}},
		{"not-yet-valid", Reject, "the certificate is valid only from 5 years from now", (*caseMaker).notYetValid, CaseTLS{}},
		{"wrong-host", Reject, "the certificate is for wrong-host.invalid only, not localhost", (*caseMaker).wrongHost, CaseTLS{}},
		{"untrusted-root", Reject, "issued by a root the client does not trust; the server sends that root too, which must not help", (*caseMaker).untrustedRoot, CaseTLS{}},
		{"self-signed", Reject, "the leaf is signed by its own key, and no trusted CA vouches for it", (*caseMaker).selfSigned, CaseTLS{}},
		{"incomplete-chain", Reject, "issued by an intermediate CA that the server does not send, so the chain cannot be built from the trusted root alone", (*caseMaker).incompleteChain, CaseTLS{}},
		{"wrong-eku", Reject, "the extended key usage is clientAuth only, not serverAuth", (*caseMaker).wrongEKU, CaseTLS{}},
		{"name-constraint", Reject, "issued by an intermediate CA constrained to example.test and 192.0.2.0/24; localhost and 127.0.0.1 are outside", (*caseMaker).nameConstraint, CaseTLS{}},
		{"sha1", Reject, "the leaf's signature is ECDSA with SHA-1, which is collision-prone and refused since 2017", (*caseMaker).sha1, CaseTLS{}},
		{"rsa1024", Reject, "the leaf's key is 1024-bit RSA, below the 2048-bit minimum (Go's crypto/tls still accepts it)", (*caseMaker).rsa1024, CaseTLS{}},
		{"client-cert", Accept, "the server requires a client certificate from the fixture CA (TLS 1.2) and the client sends {cert}", (*caseMaker).valid,
			CaseTLS{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12, ClientAuth: RequireClientCA}},
		{"client-cert-required", Reject, "the server requires a client certificate from the fixture CA (TLS 1.2); the client sends none, or one from another CA", (*caseMaker).valid,
			CaseTLS{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12, ClientAuth: RequireClientCA}},
		{"tls10", Reject, "the server speaks TLS 1.0 only, deprecated by RFC 8996", (*caseMaker).valid, CaseTLS{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}},
		{"tls11", Reject, "the server speaks TLS 1.1 only, deprecated by RFC 8996", (*caseMaker).valid, CaseTLS{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11}},
		{"cbc-only", Informational, "TLS 1.2 with CBC cipher suites only: weak but not broken, and many correct clients still allow them", (*caseMaker).valid,
			CaseTLS{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12, CipherSuites: cbcSuites}},
	}
}

func (m *caseMaker) make(spec caseSpec) (Case, error) {
	chain, key, err := spec.issue(m, spec.name)
	if err != nil {
		return Case{}, err
	}
	return Case{Name: spec.name, Verdict: spec.verdict, Why: spec.why, Chain: chain, Key: key, TLS: spec.tls}, nil
}

// leafSpec is a valid server certificate for the case.
func (m *caseMaker) leafSpec(name string) LeafSpec {
	return LeafSpec{CommonName: name + " fixture", SANs: CaseSANs(name), NotBefore: m.now.Add(-time.Hour),
		NotAfter: m.now.Add(caseValidity), Usage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
}

// issueBy issues spec from a, and returns the chain the server sends: the
// leaf followed by extra.
func issueBy(a *Authority, spec LeafSpec, extra ...*x509.Certificate) ([][]byte, crypto.Signer, error) {
	leaf, key, err := a.Leaf(spec)
	if err != nil {
		return nil, nil, err
	}
	chain := [][]byte{leaf.Raw}
	for _, c := range extra {
		chain = append(chain, c.Raw)
	}
	return chain, key, nil
}

func (m *caseMaker) valid(name string) ([][]byte, crypto.Signer, error) {
	return issueBy(m.root, m.leafSpec(name))
}

func (m *caseMaker) intermediate(name string) ([][]byte, crypto.Signer, error) {
	return issueBy(m.inter, m.leafSpec(name), m.inter.Cert)
}

func (m *caseMaker) expired(name string) ([][]byte, crypto.Signer, error) {
	spec := m.leafSpec(name)
	spec.NotBefore, spec.NotAfter = m.now.Add(-caseValidity), m.now.Add(-30*oneDay)
	return issueBy(m.root, spec)
}

func (m *caseMaker) notYetValid(name string) ([][]byte, crypto.Signer, error) {
	spec := m.leafSpec(name)
	spec.NotBefore, spec.NotAfter = m.now.Add(5*365*oneDay), m.now.Add(6*365*oneDay)
	return issueBy(m.root, spec)
}

func (m *caseMaker) wrongHost(name string) ([][]byte, crypto.Signer, error) {
	spec := m.leafSpec(name)
	spec.SANs = certs.SANs{DNSNames: []string{"wrong-host.invalid"}}
	return issueBy(m.root, spec)
}

func (m *caseMaker) untrustedRoot(name string) ([][]byte, crypto.Signer, error) {
	other, err := NewRootAuthority(CASpec{CommonName: "tlskit fixtures untrusted root", NotBefore: m.now.Add(-oneDay),
		NotAfter: m.now.Add(caValidity), PathLen: 0})
	if err != nil {
		return nil, nil, err
	}
	return issueBy(other, m.leafSpec(name), other.Cert)
}

func (m *caseMaker) selfSigned(name string) ([][]byte, crypto.Signer, error) {
	leaf, key, err := SelfSignedLeaf(m.leafSpec(name))
	if err != nil {
		return nil, nil, err
	}
	return [][]byte{leaf.Raw}, key, nil
}

// incompleteChain uses an intermediate of its own that no case ever sends,
// so a client that caches intermediates from earlier connections (NSS,
// Windows) cannot complete the chain from the intermediate case.
func (m *caseMaker) incompleteChain(name string) ([][]byte, crypto.Signer, error) {
	hidden, err := m.root.Intermediate(CASpec{CommonName: "tlskit fixtures unsent intermediate CA",
		NotBefore: m.root.Cert.NotBefore, NotAfter: m.root.Cert.NotAfter})
	if err != nil {
		return nil, nil, err
	}
	return issueBy(hidden, m.leafSpec(name))
}

func (m *caseMaker) wrongEKU(name string) ([][]byte, crypto.Signer, error) {
	spec := m.leafSpec(name)
	spec.Usage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	return issueBy(m.root, spec)
}

func (m *caseMaker) nameConstraint(name string) ([][]byte, crypto.Signer, error) {
	return issueBy(m.constrain, m.leafSpec(name), m.constrain.Cert)
}

func (m *caseMaker) sha1(name string) ([][]byte, crypto.Signer, error) {
	spec := m.leafSpec(name)
	spec.SigAlg = x509.ECDSAWithSHA1
	return issueBy(m.root, spec)
}

func (m *caseMaker) rsa1024(name string) ([][]byte, crypto.Signer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		return nil, nil, err
	}
	spec := m.leafSpec(name)
	spec.Key = key
	return issueBy(m.root, spec)
}

// clients issues the client certificates of the client-cert cases.
func (m *caseMaker) clients(set *CaseSet, start, end time.Time) error {
	spec := LeafSpec{CommonName: "tlskit fixtures client", NotBefore: m.now.Add(-time.Hour),
		NotAfter: m.now.Add(caseValidity), Usage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	var err error
	if set.Client.Cert, set.Client.Key, err = m.root.Leaf(spec); err != nil {
		return err
	}
	other, err := NewRootAuthority(CASpec{CommonName: "tlskit fixtures other client CA", NotBefore: start, NotAfter: end})
	if err != nil {
		return err
	}
	set.OtherClient.Cert, set.OtherClient.Key, err = other.Leaf(spec)
	return err
}
