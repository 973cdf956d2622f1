package certs

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
)

type verifyFixture struct {
	root, otherRoot, looseRoot, inter *x509.Certificate
	leaf, interLeaf, badInterLeaf     *x509.Certificate
	badInter                          *x509.Certificate
}

func newVerifyFixture(t *testing.T) verifyFixture {
	t.Helper()
	rootKey, otherKey := testkit.Key(t, "p256"), testkit.Key(t, "p256")
	root := parseCert(t, must(t)(CreateCA(rootKey, CAOptions{CommonName: "Root", Days: 100})))
	other := parseCert(t, must(t)(CreateCA(otherKey, CAOptions{CommonName: "Other", Days: 100})))
	leafKey := testkit.Key(t, "p256")
	csr := testCSR(t, leafKey, "/CN=svc.test", "DNS:svc.test", "IP:127.0.0.1")
	leaf := parseCert(t, must(t)(SignCSR(csr, root, rootKey, LeafOptions{Days: 30, Usage: UsageServer})))
	looseKey := testkit.Key(t, "p256")
	loose := looseCA(t, "Loose root", nil, looseKey, looseKey)
	interKey := testkit.Key(t, "p256")
	inter := looseCA(t, "Intermediate", loose, interKey, looseKey)
	interLeaf := parseCert(t, must(t)(SignCSR(csr, inter, interKey, LeafOptions{Days: 30, Usage: UsageServer})))
	badInter := looseCA(t, "Intermediate", root, interKey, rootKey)
	return verifyFixture{root: root, otherRoot: other, looseRoot: loose, inter: inter, leaf: leaf,
		interLeaf: interLeaf, badInter: badInter}
}

func must(t *testing.T) func([]byte, error) []byte {
	return func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// looseCA makes a CA without a path length limit, signed by parent (self-signed
// when parent is nil). CreateCA always sets pathlen 0 and tlskit never issues
// intermediates, so the test builds these with crypto/x509.
func looseCA(t *testing.T, cn string, parent *x509.Certificate, key, parentKey crypto.Signer) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(50 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return parseCert(t, der)
}

func TestVerifyChain(t *testing.T) {
	f := newVerifyFixture(t)
	now := time.Now()
	tests := []struct {
		name  string
		chain []*x509.Certificate
		opts  VerifyOptions
		want  []string // one fragment per expected problem, in order
	}{
		{"valid", []*x509.Certificate{f.leaf}, VerifyOptions{Host: "svc.test", Purpose: x509.ExtKeyUsageServerAuth}, nil},
		{"valid IP", []*x509.Certificate{f.leaf}, VerifyOptions{Host: "127.0.0.1"}, nil},
		{"via intermediate", []*x509.Certificate{f.interLeaf, f.inter},
			VerifyOptions{Host: "svc.test", Roots: []*x509.Certificate{f.looseRoot}}, nil},
		{"intermediate missing", []*x509.Certificate{f.interLeaf}, VerifyOptions{Roots: []*x509.Certificate{f.looseRoot}},
			[]string{"unknown authority (issuer: CN=Intermediate)"}},
		{"intermediate under pathlen 0", []*x509.Certificate{f.interLeaf, f.badInter}, VerifyOptions{},
			[]string{"path length"}},
		{"wrong host", []*x509.Certificate{f.leaf}, VerifyOptions{Host: "other.test"},
			[]string{"valid for svc.test, 127.0.0.1, not other.test"}},
		{"untrusted", []*x509.Certificate{f.leaf}, VerifyOptions{Roots: []*x509.Certificate{f.otherRoot}},
			[]string{"unknown authority (issuer: CN=Root)"}},
		{"wrong purpose", []*x509.Certificate{f.leaf}, VerifyOptions{Purpose: x509.ExtKeyUsageClientAuth},
			[]string{"for serverAuth only, not clientAuth"}},
		{"expired", []*x509.Certificate{f.leaf}, VerifyOptions{Now: now.Add(40 * day)}, []string{"expired"}},
		{"not yet valid", []*x509.Certificate{f.leaf}, VerifyOptions{Now: now.Add(-day)}, []string{"not yet valid"}},
		{"expired, wrong host", []*x509.Certificate{f.leaf}, VerifyOptions{Now: now.Add(40 * day), Host: "x.test"},
			[]string{"expired", "not x.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.Roots == nil {
				tt.opts.Roots = []*x509.Certificate{f.root}
			}
			probs := VerifyChain(tt.chain, tt.opts)
			if len(probs) != len(tt.want) {
				t.Fatalf("problems %v, want %d", probs, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(probs[i].Message, w) || probs[i].Err == nil {
					t.Errorf("problem %d = %q, want it to contain %q", i, probs[i].Message, w)
				}
			}
		})
	}
}

func TestVerifyChainErrorsAreX509(t *testing.T) {
	f := newVerifyFixture(t)
	probs := VerifyChain([]*x509.Certificate{f.leaf}, VerifyOptions{Roots: []*x509.Certificate{f.root},
		Host: "nope.test", Purpose: x509.ExtKeyUsageClientAuth})
	var he x509.HostnameError
	var ie x509.CertificateInvalidError
	if len(probs) != 2 || !errors.As(probs[0].Err, &he) || !errors.As(probs[1].Err, &ie) || ie.Reason != x509.IncompatibleUsage {
		t.Fatalf("problems %+v", probs)
	}
	if probs[0].Hint == "" || probs[1].Hint == "" {
		t.Error("problems without a hint")
	}
	if p := VerifyChain(nil, VerifyOptions{}); len(p) != 1 || !errors.Is(p[0].Err, ErrNotCertificate) {
		t.Errorf("empty chain: %+v", p)
	}
}
