package certs

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
)

// TestExplainInsecureSignature: a leaf signed with SHA-1 by a trusted CA is
// explained as such, not as an unknown authority (which Go reports), and
// ExplainServerChain does not add the missing-intermediate story.
func TestExplainInsecureSignature(t *testing.T) {
	ca, caKey := testCA(t, "Test CA", 3650)
	key := testkit.Key(t, "p256")
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "old.example.com"},
		NotBefore: testNow, NotAfter: testNow.Add(time.Hour), DNSNames: []string{"old.example.com"},
		SignatureAlgorithm: x509.ECDSAWithSHA1}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf := parseCert(t, der)
	verr := verifyErr(leaf, ca, "old.example.com", testNow, x509.ExtKeyUsageAny)
	wantMsg := `certificate "CN=old.example.com" is signed with ECDSA-SHA1, an insecure algorithm that tlskit refuses (issuer: CN=Test CA)`
	wantHint := "reissue the certificate with a SHA-256 signature (as tlskit sign does)"
	if msg, hint := ExplainVerifyError(verr); msg != wantMsg || hint != wantHint {
		t.Errorf("ExplainVerifyError(%v)\n got %q, %q\nwant %q, %q", verr, msg, hint, wantMsg, wantHint)
	}
	if msg, hints := ExplainServerChain(verr, []*x509.Certificate{leaf}, nil); msg != wantMsg || len(hints) != 1 || hints[0] != wantHint {
		t.Errorf("ExplainServerChain: got %q, %q", msg, hints)
	}
}
