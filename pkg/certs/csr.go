package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"net"

	"github.com/tlskit/tlskit/pkg/keys"
)

// CreateCSR makes and self-verifies a PKCS#10 request (DER). When sans is
// empty, the subject's CN is added as an IP or DNS SAN, because TLS clients
// ignore the CN; a CN that is neither (such as "My Server") adds nothing.
func CreateCSR(key crypto.Signer, subject pkix.RDNSequence, sans SANs) ([]byte, error) {
	if sans.Empty() {
		sans = sansFromCN(CommonName(subject))
	}
	return createCSR(key, subject, sans)
}

// CreateClientCSR makes a request for a TLS client certificate named by its
// subject alone: no SAN comes from the CN, since a client is not a host (and
// a CA with name constraints would have to permit the name as one).
func CreateClientCSR(key crypto.Signer, subject pkix.RDNSequence) ([]byte, error) {
	return createCSR(key, subject, SANs{})
}

func createCSR(key crypto.Signer, subject pkix.RDNSequence, sans SANs) ([]byte, error) {
	tmpl, err := csrTemplate(key.Public(), subject, sans)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	if err != nil {
		return nil, fmt.Errorf("create certificate request: %w", err)
	}
	return der, verifyCSRDER(der)
}

func csrTemplate(pub crypto.PublicKey, subject pkix.RDNSequence, sans SANs) (*x509.CertificateRequest, error) {
	alg, err := signatureAlgorithm(pub)
	if err != nil {
		return nil, err
	}
	raw, err := marshalSubject(subject)
	if err != nil {
		return nil, err
	}
	if len(subject) == 0 && sans.Empty() {
		return nil, fmt.Errorf("%w: empty subject and no subject alternative names", ErrInvalidSubject)
	}
	return &x509.CertificateRequest{
		RawSubject: raw, SignatureAlgorithm: alg,
		DNSNames: sans.DNSNames, IPAddresses: sans.IPs, EmailAddresses: sans.Emails, URIs: sans.URIs,
	}, nil
}

func sansFromCN(cn string) SANs {
	if ip, err := parseSANIP(cn); err == nil {
		return SANs{IPs: []net.IP{ip}}
	}
	if checkDNSName(cn) == nil {
		return SANs{DNSNames: []string{cn}}
	}
	return SANs{}
}

// verifyCSRDER guards against a signer (an HSM, a broken key) that returned
// a signature the public key does not verify.
func verifyCSRDER(der []byte) error {
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return fmt.Errorf("%w: the new certificate request: %s", ErrMalformed, err.Error())
	}
	if err := csr.CheckSignature(); err != nil {
		return fmt.Errorf("%w: the new certificate request does not verify: %s", ErrBadSignature, err.Error())
	}
	return nil
}

// signatureAlgorithm picks what openssl would: SHA-256 with RSA (PKCS#1
// v1.5), ECDSA with the hash matching the curve size, or pure Ed25519.
func signatureAlgorithm(pub crypto.PublicKey) (x509.SignatureAlgorithm, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return x509.SHA256WithRSA, nil
	case ed25519.PublicKey:
		return x509.PureEd25519, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return x509.ECDSAWithSHA256, nil
		case elliptic.P384():
			return x509.ECDSAWithSHA384, nil
		case elliptic.P521():
			return x509.ECDSAWithSHA512, nil
		}
	}
	return 0, fmt.Errorf("%w: signing with a %T key", ErrUnsupported, pub)
}

// ParseCSRPEM decodes a PEM CSR and checks its signature (ErrBadSignature).
// Blocks of other types before the request are skipped; a file without a
// request fails with ErrNotCSR naming the blocks it holds.
func ParseCSRPEM(data []byte) (*x509.CertificateRequest, error) {
	blocks, err := decodePEMBlocks(data)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		if b.Type == "CERTIFICATE REQUEST" || b.Type == "NEW CERTIFICATE REQUEST" {
			return parseCSRDER(b.Bytes)
		}
	}
	return nil, fmt.Errorf("%w (found %s)", ErrNotCSR, blockTypes(blocks))
}

func parseCSRDER(der []byte) (*x509.CertificateRequest, error) {
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrMalformed, err.Error())
	}
	// crypto/x509 parses a request for an RSA-PSS, Ed448 or secp256k1 key
	// but can neither check its signature nor put the key in a certificate.
	if pk := keys.DescribeSPKI(csr.RawSubjectPublicKeyInfo); pk.Unsupported {
		return nil, fmt.Errorf("%w: the request's key is %s, which tlskit cannot check or issue a certificate for",
			ErrUnsupported, pk.String())
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("%w: the request's signature does not verify: %s", ErrBadSignature, err.Error())
	}
	return csr, nil
}

// ReadCSRFile reads and checks a CSR file, PEM or DER (as openssl req
// -outform DER and keytool write it); errors name the file.
func ReadCSRFile(path string) (*x509.CertificateRequest, error) {
	return readPEMFile(path, ParseCSR)
}

// ParseCSR is ParseCSRPEM that also takes one DER request.
func ParseCSR(data []byte) (*x509.CertificateRequest, error) {
	csr, err := ParseCSRPEM(data)
	if errors.Is(err, ErrNoPEM) && isDER(data) {
		if _, derErr := x509.ParseCertificateRequest(data); derErr == nil {
			return parseCSRDER(data)
		}
	}
	return csr, err
}
