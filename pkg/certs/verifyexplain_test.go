package certs

import (
	"crypto"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
)

// selfSigned issues a self-signed leaf for subj and sans.
func selfSigned(t *testing.T, subj string, usage Usage, sans ...string) *x509.Certificate {
	t.Helper()
	key := testkit.Key(t, "p256")
	der, err := SelfSign(testCSR(t, key, subj, sans...), key, LeafOptions{Days: 30, Now: testNow, Usage: usage})
	if err != nil {
		t.Fatal(err)
	}
	return parseCert(t, der)
}

func selfSignedWith(t *testing.T, key crypto.Signer, subj string) *x509.Certificate {
	t.Helper()
	der, err := SelfSign(testCSR(t, key, subj), key, LeafOptions{Days: 30, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return parseCert(t, der)
}

func verifyErr(c, root *x509.Certificate, host string, at time.Time, usage x509.ExtKeyUsage) error {
	pool := x509.NewCertPool()
	if root != nil {
		pool.AddCert(root)
	}
	_, err := c.Verify(x509.VerifyOptions{DNSName: host, Roots: pool, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{usage}})
	return err
}

func TestExplainVerifyError(t *testing.T) {
	srv := selfSigned(t, "/CN=localhost", UsageBoth, "localhost,127.0.0.1")
	noSAN := selfSigned(t, "/CN=My Server", UsageBoth)
	clientOnly := selfSigned(t, "/CN=c.example.com", UsageClient)
	serverOnly := selfSigned(t, "/CN=s.example.com", UsageServer)
	day := 24 * time.Hour
	tests := []struct {
		name      string
		err       error
		msg, hint string
	}{
		{"wrong host", verifyErr(srv, srv, "example.com", testNow, x509.ExtKeyUsageServerAuth),
			"the certificate is valid for localhost, 127.0.0.1, not example.com",
			"use --servername NAME with one of those names"},
		{"no SANs", verifyErr(noSAN, noSAN, "example.com", testNow, x509.ExtKeyUsageServerAuth),
			"the certificate has no subject alternative names (it relies on the legacy Common Name field), so it is not valid for example.com",
			"reissue the certificate with the host name as a subject alternative name"},
		{"unknown authority", verifyErr(srv, nil, "localhost", testNow, x509.ExtKeyUsageServerAuth),
			"certificate signed by an unknown authority (issuer: CN=localhost)",
			"the certificate is self-signed: pass --ca FILE with the certificate itself to trust it"},
		{"expired", verifyErr(srv, srv, "localhost", testNow.Add(40*day), x509.ExtKeyUsageServerAuth),
			"certificate expired on 2026-03-31 12:00 UTC (valid from 2026-03-01 11:55 UTC to 2026-03-31 12:00 UTC)",
			"renew the certificate"},
		{"not yet valid", verifyErr(srv, srv, "localhost", testNow.Add(-day), x509.ExtKeyUsageServerAuth),
			"certificate is not yet valid: valid from 2026-03-01 11:55 UTC to 2026-03-31 12:00 UTC",
			"check the system clock on both ends"},
		{"client-only cert used by a server", verifyErr(clientOnly, clientOnly, "c.example.com", testNow, x509.ExtKeyUsageServerAuth),
			"certificate is not valid for server authentication (extended key usage: client authentication only)", ""},
		{"server-only cert used by a client", verifyErr(serverOnly, serverOnly, "s.example.com", testNow, x509.ExtKeyUsageClientAuth),
			"certificate is not valid for client authentication (extended key usage: server authentication only)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("verification unexpectedly succeeded")
			}
			for _, err := range []error{tt.err, fmt.Errorf("connect: %w", tt.err),
				&tls.CertificateVerificationError{Err: tt.err}} {
				msg, hint := ExplainVerifyError(err)
				if msg != tt.msg || hint != tt.hint {
					t.Errorf("ExplainVerifyError(%v)\n got %q, %q\nwant %q, %q", err, msg, hint, tt.msg, tt.hint)
				}
			}
		})
	}
}

func TestExplainVerifyErrorCA(t *testing.T) {
	ca, caKey := testCA(t, "Test CA", 3650)
	leaf := signedLeaf(t, ca, caKey, "/CN=leaf.example.com", LeafOptions{Days: 30, Now: testNow})
	msg, hint := ExplainVerifyError(verifyErr(leaf, nil, "leaf.example.com", testNow, x509.ExtKeyUsageServerAuth))
	if msg != "certificate signed by an unknown authority (issuer: CN=Test CA)" ||
		hint != "pass --ca FILE with the issuing CA certificate" {
		t.Errorf("got %q, %q", msg, hint)
	}

	// A certificate issued by a leaf, as if the leaf were a CA.
	leafKey := testkit.Key(t, "p256")
	leafCert := selfSignedWith(t, leafKey, "/CN=not-a-ca.example.com")
	der := forgeIssued(t, leafCert, leafKey)
	msg, hint = ExplainVerifyError(verifyErr(der, leafCert, "x.example.com", testNow, x509.ExtKeyUsageAny))
	want := "certificate signed by an unknown authority (issuer: CN=not-a-ca.example.com): " +
		"the trusted certificate with that name is not a CA, so it cannot sign other certificates"
	if msg != want || hint != "pass --ca FILE with the CA certificate that issued it" {
		t.Errorf("leaf as issuer: got %q, %q", msg, hint)
	}

	// A CA created again under the same name.
	ca2, _ := testCA(t, "Test CA", 3650)
	msg, hint = ExplainVerifyError(verifyErr(leaf, ca2, "leaf.example.com", testNow, x509.ExtKeyUsageServerAuth))
	if msg != "certificate signed by an unknown authority (issuer: CN=Test CA): a trusted certificate has that name but a different key" ||
		!strings.Contains(hint, "another CA with the same name") {
		t.Errorf("same-name CA: got %q, %q (%v)", msg, hint, verifyErr(leaf, ca2, "leaf.example.com", testNow, x509.ExtKeyUsageServerAuth))
	}

	msg, _ = ExplainVerifyError(x509.CertificateInvalidError{Cert: leafCert, Reason: x509.NotAuthorizedToSign})
	if msg != `certificate "CN=not-a-ca.example.com" is not a CA (no CA:TRUE or no certificate signing key usage), so it cannot sign other certificates` {
		t.Errorf("NotAuthorizedToSign: got %q", msg)
	}
}

// forgeIssued makes a certificate signed by a leaf, which no tlskit API does.
func forgeIssued(t *testing.T, parent *x509.Certificate, key crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), NotBefore: testNow, NotAfter: testNow.Add(time.Hour),
		DNSNames: []string{"x.example.com"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return parseCert(t, der)
}

func TestExplainVerifyErrorFallback(t *testing.T) {
	if msg, hint := ExplainVerifyError(nil); msg != "" || hint != "" {
		t.Errorf("ExplainVerifyError(nil) = %q, %q", msg, hint)
	}
	for _, err := range []error{
		errors.New("something else"),
		fmt.Errorf("dial: %w", errors.New("connection refused")),
		x509.CertificateInvalidError{Reason: x509.TooManyIntermediates},
		x509.UnknownAuthorityError{},
	} {
		if msg, hint := ExplainVerifyError(err); msg != err.Error() || hint != "" {
			t.Errorf("ExplainVerifyError(%v) = %q, %q; want the error text and no hint", err, msg, hint)
		}
	}
}
