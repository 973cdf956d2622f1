package certs

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
	"github.com/tlskit/tlskit/pkg/keys"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestSelfSignProperties(t *testing.T) {
	for _, kind := range []string{"rsa", "p256", "p384", "ed25519"} {
		t.Run(kind, func(t *testing.T) {
			key := testkit.Key(t, kind)
			csr := testCSR(t, key, "/O=Acme/CN=www.example.com", "www.example.com,127.0.0.1")
			der, err := SelfSign(csr, key, LeafOptions{Days: 365, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			c := parseCert(t, der)
			checkLeaf(t, c, csr)
			if !bytes.Equal(c.RawIssuer, c.RawSubject) || !bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId) {
				t.Error("self-signed certificate: issuer or AKID is not its own")
			}
			wantKU := x509.KeyUsageDigitalSignature
			if kind == "rsa" {
				wantKU |= x509.KeyUsageKeyEncipherment
			}
			if c.KeyUsage != wantKU {
				t.Errorf("KeyUsage = %v, want %v", c.KeyUsage, wantKU)
			}
			if !c.NotAfter.Equal(testNow.Add(365 * 24 * time.Hour)) {
				t.Errorf("NotAfter = %v, want 365 days after %v", c.NotAfter, testNow)
			}
			verifyWithRoot(t, c, c, "www.example.com", "127.0.0.1")
		})
	}
}

// checkLeaf asserts what every tlskit leaf has.
func checkLeaf(t *testing.T, c *x509.Certificate, csr *x509.CertificateRequest) {
	t.Helper()
	if c.Version != 3 {
		t.Errorf("version = %d, want 3", c.Version)
	}
	if !bytes.Equal(c.RawSubject, csr.RawSubject) {
		t.Error("subject differs from the CSR's")
	}
	if !slices.Equal(c.DNSNames, csr.DNSNames) || len(c.IPAddresses) != len(csr.IPAddresses) {
		t.Errorf("SANs = %v %v, want %v %v", c.DNSNames, c.IPAddresses, csr.DNSNames, csr.IPAddresses)
	}
	if c.SerialNumber.Sign() <= 0 || c.SerialNumber.BitLen() <= 64 {
		t.Errorf("serial %x is not positive with more than 64 bits", c.SerialNumber)
	}
	if !c.BasicConstraintsValid || c.IsCA {
		t.Error("want BasicConstraints CA:FALSE")
	}
	if !c.NotBefore.Equal(testNow.Add(-5 * time.Minute)) {
		t.Errorf("NotBefore = %v, want 5 minutes before %v", c.NotBefore, testNow)
	}
	if !bytes.Equal(c.SubjectKeyId, method1SKID(t, c)) {
		t.Errorf("SubjectKeyId = %x is not the RFC 5280 method 1 value", c.SubjectKeyId)
	}
	if !keys.PublicKeysEqual(c.PublicKey, csr.PublicKey) {
		t.Error("public key differs from the CSR's")
	}
}

// method1SKID computes the RFC 5280 method 1 key identifier from the
// certificate's own SubjectPublicKeyInfo bytes.
func method1SKID(t *testing.T, c *x509.Certificate) []byte {
	t.Helper()
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(spki.PublicKey.Bytes)
	return sum[:]
}

// verifyWithRoot runs Go's chain verification for every name.
func verifyWithRoot(t *testing.T, leaf, root *x509.Certificate, names ...string) {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(root)
	for _, name := range names {
		_, err := leaf.Verify(x509.VerifyOptions{
			DNSName: name, Roots: pool, CurrentTime: testNow,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		})
		if err != nil {
			t.Errorf("Verify(%s): %v", name, err)
		}
	}
}

func TestLeafUsages(t *testing.T) {
	tests := []struct {
		usage Usage
		want  []x509.ExtKeyUsage
	}{
		{UsageBoth, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}},
		{UsageServer, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}},
		{UsageClient, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}},
	}
	key := testkit.Key(t, "p256")
	csr := testCSR(t, key, "/CN=u.example.com")
	for _, tt := range tests {
		der, err := SelfSign(csr, key, LeafOptions{Days: 1, Usage: tt.usage})
		if err != nil {
			t.Fatal(err)
		}
		if got := parseCert(t, der).ExtKeyUsage; !slices.Equal(got, tt.want) {
			t.Errorf("usage %d: ExtKeyUsage = %v, want %v", tt.usage, got, tt.want)
		}
	}
	_, err := SelfSign(csr, key, LeafOptions{Days: 1, Usage: Usage(9)})
	testkit.CheckErr(t, err, ErrUnsupported, "usage 9")
}

func TestSelfSignErrors(t *testing.T) {
	key := testkit.Key(t, "p256")
	csr := testCSR(t, key, "/CN=e.example.com")
	forged := *csr
	forged.Signature = bytes.Clone(csr.Signature)
	forged.Signature[len(forged.Signature)-1] ^= 1
	tests := []struct {
		name string
		csr  *x509.CertificateRequest
		opts LeafOptions
		want error
	}{
		{"days 0", csr, LeafOptions{Days: 0}, ErrInvalidDays},
		{"days negative", csr, LeafOptions{Days: -3}, ErrInvalidDays},
		{"days huge", csr, LeafOptions{Days: 1 << 40}, ErrInvalidDays},
		{"bad signature", &forged, LeafOptions{Days: 1}, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SelfSign(tt.csr, key, tt.opts)
			testkit.CheckErr(t, err, tt.want)
		})
	}
	_, err := SelfSign(csr, testkit.Key(t, "p256"), LeafOptions{Days: 1})
	testkit.CheckErr(t, err, ErrKeyMismatch, "not the one the certificate request was made with")
	if _, err := SelfSign(csr, key, LeafOptions{Days: 825}); err != nil {
		t.Errorf("more than 398 days must be allowed: %v", err)
	}
}

func TestSerialsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		s, err := randomSerial()
		if err != nil {
			t.Fatal(err)
		}
		if s.BitLen() != 127 || seen[s.String()] {
			t.Fatalf("serial %x: %d bits or repeated", s, s.BitLen())
		}
		seen[s.String()] = true
	}
}

// testCA makes a CA certificate valid for days from testNow.
func testCA(t *testing.T, cn string, days int) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	key := testkit.Key(t, "p256")
	der, err := CreateCA(key, CAOptions{CommonName: cn, Days: days, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return parseCert(t, der), key
}

// signedLeaf makes a key and CSR for subj and has the CA sign it.
func signedLeaf(t *testing.T, ca *x509.Certificate, caKey crypto.Signer, subj string, opts LeafOptions, sans ...string) *x509.Certificate {
	t.Helper()
	csr := testCSR(t, testkit.Key(t, "p256"), subj, sans...)
	der, err := SignCSR(csr, ca, caKey, opts)
	if err != nil {
		t.Fatal(err)
	}
	return parseCert(t, der)
}

func TestCreateCA(t *testing.T) {
	for _, kind := range []string{"rsa", "p256", "ed25519"} {
		key := testkit.Key(t, kind)
		der, err := CreateCA(key, CAOptions{CommonName: "Acme Test CA", Days: 3650, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		c := parseCert(t, der)
		switch {
		case c.Version != 3 || !c.BasicConstraintsValid || !c.IsCA:
			t.Errorf("%s: want a v3 CA:TRUE certificate", kind)
		case c.MaxPathLen != 0 || !c.MaxPathLenZero:
			t.Errorf("%s: pathlen = %d (zero %v), want 0", kind, c.MaxPathLen, c.MaxPathLenZero)
		case c.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign|x509.KeyUsageDigitalSignature:
			t.Errorf("%s: KeyUsage = %v", kind, c.KeyUsage)
		case !bytes.Equal(c.SubjectKeyId, method1SKID(t, c)) || !bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId):
			t.Errorf("%s: SKID %x / AKID %x", kind, c.SubjectKeyId, c.AuthorityKeyId)
		case c.Subject.String() != "CN=Acme Test CA" || !bytes.Equal(c.RawIssuer, c.RawSubject):
			t.Errorf("%s: subject %s, issuer %s", kind, c.Subject, c.Issuer)
		case !c.NotBefore.Equal(testNow.Add(-5*time.Minute)) || !c.NotAfter.Equal(testNow.AddDate(0, 0, 3650)):
			t.Errorf("%s: validity %v to %v", kind, c.NotBefore, c.NotAfter)
		case len(c.ExtKeyUsage) != 0 || c.SerialNumber.BitLen() <= 64:
			t.Errorf("%s: EKU %v, serial %x", kind, c.ExtKeyUsage, c.SerialNumber)
		}
		if err := c.CheckSignatureFrom(c); err != nil {
			t.Errorf("%s: self-signature: %v", kind, err)
		}
	}
}

func TestCreateCAErrors(t *testing.T) {
	key := testkit.Key(t, "p256")
	tests := []struct {
		opts CAOptions
		want error
		why  string
	}{
		{CAOptions{Days: 10}, ErrInvalidSubject, "needs a common name"},
		{CAOptions{CommonName: "x", Days: 0}, ErrInvalidDays, "0 days"},
		{CAOptions{CommonName: strings.Repeat("x", 65), Days: 1}, ErrInvalidSubject, "limit is 64"},
	}
	for _, tt := range tests {
		_, err := CreateCA(key, tt.opts)
		testkit.CheckErr(t, err, tt.want, tt.why)
	}
}

func TestSignCSR(t *testing.T) {
	ca, caKey := testCA(t, "Test CA", 3650)
	for _, kind := range []string{"rsa", "p384", "ed25519"} {
		key := testkit.Key(t, kind)
		csr := testCSR(t, key, "/O=Acme/CN=api.example.com+OU=API", "api.example.com,10.0.0.5", "email:ops@example.com")
		der, err := SignCSR(csr, ca, caKey, LeafOptions{Days: 90, Now: testNow, Usage: UsageServer})
		if err != nil {
			t.Fatal(err)
		}
		c := parseCert(t, der)
		checkLeaf(t, c, csr)
		if !bytes.Equal(c.RawIssuer, ca.RawSubject) || !bytes.Equal(c.AuthorityKeyId, ca.SubjectKeyId) {
			t.Errorf("%s: issuer %s, AKID %x; want the CA's subject and SKID", kind, c.Issuer, c.AuthorityKeyId)
		}
		if !slices.Equal(c.EmailAddresses, []string{"ops@example.com"}) ||
			!slices.Equal(c.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}) {
			t.Errorf("%s: emails %v, EKU %v", kind, c.EmailAddresses, c.ExtKeyUsage)
		}
		if !c.NotAfter.Equal(testNow.AddDate(0, 0, 90)) {
			t.Errorf("%s: NotAfter = %v", kind, c.NotAfter)
		}
		verifyWithRoot(t, c, ca, "api.example.com", "10.0.0.5")
	}
}

func TestSignCSRClipsToCAValidity(t *testing.T) {
	ca, caKey := testCA(t, "Short CA", 30)
	// A clock a minute behind the CA's would backdate the leaf before it.
	leaf := signedLeaf(t, ca, caKey, "/CN=clip.example.com", LeafOptions{Days: 365, Now: testNow.Add(-time.Minute)})
	if !leaf.NotAfter.Equal(ca.NotAfter) {
		t.Errorf("NotAfter = %v, want the CA's %v", leaf.NotAfter, ca.NotAfter)
	}
	if !leaf.NotBefore.Equal(ca.NotBefore) {
		t.Errorf("NotBefore = %v, want the CA's %v", leaf.NotBefore, ca.NotBefore)
	}
	inside := signedLeaf(t, ca, caKey, "/CN=in.example.com", LeafOptions{Days: 7, Now: testNow.Add(24 * time.Hour)})
	if !inside.NotAfter.Equal(testNow.AddDate(0, 0, 8)) {
		t.Errorf("a leaf inside the CA's validity was changed: NotAfter = %v", inside.NotAfter)
	}

	csr := testCSR(t, testkit.Key(t, "p256"), "/CN=late.example.com")
	_, err := SignCSR(csr, ca, caKey, LeafOptions{Days: 1, Now: testNow.AddDate(0, 0, 31)})
	testkit.CheckErr(t, err, ErrInvalidDays, `the CA certificate "CN=Short CA" expired on 2026-03-31 12:00 UTC`)
}

func TestSignCSRErrors(t *testing.T) {
	ca, caKey := testCA(t, "Test CA", 365)
	key := testkit.Key(t, "p256")
	csr := testCSR(t, key, "/CN=e.example.com")
	leaf := selfSignedWith(t, key, "/CN=leaf.example.com")
	noCertSign := *ca
	noCertSign.KeyUsage = x509.KeyUsageDigitalSignature
	noKeyUsage := *ca
	noKeyUsage.KeyUsage = 0
	forged := *csr
	forged.Signature = bytes.Clone(csr.Signature)
	forged.Signature[len(forged.Signature)-1] ^= 1
	tests := []struct {
		name  string
		csr   *x509.CertificateRequest
		ca    *x509.Certificate
		caKey crypto.Signer
		days  int
		want  error
		why   string
	}{
		{"leaf as CA", csr, leaf, key, 1, ErrNotCA, `"CN=leaf.example.com" does not have BasicConstraints CA:TRUE`},
		{"no certSign", csr, &noCertSign, caKey, 1, ErrNotCA, "does not include certificate signing"},
		{"wrong CA key", csr, ca, key, 1, ErrKeyMismatch, `the CA key does not belong to the CA certificate "CN=Test CA"`},
		{"bad CSR signature", &forged, ca, caKey, 1, ErrBadSignature, "does not verify"},
		{"days 0", csr, ca, caKey, 0, ErrInvalidDays, "0 days"},
		{"no KeyUsage extension is allowed", csr, &noKeyUsage, caKey, 1, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SignCSR(tt.csr, tt.ca, tt.caKey, LeafOptions{Days: tt.days, Now: testNow})
			testkit.CheckErr(t, err, tt.want, tt.why)
		})
	}
}

func TestCheckCACert(t *testing.T) {
	ca, caKey := testCA(t, "Check CA", 10)
	leaf := signedLeaf(t, ca, caKey, "/CN=leaf.test", LeafOptions{Days: 5, Now: testNow})
	tests := []struct {
		name string
		cert *x509.Certificate
		now  time.Time
		want error
	}{
		{"valid CA", ca, testNow, nil},
		{"expired CA", ca, testNow.AddDate(0, 0, 11), ErrInvalidDays},
		{"leaf", leaf, testNow, ErrNotCA},
	}
	for _, tt := range tests {
		if err := CheckCACert(tt.cert, tt.now); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestCheckDays(t *testing.T) {
	tests := []struct {
		days int
		want error
	}{
		{1, nil}, {365, nil}, {100000, nil},
		{0, ErrInvalidDays}, {-1, ErrInvalidDays}, {100001, ErrInvalidDays},
	}
	for _, tt := range tests {
		if err := CheckDays(tt.days); !errors.Is(err, tt.want) {
			t.Errorf("CheckDays(%d) = %v, want %v", tt.days, err, tt.want)
		}
	}
}
