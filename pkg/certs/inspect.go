package certs

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/keys"
)

// Kinds of object Inspect recognises.
const (
	KindCertificate = "certificate"
	KindCSR         = "csr"
	KindPrivateKey  = "private key"
	KindPublicKey   = "public key"
	KindOther       = "other"
)

// Object is one thing found in a file: a certificate, a request, a key, or a
// PEM block of another type (Kind "other"). Exactly one of the pointers is set
// for the first four kinds. The JSON form is the schema of `tlskit inspect --json`.
type Object struct {
	Kind        string              `json:"kind"`
	PEMType     string              `json:"pem_type,omitempty"`
	Certificate *CertSummary        `json:"certificate,omitempty"`
	CSR         *CSRSummary         `json:"csr,omitempty"`
	Key         *KeySummary         `json:"key,omitempty"`
	PublicKey   *keys.PublicKeyInfo `json:"public_key,omitempty"`
	// SPKIPin is the public key's pin (certificates, requests, public keys).
	SPKIPin string `json:"spki_pin,omitempty"`
}

// Names are subject alternative names as strings.
type Names struct {
	DNS   []string `json:"dns,omitempty"`
	IP    []string `json:"ip,omitempty"`
	Email []string `json:"email,omitempty"`
	URI   []string `json:"uri,omitempty"`
}

// Prefixed returns every name with openssl's prefix ("DNS:", "IP:",
// "email:", "URI:"), DNS names first.
func (n Names) Prefixed() []string {
	var out []string
	for _, group := range []struct {
		prefix string
		names  []string
	}{{"DNS:", n.DNS}, {"IP:", n.IP}, {"email:", n.Email}, {"URI:", n.URI}} {
		for _, name := range group.names {
			out = append(out, group.prefix+name)
		}
	}
	return out
}

// All returns every name, DNS names first.
func (n Names) All() []string {
	all := append(append([]string{}, n.DNS...), n.IP...)
	return append(append(all, n.Email...), n.URI...)
}

// CertSummary describes a certificate. Key usages use the RFC 5280 names
// (digitalSignature, keyCertSign, ...), extended ones the short names
// (serverAuth, clientAuth, ...). Fingerprints are upper-case hex with colons,
// as openssl prints them.
type CertSummary struct {
	Subject            string             `json:"subject"`
	SubjectRDNs        []DNAttribute      `json:"subject_rdns"`
	Issuer             string             `json:"issuer"`
	IssuerRDNs         []DNAttribute      `json:"issuer_rdns"`
	SelfIssued         bool               `json:"self_issued"`
	Serial             string             `json:"serial"`
	NotBefore          time.Time          `json:"not_before"`
	NotAfter           time.Time          `json:"not_after"`
	DaysLeft           int                `json:"days_left"` // negative once expired
	SANs               Names              `json:"sans"`
	PublicKey          keys.PublicKeyInfo `json:"public_key"`
	SignatureAlgorithm string             `json:"signature_algorithm"`
	IsCA               bool               `json:"is_ca"`
	MaxPathLen         *int               `json:"max_path_len,omitempty"` // set for a CA with a path length limit
	NameConstraints    *ConstraintSummary `json:"name_constraints,omitempty"`
	KeyUsage           []string           `json:"key_usage"`
	ExtKeyUsage        []string           `json:"ext_key_usage"`
	SubjectKeyID       string             `json:"subject_key_id,omitempty"`
	AuthorityKeyID     string             `json:"authority_key_id,omitempty"`
	SHA256             string             `json:"sha256"`
	SHA1               string             `json:"sha1"`
}

// CSRSummary describes a certificate request.
type CSRSummary struct {
	Subject            string             `json:"subject"`
	SubjectRDNs        []DNAttribute      `json:"subject_rdns"`
	SANs               Names              `json:"sans"`
	PublicKey          keys.PublicKeyInfo `json:"public_key"`
	SignatureAlgorithm string             `json:"signature_algorithm"`
	SignatureValid     bool               `json:"signature_valid"`
}

// KeySummary is KeyInfo for JSON; it never holds key material.
type KeySummary struct {
	Format     string `json:"format"`
	Encrypted  bool   `json:"encrypted"`
	Algorithm  string `json:"algorithm,omitempty"`
	Bits       int    `json:"bits,omitempty"`
	Curve      string `json:"curve,omitempty"`
	Cipher     string `json:"cipher,omitempty"`
	KDF        string `json:"kdf,omitempty"`
	Iterations int    `json:"iterations,omitempty"`
	ScryptN    int    `json:"scrypt_n,omitempty"`
	ScryptR    int    `json:"scrypt_r,omitempty"`
	ScryptP    int    `json:"scrypt_p,omitempty"`
	SaltLen    int    `json:"salt_len,omitempty"`
	// Unsupported: tlskit recognises the key but cannot use it for TLS.
	Unsupported bool `json:"unsupported,omitempty"`
}

// Inspect describes every object in data, which is PEM (any number of blocks)
// or a single DER certificate, request or private key. It never decrypts a key and never
// needs a passphrase. now is the time DaysLeft is counted from.
func Inspect(data []byte, now time.Time) ([]Object, error) {
	objs, _, err := InspectN(data, now, 0)
	return objs, err
}

// InspectN is Inspect describing at most max PEM blocks (0: all); omitted is
// the number of blocks after those, counted but not described, so a file of
// half a million blocks costs no more than max descriptions.
func InspectN(data []byte, now time.Time, max int) (objs []Object, omitted int, err error) {
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if max > 0 && len(objs) == max {
			omitted++
			continue
		}
		o, err := inspectBlock(b, now)
		if err != nil {
			return nil, 0, fmt.Errorf("PEM block %d (%s): %w", len(objs)+1, b.Type, err)
		}
		objs = append(objs, o)
	}
	if len(objs) > 0 {
		return objs, omitted, nil
	}
	objs, err = inspectDER(data, now)
	return objs, 0, err
}

func inspectBlock(b *pem.Block, now time.Time) (Object, error) {
	o := Object{PEMType: b.Type}
	var err error
	switch b.Type {
	case "CERTIFICATE", "TRUSTED CERTIFICATE":
		o.Kind = KindCertificate
		o.Certificate, err = inspectCertPEM(b)
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		o.Kind = KindCSR
		o.CSR, err = inspectCSRPEM(pem.EncodeToMemory(b))
	case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
		o.Kind = KindPrivateKey
		o.Key, err = inspectKeyPEM(pem.EncodeToMemory(b))
	case "PUBLIC KEY":
		o.Kind = KindPublicKey
		o.PublicKey, err = inspectPublicKey(b.Bytes)
	default:
		o.Kind = KindOther
	}
	if o.Certificate != nil {
		o.Certificate.DaysLeft = DaysLeft(o.Certificate.NotAfter, now)
	}
	if err == nil {
		o.SPKIPin = blockPin(b)
	}
	return o, err
}

// blockPin is the SPKI pin of a certificate, request or public key block.
func blockPin(b *pem.Block) string {
	switch b.Type {
	case "CERTIFICATE", "TRUSTED CERTIFICATE":
		if c, err := x509.ParseCertificate(firstDER(b.Bytes)); err == nil {
			return SPKIPin(c.RawSubjectPublicKeyInfo)
		}
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		if r, err := x509.ParseCertificateRequest(b.Bytes); err == nil {
			return SPKIPin(r.RawSubjectPublicKeyInfo)
		}
	case "PUBLIC KEY":
		return SPKIPin(b.Bytes)
	}
	return ""
}

// SPKIPin is the SHA-256 hash of a DER SubjectPublicKeyInfo in the form
// curl's --pinnedpubkey takes ("sha256//" and base64), which is also the
// HPKP pin-sha256 value.
func SPKIPin(spki []byte) string {
	sum := sha256.Sum256(spki)
	return "sha256//" + base64.StdEncoding.EncodeToString(sum[:])
}

func sha1Sum(der []byte) []byte {
	sum := sha1.Sum(der)
	return sum[:]
}

// firstDER is the first DER value of der: a TRUSTED CERTIFICATE block holds
// openssl's trust settings after the certificate.
func firstDER(der []byte) []byte {
	var first asn1.RawValue
	if _, err := asn1.Unmarshal(der, &first); err != nil {
		return der
	}
	return first.FullBytes
}

func inspectCertPEM(b *pem.Block) (*CertSummary, error) {
	certs, err := ParseCertificatesPEM(EncodePEM("CERTIFICATE", firstDER(b.Bytes)))
	if err != nil {
		return nil, err
	}
	return summarizeCert(certs[0]), nil
}

func inspectCSRPEM(data []byte) (*CSRSummary, error) {
	csr, err := ParseCSRPEM(data)
	if err == nil {
		return summarizeCSR(csr, true), nil
	}
	if !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrUnsupported) {
		return nil, err
	}
	// A request with a bad signature, or for a key tlskit cannot use (whose
	// signature it cannot check), is still worth describing.
	b, _ := pem.Decode(data)
	csr, perr := x509.ParseCertificateRequest(b.Bytes)
	if perr != nil {
		return nil, err
	}
	return summarizeCSR(csr, false), nil
}

func inspectKeyPEM(data []byte) (*KeySummary, error) {
	info, err := keys.DescribeKeyPEM(data)
	if err != nil && !info.Unsupported {
		return nil, err
	}
	s := KeySummary(info)
	if s.Unsupported {
		// Named in the text output too, where the field is not shown.
		const note = " (not supported by tlskit)"
		switch {
		case s.Encrypted:
			s.Cipher += note
		case s.Curve != "":
			s.Curve += note
		default:
			s.Algorithm += note
		}
	}
	return &s, nil
}

func inspectPublicKey(der []byte) (*keys.PublicKeyInfo, error) {
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	pk := keys.DescribePublicKey(pub)
	return &pk, nil
}

func inspectDER(data []byte, now time.Time) ([]Object, error) {
	if c, err := x509.ParseCertificate(data); err == nil {
		s := summarizeCert(c)
		s.DaysLeft = DaysLeft(s.NotAfter, now)
		return []Object{{Kind: KindCertificate, Certificate: s, SPKIPin: SPKIPin(c.RawSubjectPublicKeyInfo)}}, nil
	}
	if csr, err := x509.ParseCertificateRequest(data); err == nil {
		return []Object{{Kind: KindCSR, CSR: summarizeCSR(csr, csr.CheckSignature() == nil),
			SPKIPin: SPKIPin(csr.RawSubjectPublicKeyInfo)}}, nil
	}
	if k := inspectDERKey(data); k != nil {
		return []Object{{Kind: KindPrivateKey, Key: k}}, nil
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the input is empty", ErrNoPEM)
	}
	return nil, fmt.Errorf("%w, nor a DER certificate, request or private key", ErrNoPEM)
}

// inspectDERKey describes a private key in DER, as `openssl pkey -outform
// DER` writes it: DER carries no type label, so each key format is tried.
func inspectDERKey(der []byte) *KeySummary {
	for _, blockType := range []string{"PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"} {
		if k, err := inspectKeyPEM(EncodePEM(blockType, der)); err == nil {
			k.Format += " (DER)"
			return k
		}
	}
	return nil
}

func summarizeCert(c *x509.Certificate) *CertSummary {
	sum := sha256.Sum256(c.Raw)
	s := &CertSummary{
		Subject:            DN(c.RawSubject, c.Subject),
		SubjectRDNs:        DNAttributes(ParseDN(c.RawSubject, c.Subject)),
		Issuer:             DN(c.RawIssuer, c.Issuer),
		IssuerRDNs:         DNAttributes(ParseDN(c.RawIssuer, c.Issuer)),
		SelfIssued:         string(c.RawSubject) == string(c.RawIssuer),
		Serial:             ColonHex(c.SerialNumber.Bytes()),
		NotBefore:          c.NotBefore.UTC(),
		NotAfter:           c.NotAfter.UTC(),
		SANs:               names(c.DNSNames, c.IPAddresses, c.EmailAddresses, c.URIs),
		PublicKey:          keys.DescribeSPKI(c.RawSubjectPublicKeyInfo),
		SignatureAlgorithm: signatureName(c.SignatureAlgorithm),
		IsCA:               c.BasicConstraintsValid && c.IsCA,
		KeyUsage:           keyUsageNames(c.KeyUsage),
		ExtKeyUsage:        extKeyUsageNames(c.ExtKeyUsage, len(c.UnknownExtKeyUsage)),
		SubjectKeyID:       ColonHex(c.SubjectKeyId),
		AuthorityKeyID:     ColonHex(c.AuthorityKeyId),
		SHA256:             ColonHex(sum[:]),
		SHA1:               ColonHex(sha1Sum(c.Raw)),
	}
	if s.IsCA && (c.MaxPathLen > 0 || c.MaxPathLenZero) {
		n := c.MaxPathLen
		s.MaxPathLen = &n
	}
	if nc := ConstraintsOf(c); !nc.Empty() {
		s.NameConstraints = &ConstraintSummary{Permitted: nc.Permitted.Strings(), Excluded: nc.Excluded.Strings(),
			Critical: c.PermittedDNSDomainsCritical}
	}
	return s
}

// ConstraintSummary lists a CA's name constraints as the flags of ca init
// take them (DNS:example.com, IP:127.0.0.0/8, email:..., URI:...).
type ConstraintSummary struct {
	Permitted []string `json:"permitted,omitempty"`
	Excluded  []string `json:"excluded,omitempty"`
	Critical  bool     `json:"critical"`
}

func summarizeCSR(csr *x509.CertificateRequest, valid bool) *CSRSummary {
	return &CSRSummary{
		Subject:            DN(csr.RawSubject, csr.Subject),
		SubjectRDNs:        DNAttributes(ParseDN(csr.RawSubject, csr.Subject)),
		SANs:               names(csr.DNSNames, csr.IPAddresses, csr.EmailAddresses, csr.URIs),
		PublicKey:          keys.DescribeSPKI(csr.RawSubjectPublicKeyInfo),
		SignatureAlgorithm: signatureName(csr.SignatureAlgorithm),
		SignatureValid:     valid,
	}
}

// signatureName names a signature algorithm; crypto/x509 calls the ones it
// does not know "0".
func signatureName(a x509.SignatureAlgorithm) string {
	if a == x509.UnknownSignatureAlgorithm {
		return "unknown to tlskit"
	}
	return a.String()
}

// CertFingerprint is the SHA-256 fingerprint of a certificate in the form
// Inspect reports it.
func CertFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return ColonHex(sum[:])
}

// daysLeft counts whole days until t; an expired certificate gets a negative
// count (rounded away from zero, so "expired 1 day ago" starts at once).
// DaysLeft counts the days from now to t to the nearest whole day, so that
// a certificate made a moment ago with --days 365 has 365 left and one that
// expired 30 days ago (to the second) has -30; it is negative once t has
// passed, -1 for less than a day ago.
func DaysLeft(t, now time.Time) int {
	left := t.Sub(now)
	days := int(math.Round(left.Hours() / 24))
	if left < 0 && days == 0 {
		return -1
	}
	return days
}

// ColonHex formats b as upper-case hex pairs joined by colons, as openssl
// prints serials and fingerprints.
func ColonHex(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	h := strings.ToUpper(hex.EncodeToString(b))
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(h[i : i+2])
	}
	return sb.String()
}
