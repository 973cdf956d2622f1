package certs

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"net/url"
	"time"
)

// ParseSubject parses an openssl-style subject such as
// "/C=US/O=Acme, Inc./CN=www.example.com", with \ escapes and multi-valued
// RDNs joined by '+'. Errors wrap ErrInvalidSubject.
func ParseSubject(s string) (pkix.RDNSequence, error) { return nil, errNotImplemented }

// SubjectFields are the fields openssl req prompts for; empty ones are skipped.
type SubjectFields struct {
	Country, State, Locality, Organization, OrganizationalUnit, CommonName, Email string
}

// RDNs returns the fields as a subject in openssl's order.
func (f SubjectFields) RDNs() pkix.RDNSequence { return nil }

// CommonName returns the first CN in a subject, or "".
func CommonName(subject pkix.RDNSequence) string { return "" }

// SANs are subject alternative names.
type SANs struct {
	DNSNames []string
	IPs      []net.IP
	Emails   []string
	URIs     []*url.URL
}

// Empty reports whether there are no names at all.
func (s SANs) Empty() bool {
	return len(s.DNSNames)+len(s.IPs)+len(s.Emails)+len(s.URIs) == 0
}

// ParseSANs parses values with DNS:, IP:, email: or URI: prefixes, or bare
// values detected by shape; each value may be a comma-separated list. Errors
// wrap ErrInvalidSAN and say why.
func ParseSANs(values []string) (SANs, error) { return SANs{}, errNotImplemented }

// CreateCSR makes and self-verifies a PKCS#10 request (DER). When sans is
// empty, the subject's CN is added as a DNS or IP SAN.
func CreateCSR(key crypto.Signer, subject pkix.RDNSequence, sans SANs) ([]byte, error) {
	return nil, errNotImplemented
}

// ParseCSRPEM decodes a PEM CSR and checks its signature (ErrBadSignature).
func ParseCSRPEM(data []byte) (*x509.CertificateRequest, error) { return nil, errNotImplemented }

// ReadCSRFile reads and checks a CSR file; errors name the file.
func ReadCSRFile(path string) (*x509.CertificateRequest, error) { return nil, errNotImplemented }

// ParseCertificatesPEM decodes every CERTIFICATE block (ErrNotCertificate when none).
func ParseCertificatesPEM(data []byte) ([]*x509.Certificate, error) { return nil, errNotImplemented }

// ReadCertFile reads a PEM file of one or more certificates; errors name the file.
func ReadCertFile(path string) ([]*x509.Certificate, error) { return nil, errNotImplemented }

// EncodePEM wraps der in a PEM block of the given type.
func EncodePEM(blockType string, der []byte) []byte { return nil }

// Usage selects the extended key usages of a leaf certificate.
type Usage int

const (
	UsageBoth   Usage = iota // serverAuth and clientAuth
	UsageServer              // serverAuth
	UsageClient              // clientAuth
)

// LeafOptions controls SelfSign and SignCSR.
type LeafOptions struct {
	Days  int       // > 0 (ErrInvalidDays otherwise)
	Usage Usage     // default UsageBoth
	Now   time.Time // zero means time.Now()
}

// SelfSign issues an X.509 v3 certificate for csr signed by key, which must
// match the CSR's public key (ErrKeyMismatch).
func SelfSign(csr *x509.CertificateRequest, key crypto.Signer, opts LeafOptions) ([]byte, error) {
	return nil, errNotImplemented
}

// CAOptions controls CreateCA.
type CAOptions struct {
	CommonName string
	Days       int
	Now        time.Time
}

// CreateCA issues a self-signed CA certificate (CA:TRUE, pathlen 0).
func CreateCA(key crypto.Signer, opts CAOptions) ([]byte, error) { return nil, errNotImplemented }

// SignCSR issues a leaf for csr signed by the CA, validity clipped to the CA's.
// Errors wrap ErrNotCA, ErrKeyMismatch (CA key vs cert) or ErrBadSignature.
func SignCSR(csr *x509.CertificateRequest, ca *x509.Certificate, caKey crypto.Signer, opts LeafOptions) ([]byte, error) {
	return nil, errNotImplemented
}

// ExplainVerifyError turns an x509 verification error into a one-line
// diagnosis and an optional hint: the names a certificate is valid for versus
// the name asked, the unknown issuer, or the validity dates.
func ExplainVerifyError(err error) (msg, hint string) { return err.Error(), "" }
