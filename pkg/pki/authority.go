package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// Authority is a CA certificate with its key. It issues certificates with
// crypto/x509 directly, including ones tlskit's commands refuse to make
// (SHA-1 signatures, 1024-bit RSA keys, names outside the CA's
// constraints), which the fixture cases need; CA hierarchies can build on
// it too.
type Authority struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// CASpec describes a CA certificate to issue.
type CASpec struct {
	CommonName string
	NotBefore  time.Time
	NotAfter   time.Time
	PathLen    int          // how many CAs may follow this one; -1: no limit
	Permitted  []string     // permitted DNS subtrees (name constraints)
	PermitIPs  []*net.IPNet // permitted IP ranges (name constraints)
}

// LeafSpec describes an end-entity certificate to issue.
type LeafSpec struct {
	CommonName string
	SANs       certs.SANs
	NotBefore  time.Time
	NotAfter   time.Time
	Usage      []x509.ExtKeyUsage
	Key        crypto.Signer           // nil: a new ECDSA P-256 key
	SigAlg     x509.SignatureAlgorithm // zero: crypto/x509's choice for the issuer's key
}

// NewRootAuthority makes a self-signed CA with a new ECDSA P-256 key.
func NewRootAuthority(spec CASpec) (*Authority, error) {
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa"})
	if err != nil {
		return nil, err
	}
	tmpl, err := caTemplate(spec)
	if err != nil {
		return nil, err
	}
	cert, err := create(tmpl, tmpl, key, key)
	if err != nil {
		return nil, fmt.Errorf("CA %q: %w", spec.CommonName, err)
	}
	return &Authority{Cert: cert, Key: key}, nil
}

// Intermediate issues a subordinate CA with a new ECDSA P-256 key.
func (a *Authority) Intermediate(spec CASpec) (*Authority, error) {
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa"})
	if err != nil {
		return nil, err
	}
	tmpl, err := caTemplate(spec)
	if err != nil {
		return nil, err
	}
	cert, err := create(tmpl, a.Cert, key, a.Key)
	if err != nil {
		return nil, fmt.Errorf("intermediate CA %q: %w", spec.CommonName, err)
	}
	return &Authority{Cert: cert, Key: key}, nil
}

// Leaf issues an end-entity certificate and returns it with its key. The
// issuer's name constraints are not checked: crypto/x509 does not, and the
// name-constraint fixture relies on it.
func (a *Authority) Leaf(spec LeafSpec) (*x509.Certificate, crypto.Signer, error) {
	key := spec.Key
	if key == nil {
		var err error
		if key, err = keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa"}); err != nil {
			return nil, nil, err
		}
	}
	tmpl, err := leafTemplate(spec, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := create(tmpl, a.Cert, key, a.Key)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate %q: %w", spec.CommonName, err)
	}
	return cert, key, nil
}

// SelfSignedLeaf issues an end-entity certificate signed by its own key.
func SelfSignedLeaf(spec LeafSpec) (*x509.Certificate, crypto.Signer, error) {
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa"})
	if err != nil {
		return nil, nil, err
	}
	tmpl, err := leafTemplate(spec, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := create(tmpl, tmpl, key, key)
	return cert, key, err
}

func caTemplate(spec CASpec) (*x509.Certificate, error) {
	serial, err := serialNumber()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: spec.CommonName},
		NotBefore:             spec.NotBefore.UTC(),
		NotAfter:              spec.NotAfter.UTC(),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		MaxPathLen:            spec.PathLen,
		MaxPathLenZero:        spec.PathLen == 0,
		PermittedDNSDomains:   spec.Permitted,
		PermittedIPRanges:     spec.PermitIPs,
	}
	tmpl.PermittedDNSDomainsCritical = len(spec.Permitted)+len(spec.PermitIPs) > 0
	return tmpl, nil
}

func leafTemplate(spec LeafSpec, key crypto.Signer) (*x509.Certificate, error) {
	serial, err := serialNumber()
	if err != nil {
		return nil, err
	}
	usage := x509.KeyUsageDigitalSignature
	if _, ok := key.Public().(*rsa.PublicKey); ok {
		// RSA key exchange (TLS 1.2 without ECDHE) encrypts to the key.
		usage |= x509.KeyUsageKeyEncipherment
	}
	return &x509.Certificate{
		SerialNumber:       serial,
		Subject:            pkix.Name{CommonName: spec.CommonName},
		DNSNames:           spec.SANs.DNSNames,
		IPAddresses:        spec.SANs.IPs,
		NotBefore:          spec.NotBefore.UTC(),
		NotAfter:           spec.NotAfter.UTC(),
		KeyUsage:           usage,
		ExtKeyUsage:        spec.Usage,
		SignatureAlgorithm: spec.SigAlg,
	}, nil
}

// create signs tmpl as parent with signer and parses the result.
func create(tmpl, parent *x509.Certificate, key, signer crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// serialNumber is a positive random serial of up to 127 bits.
func serialNumber() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}
