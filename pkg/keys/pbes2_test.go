package keys

import (
	"crypto"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/youmark/pkcs8"
)

// pbes2Edit is a decoded encrypted key a test may change before re-encoding.
type pbes2Edit struct {
	epki   encryptedPrivateKeyInfo
	params pbes2Params
	kdf    pbkdf2Params
	iv     []byte
}

func decodeForEdit(t testing.TB, data []byte) *pbes2Edit {
	t.Helper()
	block, _ := pem.Decode(data)
	var e pbes2Edit
	mustUnmarshal(t, block.Bytes, &e.epki)
	mustUnmarshal(t, e.epki.Algorithm.Parameters.FullBytes, &e.params)
	mustUnmarshal(t, e.params.KDF.Parameters.FullBytes, &e.kdf)
	mustUnmarshal(t, e.params.Scheme.Parameters.FullBytes, &e.iv)
	return &e
}

func (e *pbes2Edit) encode(t testing.TB) []byte {
	t.Helper()
	e.params.KDF.Parameters = asn1.RawValue{FullBytes: mustMarshalASN1(t, e.kdf)}
	e.params.Scheme.Parameters = asn1.RawValue{FullBytes: mustMarshalASN1(t, e.iv)}
	e.epki.Algorithm.Parameters = asn1.RawValue{FullBytes: mustMarshalASN1(t, e.params)}
	return pemOf("ENCRYPTED PRIVATE KEY", mustMarshalASN1(t, e.epki))
}

// withScrypt replaces the KDF with scrypt parameters.
func (e *pbes2Edit) withScrypt(t testing.TB, p scryptParams) []byte {
	t.Helper()
	e.params.Scheme.Parameters = asn1.RawValue{FullBytes: mustMarshalASN1(t, e.iv)}
	e.params.KDF = pkix.AlgorithmIdentifier{Algorithm: oidScrypt, Parameters: asn1.RawValue{FullBytes: mustMarshalASN1(t, p)}}
	e.epki.Algorithm.Parameters = asn1.RawValue{FullBytes: mustMarshalASN1(t, e.params)}
	return pemOf("ENCRYPTED PRIVATE KEY", mustMarshalASN1(t, e.epki))
}

func mustUnmarshal(t testing.TB, der []byte, v any) {
	t.Helper()
	if _, err := asn1.Unmarshal(der, v); err != nil {
		t.Fatal(err)
	}
}

func mustMarshalASN1(t testing.TB, v any) []byte {
	t.Helper()
	der, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParseKeyPEMRejectsBadPBES2(t *testing.T) {
	good := mustMarshal(t, testKeys()["ed25519"], testPass, fastPBKDF2)
	oid := func(o ...int) asn1.ObjectIdentifier { return o }
	tests := []struct {
		name string
		edit func(e *pbes2Edit) []byte
		want error
	}{
		{"12-byte IV", func(e *pbes2Edit) []byte { e.iv = e.iv[:12]; return e.encode(t) }, ErrMalformed},
		{"8-byte IV", func(e *pbes2Edit) []byte { e.iv = e.iv[:8]; return e.encode(t) }, ErrMalformed},
		{"ragged ciphertext", func(e *pbes2Edit) []byte { e.epki.Data = e.epki.Data[:len(e.epki.Data)-5]; return e.encode(t) }, ErrMalformed},
		{"no ciphertext", func(e *pbes2Edit) []byte { e.epki.Data = nil; return e.encode(t) }, ErrMalformed},
		{"zero iterations", func(e *pbes2Edit) []byte { e.kdf.Iterations = 0; return e.encode(t) }, ErrUnsafeParams},
		{"too many iterations", func(e *pbes2Edit) []byte { e.kdf.Iterations = MaxPBKDF2Iterations + 1; return e.encode(t) }, ErrUnsafeParams},
		{"2^31 iterations", func(e *pbes2Edit) []byte { e.kdf.Iterations = 1 << 31; return e.encode(t) }, ErrUnsafeParams},
		{"empty salt", func(e *pbes2Edit) []byte { e.kdf.Salt = nil; return e.encode(t) }, ErrUnsafeParams},
		{"wrong key length", func(e *pbes2Edit) []byte { e.kdf.KeyLength = 16; return e.encode(t) }, ErrMalformed},
		{"HMAC-SHA512/256", func(e *pbes2Edit) []byte { e.kdf.PRF.Algorithm = oid(1, 2, 840, 113549, 2, 13); return e.encode(t) }, ErrUnsupportedEncryption},
		{"AES-256-GCM", func(e *pbes2Edit) []byte {
			e.params.Scheme.Algorithm = oid(2, 16, 840, 1, 101, 3, 4, 1, 46)
			return e.encode(t)
		}, ErrUnsupported},
		{"unknown KDF", func(e *pbes2Edit) []byte { e.params.KDF.Algorithm = oid(1, 2, 3, 4); return e.encode(t) }, ErrUnsupportedEncryption},
		{"PBES1", func(e *pbes2Edit) []byte {
			e.epki.Algorithm.Algorithm = oid(1, 2, 840, 113549, 1, 5, 10)
			return e.encode(t)
		}, ErrUnsupportedEncryption},
		{"Camellia-256-CBC", func(e *pbes2Edit) []byte {
			e.params.Scheme.Algorithm = oid(1, 2, 392, 200011, 61, 1, 1, 1, 4)
			return e.encode(t)
		}, ErrUnsupportedEncryption},
		{"scrypt N=2^21", scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: 1 << 21, R: 8, P: 1}), ErrUnsafeParams},
		{"scrypt N=3", scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: 3, R: 8, P: 1}), ErrUnsafeParams},
		{"scrypt r=0", scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: 1024, R: 0, P: 1}), ErrUnsafeParams},
		{"scrypt N=2^20 r=8 p=16 (1 GiB, a minute)", scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: 1 << 20, R: 8, P: 16}), ErrUnsafeParams},
		{"scrypt work just over the bound", scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: 1 << 14, R: 8, P: 33}), ErrUnsafeParams},
		{"scrypt memory just over the bound", scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: 1 << 15, R: 8, P: 1}), ErrUnsafeParams},
		{"scrypt 4 GiB", scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: 1 << 20, R: 32, P: 1}), ErrUnsafeParams},
		{"scrypt empty salt", scryptEdit(t, scryptParams{N: 1024, R: 8, P: 1}), ErrUnsafeParams},
		{"trailing data", func(e *pbes2Edit) []byte {
			block, _ := pem.Decode(e.encode(t))
			return pemOf(block.Type, append(block.Bytes, 0))
		}, ErrMalformed},
	}
	for _, tt := range tests {
		data := tt.edit(decodeForEdit(t, good))
		_, err := ParseKeyPEM(data, func() ([]byte, error) {
			t.Errorf("%s: passphrase asked for a file that is refused", tt.name)
			return testPass, nil
		})
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
		info, derr := DescribeKeyPEM(data)
		if !errors.Is(derr, tt.want) {
			t.Errorf("%s: DescribeKeyPEM error = %v, want %v", tt.name, derr, tt.want)
		}
		if !errors.Is(derr, ErrMalformed) && !info.Encrypted {
			t.Errorf("%s: DescribeKeyPEM does not report an encrypted key: %+v", tt.name, info)
		}
	}
}

func scryptEdit(t *testing.T, p scryptParams) func(e *pbes2Edit) []byte {
	return func(e *pbes2Edit) []byte { return e.withScrypt(t, p) }
}

// An explicit keyLength is read with either PRF: youmark/pkcs8's own PBKDF2
// would misread the PRF after it, tlskit's registered one does not.
func TestParseKeyPEMKeyLength(t *testing.T) {
	key := testKeys()["ed25519"]
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
		der, err := pkcs8.MarshalPrivateKey(key, testPass, &pkcs8.Opts{Cipher: pkcs8.AES256CBC,
			KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 16, IterationCount: 1000, HMACHash: h}})
		if err != nil {
			t.Fatal(err)
		}
		e := decodeForEdit(t, pemOf("ENCRYPTED PRIVATE KEY", der))
		e.kdf.KeyLength = 32
		if h == crypto.SHA1 {
			e.kdf.PRF = pkix.AlgorithmIdentifier{}
		}
		got, err := ParseKeyPEM(e.encode(t), passFunc(string(testPass)))
		if err != nil || !got.(equaler).Equal(key) {
			t.Errorf("%v: ParseKeyPEM = %v, %v", h, got, err)
		}
	}
}

// youmark/pkcs8 decrypts its "GCM" ciphers with unchecked CBC, so a GCM
// key with a short IV reaches a panic inside it: the recover must catch it.
func TestYoumarkPanicIsRecovered(t *testing.T) {
	e := decodeForEdit(t, mustMarshal(t, testKeys()["ed25519"], testPass, fastPBKDF2))
	e.params.Scheme.Algorithm = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 46}
	e.iv = e.iv[:12]
	block, _ := pem.Decode(e.encode(t))
	_, err := youmarkParse(block.Bytes, testPass)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "IV length must equal block size") {
		t.Errorf("error = %v, want ErrMalformed from a recovered panic", err)
	}
}

func TestParseKeyPEMUnsupportedKeyType(t *testing.T) {
	x, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := pkcs8.MarshalPrivateKey(x, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	encrypted, err := pkcs8.MarshalPrivateKey(x, testPass, &pkcs8.Opts{Cipher: pkcs8.AES256CBC,
		KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 16, IterationCount: 1000, HMACHash: crypto.SHA256}})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"plain":     pemOf("PRIVATE KEY", plain),
		"encrypted": pemOf("ENCRYPTED PRIVATE KEY", encrypted),
	}
	for name, data := range tests {
		_, err := ParseKeyPEM(data, passFunc(string(testPass)))
		if !errors.Is(err, ErrUnusableKey) || err.Error() != "the key is X25519, which tlskit cannot use for TLS" {
			t.Errorf("%s X25519 key: error = %v, want ErrUnusableKey naming X25519", name, err)
		}
	}
}

func TestUnpad(t *testing.T) {
	seq := []byte{0x30, 0x01, 0x00}
	tests := []struct {
		name  string
		plain []byte
		ok    bool
	}{
		{"good", append(append([]byte{}, seq...), 5, 5, 5, 5, 5), true},
		{"full block of padding", append(append([]byte{}, seq...), 3, 3, 3), true},
		{"zero pad byte", append(append([]byte{}, seq...), 0), false},
		{"pad longer than block", append(append([]byte{}, seq...), 17), false},
		{"inconsistent pad", append(append([]byte{}, seq...), 4, 2, 2), false},
		{"not DER", []byte{0x04, 0x00, 2, 2}, false},
		{"DER with trailing junk", append(append([]byte{}, seq...), 0x99, 1), false},
	}
	for _, tt := range tests {
		_, err := unpad(tt.plain, 16)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, errBadDecryption)) {
			t.Errorf("%s: unpad error = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}
