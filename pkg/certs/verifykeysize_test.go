package certs

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
	"github.com/tlskit/tlskit/pkg/keys"
)

// TestVerifyChainWeakKey: a chain that crypto/x509 accepts is still a
// problem when a certificate has an RSA key under 2048 bits.
func TestVerifyChainWeakKey(t *testing.T) {
	ca, caKey := testCA(t, "Test CA", 3650)
	for _, tt := range []struct {
		bits  int
		probs int
	}{{1024, 1}, {2048, 0}} {
		key, err := rsa.GenerateKey(rand.Reader, tt.bits)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "weak.example.com"},
			NotBefore: testNow, NotAfter: testNow.Add(time.Hour), DNSNames: []string{"weak.example.com"}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
		if err != nil {
			t.Fatal(err)
		}
		probs := VerifyChain([]*x509.Certificate{parseCert(t, der)}, VerifyOptions{Roots: []*x509.Certificate{ca}, Now: testNow})
		if len(probs) != tt.probs {
			t.Fatalf("%d bits: %d problems %+v, want %d", tt.bits, len(probs), probs, tt.probs)
		}
		if tt.probs == 1 {
			testkit.CheckErr(t, probs[0].Err, keys.ErrWeakKey, `"CN=weak.example.com" has a 1024-bit RSA key`)
		}
	}
}
