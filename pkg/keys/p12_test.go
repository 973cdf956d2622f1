package keys

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const p12Pass = "p12-test-pass"

// testCert makes a certificate for key, signed by parent (self-signed if nil).
func testCert(t *testing.T, cn string, key crypto.Signer, parent *x509.Certificate, parentKey crypto.Signer, ca bool) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: ca, BasicConstraintsValid: true}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestEncodeDecodeP12(t *testing.T) {
	caKey := testKeys()["ecdsa"]
	ca := testCert(t, "Test CA", caKey, nil, nil, true)
	for _, profile := range []string{P12Modern, P12Legacy, P12Passwordless} {
		for alg, key := range testKeys() {
			leaf := testCert(t, alg+".test", key, ca, caKey, false)
			pass := []byte(p12Pass)
			if profile == P12Passwordless {
				pass = nil
			}
			data, err := EncodeP12(key, leaf, []*x509.Certificate{ca}, pass, profile)
			if err != nil {
				t.Fatalf("%s/%s: %v", profile, alg, err)
			}
			info, err := DescribeP12(data)
			if err != nil || info.Profile != profile {
				t.Errorf("%s/%s: described as %+v, %v", profile, alg, info, err)
			}
			got, err := DecodeP12(data, passFunc(p12Pass))
			if err != nil {
				t.Fatalf("%s/%s: decode: %v", profile, alg, err)
			}
			if !got.Key.(equaler).Equal(key) || !got.Leaf.Equal(leaf) || len(got.Chain) != 1 || !got.Chain[0].Equal(ca) {
				t.Errorf("%s/%s: decoded contents differ: %+v", profile, alg, got)
			}
		}
	}
}

func TestEncodeTrustStore(t *testing.T) {
	ca := testCert(t, "Trust CA", testKeys()["rsa"], nil, nil, true)
	for _, profile := range []string{P12Modern, P12Legacy, P12Passwordless} {
		pass := []byte(p12Pass)
		if profile == P12Passwordless {
			pass = nil
		}
		data, err := EncodeTrustStore([]*x509.Certificate{ca}, pass, profile)
		if err != nil {
			t.Fatalf("%s: %v", profile, err)
		}
		got, err := DecodeP12(data, passFunc(p12Pass))
		if err != nil || got.Key != nil || len(got.TrustStore) != 1 || !got.TrustStore[0].Equal(ca) {
			t.Errorf("%s: decoded %+v, %v", profile, got, err)
		}
	}
}

func TestEncodeP12Errors(t *testing.T) {
	key, other := testKeys()["ecdsa"], testKeys()["rsa"]
	leaf := testCert(t, "leaf.test", key, nil, nil, false)
	tests := []struct {
		name    string
		key     crypto.Signer
		pass    []byte
		profile string
		want    error
	}{
		{"key of another certificate", other, []byte(p12Pass), P12Modern, ErrKeyMismatch},
		{"short password", key, []byte("abc"), P12Legacy, ErrShortPassphrase},
		{"no password for modern", key, nil, P12Modern, ErrShortPassphrase},
		{"password for passwordless", key, []byte(p12Pass), P12Passwordless, ErrUnsupported},
		{"unknown profile", key, []byte(p12Pass), "modern2026", ErrUnsupported},
	}
	for _, tt := range tests {
		if _, err := EncodeP12(tt.key, leaf, nil, tt.pass, tt.profile); !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := EncodeTrustStore(nil, []byte(p12Pass), P12Modern); !errors.Is(err, ErrUnsupported) {
		t.Errorf("empty truststore: error %v, want ErrUnsupported", err)
	}
}

func TestDecodeP12Errors(t *testing.T) {
	key := testKeys()["ecdsa"]
	data, err := EncodeP12(key, testCert(t, "leaf.test", key, nil, nil, false), nil, []byte(p12Pass), P12Modern)
	if err != nil {
		t.Fatal(err)
	}
	askFails := errors.New("no terminal")
	tests := []struct {
		name string
		data []byte
		pass PassphraseFunc
		want error
	}{
		{"wrong password", data, passFunc("not-the-password"), ErrWrongPassphrase},
		{"no password source", data, nil, ErrNoPassphrase},
		{"the source fails", data, func() ([]byte, error) { return nil, askFails }, askFails},
		{"truncated", data[:len(data)/2], passFunc(p12Pass), ErrMalformed},
		{"not DER", []byte("-----BEGIN CERTIFICATE-----"), passFunc(p12Pass), ErrMalformed},
		{"hostile MAC iterations", withMACIterations(t, data, 50_000_000), passFunc(p12Pass), ErrUnsafeParams},
		{"zero MAC iterations", withMACIterations(t, data, 0), passFunc(p12Pass), ErrUnsafeParams},
	}
	for _, tt := range tests {
		if _, err := DecodeP12(tt.data, tt.pass); !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
	}
}

// withMACIterations rewrites the MAC iteration count of a PKCS#12 file, as a
// hostile file would set it.
func withMACIterations(t *testing.T, data []byte, n int) []byte {
	t.Helper()
	var pfx p12PFX
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		t.Fatal(err)
	}
	pfx.MacData.Iterations = n
	out, err := asn1.Marshal(pfx)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The corpus in testdata/p12, made by openssl, keytool, certtool and Python
// (see its README): what each file holds and which profile it matches.
var p12Corpus = map[string]struct {
	profile, leaf string
	chain, trust  int
}{
	"openssl-default.p12":    {P12Modern, "p12.example.com", 1, 0},
	"openssl-legacy-rc2.p12": {P12LegacyRC2, "p12.example.com", 1, 0},
	"openssl-descert.p12":    {"", "p12.example.com", 0, 0},
	"openssl-nomac.p12":      {P12Passwordless, "p12.example.com", 0, 0},
	"keytool-ec.p12":         {P12Modern, "keytool.example.com", 0, 0},
	"keytool-truststore.p12": {P12Modern, "", 0, 1},
	"certtool.p12":           {"", "p12.example.com", 0, 0},
	"python.p12":             {P12Modern, "p12.example.com", 1, 0},
}

func TestP12Corpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/p12/*.p12")
	if len(files) != len(p12Corpus) {
		t.Errorf("testdata/p12 holds %d files, the table %d", len(files), len(p12Corpus))
	}
	for _, f := range files {
		want, ok := p12Corpus[filepath.Base(f)]
		if !ok {
			t.Errorf("%s has no expected outcome", f)
			continue
		}
		got, err := ReadP12File(f, passFunc("tlskit-test"))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		data, _ := os.ReadFile(f)
		info, _ := DescribeP12(data)
		switch {
		case info.Profile != want.profile:
			t.Errorf("%s: profile %q, want %q", f, info.Profile, want.profile)
		case want.trust > 0 && len(got.TrustStore) != want.trust:
			t.Errorf("%s: %d trusted certificates, want %d", f, len(got.TrustStore), want.trust)
		case want.trust == 0 && (got.Key == nil || !strings.HasSuffix(got.Leaf.Subject.String(), want.leaf) || len(got.Chain) != want.chain):
			t.Errorf("%s: decoded %+v", f, got)
		}
	}
}

func TestReadP12FileNamesTheFile(t *testing.T) {
	_, err := ReadP12File("../../testdata/p12/python.p12", passFunc("wrong-password"))
	if !errors.Is(err, ErrWrongPassphrase) || err.Error() != "wrong passphrase for ../../testdata/p12/python.p12" {
		t.Errorf("error %v, want the wrong passphrase for the file", err)
	}
}

func TestKeyFirstReordersTheChain(t *testing.T) {
	caKey, key := testKeys()["rsa"], testKeys()["ecdsa"]
	ca := testCert(t, "CA", caKey, nil, nil, true)
	leaf := testCert(t, "leaf", key, ca, caKey, false)
	got, err := keyFirst(&P12Contents{Key: key, Leaf: ca, Chain: []*x509.Certificate{leaf}})
	if err != nil || got.Leaf != leaf || len(got.Chain) != 1 || got.Chain[0] != ca {
		t.Errorf("keyFirst = %+v, %v; want the leaf first", got, err)
	}
	_, err = keyFirst(&P12Contents{Key: testKeys()["ed25519"], Leaf: ca, Chain: []*x509.Certificate{leaf}})
	if !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("a key of no certificate: error %v, want ErrKeyMismatch", err)
	}
}
