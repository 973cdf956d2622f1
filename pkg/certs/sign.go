package certs

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	"github.com/tlskit/tlskit/pkg/keys"
)

// Usage selects the extended key usages of a leaf certificate.
type Usage int

const (
	UsageBoth   Usage = iota // serverAuth and clientAuth
	UsageServer              // serverAuth
	UsageClient              // clientAuth
)

// LeafOptions controls SelfSign and SignCSR.
type LeafOptions struct {
	Days  int       // 1 to 100000 (ErrInvalidDays otherwise); more than 398 is allowed
	Usage Usage     // default UsageBoth
	Now   time.Time // zero means time.Now()
	// Issuers are the signing CA's own issuers, up to the root, for SignCSR
	// to check the new certificate against the constraints of the whole chain.
	Issuers []*x509.Certificate
}

// CAOptions controls CreateCA.
type CAOptions struct {
	CommonName string // required (ErrInvalidSubject when empty)
	Days       int    // 1 to 100000 (ErrInvalidDays otherwise)
	Now        time.Time
	// PathLen is how many intermediate CAs may follow this one: 0 (the
	// default) lets it sign end-entity certificates only; -1 sets no limit.
	PathLen     int
	Constraints NameConstraints
	// Parent, the issuing CA followed by its own issuers, and ParentKey make
	// an intermediate CA; without them the CA is self-signed.
	Parent    []*x509.Certificate
	ParentKey crypto.Signer
}

const (
	// clockSkew backdates NotBefore so that a peer whose clock runs a little
	// behind does not reject a certificate issued a moment ago.
	clockSkew = 5 * time.Minute
	// maxDays keeps NotAfter far below year 9999, the GeneralizedTime limit.
	maxDays = 100000
)

// SelfSign issues an X.509 v3 certificate for csr signed by key, which must
// match the CSR's public key (ErrKeyMismatch). Subject and SANs come from the
// CSR; the certificate is its own issuer, with AuthorityKeyId = SubjectKeyId.
func SelfSign(csr *x509.CertificateRequest, key crypto.Signer, opts LeafOptions) ([]byte, error) {
	if err := checkCSR(csr, key.Public(), "the key"); err != nil {
		return nil, err
	}
	tmpl, err := leafTemplate(csr, opts)
	if err != nil {
		return nil, err
	}
	tmpl.AuthorityKeyId = tmpl.SubjectKeyId
	return issue(tmpl, tmpl, key)
}

// SignCSR issues a leaf for csr signed by the CA, validity clipped to the CA's.
// Errors wrap ErrNotCA, ErrKeyMismatch (CA key vs cert) or ErrBadSignature.
func SignCSR(csr *x509.CertificateRequest, ca *x509.Certificate, caKey crypto.Signer, opts LeafOptions) ([]byte, error) {
	if err := checkCA(ca, caKey); err != nil {
		return nil, err
	}
	if err := checkCSR(csr, nil, ""); err != nil {
		return nil, err
	}
	tmpl, err := leafTemplate(csr, opts)
	if err != nil {
		return nil, err
	}
	if err := clipValidity(tmpl, ca); err != nil {
		return nil, err
	}
	tmpl.AuthorityKeyId = ca.SubjectKeyId
	der, err := issue(tmpl, ca, caKey)
	if err != nil {
		return nil, err
	}
	return der, checkIssued(der, append([]*x509.Certificate{ca}, opts.Issuers...), opts.Now)
}

// CreateCA issues a CA certificate, self-signed or, with opts.Parent, an
// intermediate: CA:TRUE with opts.PathLen (0 by default, so that it signs
// leaves only), opts.Constraints, and KeyUsage certSign, CRLSign and
// digitalSignature. There is no default name: an empty CommonName fails.
func CreateCA(key crypto.Signer, opts CAOptions) ([]byte, error) {
	tmpl, err := caTemplate(key, opts)
	if err != nil {
		return nil, err
	}
	if len(opts.Parent) > 0 {
		return issueIntermediate(tmpl, opts)
	}
	tmpl.AuthorityKeyId = tmpl.SubjectKeyId
	return issue(tmpl, tmpl, key)
}

func caTemplate(key crypto.Signer, opts CAOptions) (*x509.Certificate, error) {
	if opts.CommonName == "" {
		return nil, fmt.Errorf("%w: the CA needs a common name", ErrInvalidSubject)
	}
	subject, err := marshalSubject(pkix.RDNSequence{{{Type: oidCommonName, Value: opts.CommonName}}})
	if err != nil {
		return nil, err
	}
	tmpl, err := baseTemplate(subject, key.Public(), opts.Now, opts.Days)
	if err != nil {
		return nil, err
	}
	tmpl.IsCA = true
	if opts.PathLen < -1 {
		return nil, fmt.Errorf("%w: path length %d (must be 0 or more)", ErrPathLen, opts.PathLen)
	}
	tmpl.MaxPathLen, tmpl.MaxPathLenZero = opts.PathLen, opts.PathLen == 0
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	opts.Constraints.apply(tmpl)
	return tmpl, nil
}

// checkCSR verifies the CSR's signature and, when pub is not nil, that pub
// (described by what) is the CSR's public key.
func checkCSR(csr *x509.CertificateRequest, pub crypto.PublicKey, what string) error {
	if err := csr.CheckSignature(); err != nil {
		return fmt.Errorf("%w: the certificate request's signature does not verify: %s", ErrBadSignature, err.Error())
	}
	if pub != nil && !keys.PublicKeysEqual(pub, csr.PublicKey) {
		return fmt.Errorf("%w: %s is not the one the certificate request was made with", ErrKeyMismatch, what)
	}
	return nil
}

// checkCA refuses a certificate that may not sign others, or a key that is
// not its own. A CA without a KeyUsage extension may sign (RFC 5280 4.2.1.3).
func checkCA(ca *x509.Certificate, caKey crypto.Signer) error {
	if err := checkCACert(ca); err != nil {
		return err
	}
	if !keys.PublicKeysEqual(caKey.Public(), ca.PublicKey) {
		return fmt.Errorf("%w: the CA key does not belong to the CA certificate %q", ErrKeyMismatch, DN(ca.RawSubject, ca.Subject))
	}
	return nil
}

func checkCACert(ca *x509.Certificate) error {
	name := DN(ca.RawSubject, ca.Subject)
	if !ca.BasicConstraintsValid || !ca.IsCA {
		return fmt.Errorf("%w: %q does not have BasicConstraints CA:TRUE", ErrNotCA, name)
	}
	if ca.KeyUsage != 0 && ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		return fmt.Errorf("%w: the key usage of %q does not include certificate signing", ErrNotCA, name)
	}
	return nil
}

// CheckCACert makes SignCSR's checks of the CA certificate alone, so that a
// caller can refuse it before reading the CA key (and asking for its
// passphrase): it must be a CA allowed to sign, and not expired at now.
// Errors wrap ErrNotCA or ErrInvalidDays.
func CheckCACert(ca *x509.Certificate, now time.Time) error {
	if err := checkCACert(ca); err != nil {
		return err
	}
	if !now.Before(ca.NotAfter) {
		return fmt.Errorf("%w: the CA certificate %q expired on %s", ErrInvalidDays,
			DN(ca.RawSubject, ca.Subject), ca.NotAfter.UTC().Format(dateFormat))
	}
	return nil
}

// leafTemplate builds the end-entity part shared by SelfSign and SignCSR.
func leafTemplate(csr *x509.CertificateRequest, opts LeafOptions) (*x509.Certificate, error) {
	tmpl, err := baseTemplate(csr.RawSubject, csr.PublicKey, opts.Now, opts.Days)
	if err != nil {
		return nil, err
	}
	sans, err := LeafNames(csr, opts.Usage)
	if err != nil {
		return nil, err
	}
	tmpl.DNSNames, tmpl.IPAddresses, tmpl.EmailAddresses, tmpl.URIs = sans.DNSNames, sans.IPs, sans.Emails, sans.URIs
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	if _, ok := csr.PublicKey.(*rsa.PublicKey); ok {
		// RSA key exchange (TLS 1.2 without ECDHE) encrypts to the key.
		tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	tmpl.ExtKeyUsage, err = extKeyUsages(opts.Usage)
	return tmpl, err
}

// LeafNames returns the subject alternative names a certificate for csr
// with usage u gets: the request's, or, when it has none and the certificate
// is for servers, its Common Name if that is a host name or IP address, since
// TLS clients (and VerifyChain) ignore the CN. A certificate only for servers
// that would have no such name is refused (ErrInvalidSAN): no client would
// accept it.
func LeafNames(csr *x509.CertificateRequest, u Usage) (SANs, error) {
	sans := SANs{DNSNames: csr.DNSNames, IPs: csr.IPAddresses, Emails: csr.EmailAddresses, URIs: csr.URIs}
	if u == UsageClient || !sans.Empty() {
		return sans, nil
	}
	sans = sansFromCN(csr.Subject.CommonName)
	if sans.Empty() && u == UsageServer {
		return SANs{}, fmt.Errorf("%w: the request has no subject alternative name, and its Common Name %q is not a "+
			"host name or IP address: TLS clients would reject a server certificate for it", ErrInvalidSAN, csr.Subject.CommonName)
	}
	return sans, nil
}

func extKeyUsages(u Usage) ([]x509.ExtKeyUsage, error) {
	switch u {
	case UsageBoth:
		return []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, nil
	case UsageServer:
		return []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, nil
	case UsageClient:
		return []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil
	}
	return nil, fmt.Errorf("%w: certificate usage %d", ErrUnsupported, u)
}

// CheckDays refuses a validity period certificates cannot have (ErrInvalidDays).
func CheckDays(days int) error {
	if days <= 0 || days > maxDays {
		return fmt.Errorf("%w: %d days (must be between 1 and %d)", ErrInvalidDays, days, maxDays)
	}
	return nil
}

// baseTemplate holds what every tlskit certificate has: a random serial,
// validity from now minus clockSkew to now plus days, valid basic
// constraints (CA:FALSE unless the caller changes it) and a SubjectKeyId.
func baseTemplate(rawSubject []byte, pub crypto.PublicKey, now time.Time, days int) (*x509.Certificate, error) {
	if err := CheckDays(days); err != nil {
		return nil, err
	}
	if now.IsZero() {
		now = time.Now()
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	skid, err := subjectKeyID(pub)
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:          serial,
		RawSubject:            rawSubject,
		PublicKey:             pub,
		NotBefore:             now.Add(-clockSkew).UTC(),
		NotAfter:              now.Add(time.Duration(days) * 24 * time.Hour).UTC(),
		BasicConstraintsValid: true,
		SubjectKeyId:          skid,
	}, nil
}

// randomSerial returns a positive serial of exactly 127 bits: 16 random
// bytes with the top bit cleared (so DER needs no sign byte) and the next
// one set (so it never shrinks), leaving 126 random bits, well above the 64
// that the CA/Browser Forum requires.
func randomSerial() (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	b[0] = b[0]&0x7f | 0x40
	return new(big.Int).SetBytes(b), nil
}

// subjectKeyID is RFC 5280 4.2.1.2 method 1: the SHA-1 of the
// subjectPublicKey BIT STRING, which is what openssl computes too.
func subjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnsupported, err.Error())
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, fmt.Errorf("%w: public key: %s", ErrMalformed, err.Error())
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:], nil
}

// clipValidity keeps the leaf inside the CA's validity, since a chain is
// only as valid as its shortest-lived certificate.
func clipValidity(tmpl, ca *x509.Certificate) error {
	if tmpl.NotAfter.After(ca.NotAfter) {
		tmpl.NotAfter = ca.NotAfter
	}
	if tmpl.NotBefore.Before(ca.NotBefore) {
		tmpl.NotBefore = ca.NotBefore
	}
	if !tmpl.NotAfter.After(tmpl.NotBefore) {
		return fmt.Errorf("%w: the CA certificate %q expired on %s", ErrInvalidDays,
			DN(ca.RawSubject, ca.Subject), ca.NotAfter.UTC().Format(dateFormat))
	}
	return nil
}

// issue signs tmpl as parent with key, and checks that the result parses
// and that its signature verifies with key's public half.
func issue(tmpl, parent *x509.Certificate, key crypto.Signer) ([]byte, error) {
	alg, err := signatureAlgorithm(key.Public())
	if err != nil {
		return nil, err
	}
	tmpl.SignatureAlgorithm = alg
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, tmpl.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("%w: the new certificate: %s", ErrMalformed, err.Error())
	}
	signer := &x509.Certificate{PublicKey: key.Public()}
	if err := signer.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		return nil, fmt.Errorf("%w: the new certificate does not verify: %s", ErrBadSignature, err.Error())
	}
	return der, nil
}
