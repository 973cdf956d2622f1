package certs

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
	"github.com/tlskit/tlskit/pkg/keys"
)

// inspectFixture makes a CA, a leaf it signed, a CSR and keys to inspect.
type inspectFixture struct {
	caPEM, leafPEM, csrPEM, encKeyPEM, plainKeyPEM, pubPEM []byte
	leafDER                                                []byte
}

func newInspectFixture(t *testing.T) inspectFixture {
	t.Helper()
	caKey := testkit.Key(t, "p256")
	caDER, err := CreateCA(caKey, CAOptions{CommonName: "Inspect CA", Days: 100})
	if err != nil {
		t.Fatal(err)
	}
	leafKey := testkit.Key(t, "rsa")
	csr := testCSR(t, leafKey, "/CN=inspect.test", "DNS:inspect.test", "IP:192.0.2.1", "email:a@b.test")
	leafDER, err := SignCSR(csr, parseCert(t, caDER), caKey, LeafOptions{Days: 10, Usage: UsageServer})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := keys.MarshalKeyPEM(leafKey, []byte("correct-horse"), keys.Encryption{Iterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := keys.MarshalKeyPEM(caKey, nil, keys.Encryption{})
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(caKey.Public())
	return inspectFixture{
		caPEM: EncodePEM("CERTIFICATE", caDER), leafPEM: EncodePEM("CERTIFICATE", leafDER), leafDER: leafDER,
		csrPEM: EncodePEM("CERTIFICATE REQUEST", csr.Raw), encKeyPEM: enc, plainKeyPEM: plain,
		pubPEM: EncodePEM("PUBLIC KEY", pubDER),
	}
}

func TestInspect(t *testing.T) {
	f := newInspectFixture(t)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name  string
		data  []byte
		kinds []string
		check func(t *testing.T, objs []Object)
	}{
		{"leaf", f.leafPEM, []string{KindCertificate}, checkInspectedLeaf},
		{"chain", cat(f.leafPEM, f.caPEM), []string{KindCertificate, KindCertificate}, checkInspectedChain},
		{"DER leaf", f.leafDER, []string{KindCertificate}, checkInspectedLeaf},
		{"csr", f.csrPEM, []string{KindCSR}, checkInspectedCSR},
		{"encrypted key", f.encKeyPEM, []string{KindPrivateKey}, checkInspectedEncKey},
		{"plain key", f.plainKeyPEM, []string{KindPrivateKey}, checkInspectedPlainKey},
		{"public key", f.pubPEM, []string{KindPublicKey}, nil},
		{"DER encrypted key", derOf(f.encKeyPEM), []string{KindPrivateKey}, checkInspectedEncKey},
		{"DER plain key", derOf(f.plainKeyPEM), []string{KindPrivateKey}, checkInspectedPlainKey},
		{"mixed", cat(f.leafPEM, f.encKeyPEM, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: []byte{1}})),
			[]string{KindCertificate, KindPrivateKey, KindOther}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, err := Inspect(tt.data, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != len(tt.kinds) {
				t.Fatalf("%d objects, want %d", len(objs), len(tt.kinds))
			}
			for i, k := range tt.kinds {
				if objs[i].Kind != k {
					t.Errorf("object %d is %q, want %q", i, objs[i].Kind, k)
				}
			}
			if tt.check != nil {
				tt.check(t, objs)
			}
		})
	}
}

func derOf(pemData []byte) []byte {
	b, _ := pem.Decode(pemData)
	return b.Bytes
}

func checkInspectedLeaf(t *testing.T, objs []Object) {
	c := objs[0].Certificate
	want := CertSummary{Subject: "CN=inspect.test", Issuer: "CN=Inspect CA", DaysLeft: 10, IsCA: false}
	if c.Subject != want.Subject || c.Issuer != want.Issuer || c.DaysLeft != want.DaysLeft || c.IsCA {
		t.Errorf("got %+v", c)
	}
	if strings.Join(c.SANs.All(), ",") != "inspect.test,192.0.2.1,a@b.test" {
		t.Errorf("SANs %v", c.SANs)
	}
	if c.PublicKey != (keys.PublicKeyInfo{Algorithm: "RSA", Bits: 2048}) {
		t.Errorf("public key %+v", c.PublicKey)
	}
	if strings.Join(c.ExtKeyUsage, ",") != "serverAuth" || c.AuthorityKeyID == "" || len(c.SHA256) != 95 {
		t.Errorf("usage %v, AKID %q, SHA-256 %q", c.ExtKeyUsage, c.AuthorityKeyID, c.SHA256)
	}
}

func checkInspectedChain(t *testing.T, objs []Object) {
	ca := objs[1].Certificate
	if !ca.IsCA || ca.MaxPathLen == nil || *ca.MaxPathLen != 0 || !ca.SelfIssued {
		t.Errorf("CA summary %+v", ca)
	}
	if !strings.Contains(strings.Join(ca.KeyUsage, ","), "keyCertSign,cRLSign") {
		t.Errorf("CA key usage %v", ca.KeyUsage)
	}
}

func checkInspectedCSR(t *testing.T, objs []Object) {
	r := objs[0].CSR
	if r.Subject != "CN=inspect.test" || !r.SignatureValid || len(r.SANs.DNS) != 1 {
		t.Errorf("CSR summary %+v", r)
	}
}

func checkInspectedEncKey(t *testing.T, objs []Object) {
	k := objs[0].Key
	if !k.Encrypted || k.Iterations != 1000 || k.Cipher != "AES-256-CBC" || k.KDF == "" {
		t.Errorf("key summary %+v", k)
	}
}

func checkInspectedPlainKey(t *testing.T, objs []Object) {
	k := objs[0].Key
	if k.Encrypted || k.Algorithm != "ECDSA" || k.Curve != "P-256" {
		t.Errorf("key summary %+v", k)
	}
}

func TestInspectBadCSRSignature(t *testing.T) {
	f := newInspectFixture(t)
	b, _ := pem.Decode(f.csrPEM)
	b.Bytes[len(b.Bytes)-3] ^= 0xff // inside the signature
	objs, err := Inspect(pem.EncodeToMemory(b), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if objs[0].CSR.SignatureValid {
		t.Error("altered CSR reported with a valid signature")
	}
}

func TestInspectErrors(t *testing.T) {
	f := newInspectFixture(t)
	b, _ := pem.Decode(f.leafPEM)
	broken := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b.Bytes[:40]})
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNoPEM},
		{"text", []byte("hello"), ErrNoPEM},
		{"DER garbage", []byte{0x30, 0x03, 0x02, 0x01, 0x00}, ErrNoPEM},
		{"truncated certificate", broken, ErrMalformed},
		{"garbage key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("junk")}), keys.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Inspect(tt.data, time.Now())
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestInspectNeverShowsKeyMaterial checks that the private scalar of a
// plain key appears nowhere in its summary, in hex or base64.
func TestInspectNeverShowsKeyMaterial(t *testing.T) {
	key := testkit.Key(t, "p256").(*ecdsa.PrivateKey)
	data, err := keys.MarshalKeyPEM(key, nil, keys.Encryption{})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Inspect(data, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(objs)
	d := key.D.Bytes()
	for _, secret := range []string{hex.EncodeToString(d), ColonHex(d), base64.StdEncoding.EncodeToString(d)} {
		if strings.Contains(strings.ToLower(string(out)), strings.ToLower(secret[:16])) {
			t.Fatalf("summary shows key material: %s", out)
		}
	}
}

// FuzzInspect feeds arbitrary files to Inspect: it must never panic.
func FuzzInspect(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/fuzz/FuzzInspect/*")
	if len(seeds) == 0 {
		f.Fatal("no seed corpus in testdata/fuzz/FuzzInspect")
	}
	for _, s := range []string{"", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := Inspect(data, time.Now())
		if err == nil && len(objs) == 0 {
			t.Error("no error and no object")
		}
	})
}

func TestFuzzInspectSeedsExist(t *testing.T) {
	seeds, err := filepath.Glob("testdata/fuzz/FuzzInspect/*")
	if err != nil || len(seeds) < 3 {
		t.Fatalf("seed corpus missing: %v %v", seeds, err)
	}
	for _, s := range seeds {
		if fi, err := os.Stat(s); err != nil || fi.Size() == 0 {
			t.Errorf("seed %s empty or unreadable", s)
		}
	}
}

// TestInspectForeignKeys: PKCS#8 keys tlskit cannot load are still named,
// not reported as corrupted.
func TestInspectForeignKeys(t *testing.T) {
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	x25519DER, err := x509.MarshalPKCS8PrivateKey(x25519)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, wantAlg, wantCurve string
		der                      []byte
	}{
		{"X25519", "X25519 (not supported by tlskit)", "", x25519DER},
		{"secp256k1", "ECDSA", "secp256k1 (not supported by tlskit)",
			foreignPKCS8DER(t, "1.2.840.10045.2.1", asn1.ObjectIdentifier{1, 3, 132, 0, 10})},
		{"Ed448", "Ed448 (not supported by tlskit)", "", foreignPKCS8DER(t, "1.3.101.113", nil)},
		{"unknown", "OID 1.2.3.4 (not supported by tlskit)", "", foreignPKCS8DER(t, "1.2.3.4", nil)},
	}
	for _, tt := range tests {
		objs, err := Inspect(EncodePEM("PRIVATE KEY", tt.der), time.Now())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if k := objs[0].Key; k == nil || k.Algorithm != tt.wantAlg || k.Curve != tt.wantCurve || k.Format != "PKCS#8" {
			t.Errorf("%s: key %+v, want %q %q", tt.name, objs[0].Key, tt.wantAlg, tt.wantCurve)
		}
	}
}

func foreignPKCS8DER(t *testing.T, oid string, curve asn1.ObjectIdentifier) []byte {
	t.Helper()
	var id asn1.ObjectIdentifier
	for _, part := range strings.Split(oid, ".") {
		n, _ := strconv.Atoi(part)
		id = append(id, n)
	}
	algo := pkix.AlgorithmIdentifier{Algorithm: id}
	if curve != nil {
		params, _ := asn1.Marshal(curve)
		algo.Parameters = asn1.RawValue{FullBytes: params}
	}
	der, err := asn1.Marshal(struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}{0, algo, []byte{4, 2, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	return der
}
