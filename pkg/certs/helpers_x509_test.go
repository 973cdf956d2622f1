package certs

import (
	"crypto"
	"crypto/x509"
	"testing"
	"time"
)

// testCSR makes a parsed CSR for subj and sans signed by key.
func testCSR(t testing.TB, key crypto.Signer, subj string, sans ...string) *x509.CertificateRequest {
	t.Helper()
	rdns, err := ParseSubject(subj)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSANs(sans)
	if err != nil {
		t.Fatal(err)
	}
	der, err := CreateCSR(key, rdns, s)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	return csr
}

func parseCert(t testing.TB, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const day = 24 * time.Hour
