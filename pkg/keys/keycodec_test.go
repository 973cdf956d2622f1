package keys

import (
	"bytes"
	"crypto"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

// fastPBKDF2 keeps tests quick; one interop test covers DefaultIterations.
var fastPBKDF2 = Encryption{Iterations: 1000}

var testPass = []byte("correct horse")

func passFunc(p string) PassphraseFunc {
	return func() ([]byte, error) { return []byte(p), nil }
}

type equaler interface{ Equal(crypto.PrivateKey) bool }

func TestMarshalParseRoundTrip(t *testing.T) {
	encs := map[string]struct {
		pass []byte
		enc  Encryption
		typ  string
	}{
		"plain":  {nil, Encryption{}, "PRIVATE KEY"},
		"pbkdf2": {testPass, fastPBKDF2, "ENCRYPTED PRIVATE KEY"},
		"scrypt": {testPass, Encryption{KDF: "scrypt"}, "ENCRYPTED PRIVATE KEY"},
	}
	for alg, key := range testKeys() {
		for name, e := range encs {
			t.Run(alg+"/"+name, func(t *testing.T) {
				data, err := MarshalKeyPEM(key, e.pass, e.enc)
				if err != nil {
					t.Fatal(err)
				}
				if block, _ := pem.Decode(data); block == nil || block.Type != e.typ {
					t.Fatalf("PEM type is not %q:\n%s", e.typ, data)
				}
				got, err := ParseKeyPEM(data, passFunc(string(testPass)))
				if err != nil {
					t.Fatal(err)
				}
				if !got.(equaler).Equal(key) {
					t.Fatal("parsed key differs from the original")
				}
			})
		}
	}
}

func TestMarshalKeyPEMErrors(t *testing.T) {
	key := testKeys()["ecdsa"]
	tests := []struct {
		name string
		pass []byte
		enc  Encryption
		want error
	}{
		{"empty passphrase", []byte{}, fastPBKDF2, ErrShortPassphrase},
		{"short passphrase", []byte("abc"), fastPBKDF2, ErrShortPassphrase},
		{"unknown kdf", testPass, Encryption{KDF: "argon2"}, ErrUnsupported},
		{"negative iterations", testPass, Encryption{Iterations: -1}, ErrUnsafeParams},
		{"too many iterations", testPass, Encryption{Iterations: MaxPBKDF2Iterations + 1}, ErrUnsafeParams},
	}
	for _, tt := range tests {
		_, err := MarshalKeyPEM(key, tt.pass, tt.enc)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestMarshalKeyPEMParams(t *testing.T) {
	data, err := MarshalKeyPEM(testKeys()["ed25519"], testPass, Encryption{Iterations: 1234})
	if err != nil {
		t.Fatal(err)
	}
	info, err := DescribeKeyPEM(data)
	if err != nil {
		t.Fatal(err)
	}
	want := KeyInfo{Format: "encrypted PKCS#8", Encrypted: true, Cipher: "AES-256-CBC",
		KDF: "PBKDF2-HMAC-SHA256", Iterations: 1234, SaltLen: 16}
	if info != want {
		t.Errorf("DescribeKeyPEM = %+v, want %+v", info, want)
	}
}

func TestParseKeyPEMErrors(t *testing.T) {
	encrypted := mustMarshal(t, testKeys()["ecdsa"], testPass, fastPBKDF2)
	plain := mustMarshal(t, testKeys()["ecdsa"], nil, Encryption{})
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0}})
	csr := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte{0x30, 0}})
	tests := []struct {
		name string
		data []byte
		pass PassphraseFunc
		want error
	}{
		{"empty", nil, nil, ErrNoPEM},
		{"text", []byte("hello world\n"), nil, ErrNoPEM},
		{"certificate", cert, nil, ErrNotPrivateKey},
		{"csr", csr, nil, ErrNotPrivateKey},
		{"truncated", plain[:len(plain)/2], nil, ErrMalformed},
		{"truncated encrypted", encrypted[:len(encrypted)-40], passFunc("x"), ErrMalformed},
		{"corrupt base64", bytes.Replace(plain, []byte("\n"), []byte("\n!!!"), 2), nil, ErrMalformed},
		{"garbage DER", pemOf("PRIVATE KEY", []byte{0x30, 3, 2, 1, 0}), nil, ErrMalformed},
		{"garbage PKCS#1", pemOf("RSA PRIVATE KEY", []byte{1, 2, 3}), nil, ErrMalformed},
		{"garbage SEC1", pemOf("EC PRIVATE KEY", []byte{1, 2, 3}), nil, ErrMalformed},
		{"garbage encrypted", pemOf("ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}), passFunc("x"), ErrMalformed},
		{"openssh", pemOf("OPENSSH PRIVATE KEY", []byte{1, 2, 3}), nil, ErrUnsupported},
		{"no passphrase func", encrypted, nil, ErrNoPassphrase},
		{"empty passphrase", encrypted, passFunc(""), ErrNoPassphrase},
		{"wrong passphrase", encrypted, passFunc("wrong horse"), ErrWrongPassphrase},
	}
	for _, tt := range tests {
		_, err := ParseKeyPEM(tt.data, tt.pass)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestParseKeyPEMNamesWhatItFound(t *testing.T) {
	cert := pemOf("CERTIFICATE", []byte{0x30, 0})
	_, err := ParseKeyPEM(cert, nil)
	if err == nil || err.Error() != "found a CERTIFICATE, not a private key" {
		t.Errorf("error = %v", err)
	}
}

func TestParseKeyPEMSkipsOtherBlocks(t *testing.T) {
	key := testKeys()["ecdsa"]
	data := append(pemOf("CERTIFICATE", []byte{0x30, 0}), mustMarshal(t, key, nil, Encryption{})...)
	got, err := ParseKeyPEM(data, nil)
	if err != nil || !got.(equaler).Equal(key) {
		t.Fatalf("ParseKeyPEM(cert+key) = %v, %v", got, err)
	}
}

func TestParseKeyPEMPassphraseCalledOnce(t *testing.T) {
	plain := mustMarshal(t, testKeys()["ed25519"], nil, Encryption{})
	encrypted := mustMarshal(t, testKeys()["ed25519"], testPass, fastPBKDF2)
	for name, data := range map[string][]byte{"plain": plain, "encrypted": encrypted} {
		calls := 0
		_, err := ParseKeyPEM(data, func() ([]byte, error) { calls++; return testPass, nil })
		wantCalls := map[string]int{"plain": 0, "encrypted": 1}[name]
		if err != nil || calls != wantCalls {
			t.Errorf("%s: err = %v, passphrase asked %d times, want %d", name, err, calls, wantCalls)
		}
	}
}

func TestParseKeyPEMPassesPassphraseErrorThrough(t *testing.T) {
	encrypted := mustMarshal(t, testKeys()["ed25519"], testPass, fastPBKDF2)
	sentinel := errors.New("no terminal")
	_, err := ParseKeyPEM(encrypted, func() ([]byte, error) { return nil, sentinel })
	if !errors.Is(err, sentinel) {
		t.Errorf("error = %v, want %v", err, sentinel)
	}
}

func TestErrorsNeverContainPassphrase(t *testing.T) {
	encrypted := mustMarshal(t, testKeys()["ed25519"], testPass, fastPBKDF2)
	_, err := ParseKeyPEM(encrypted, passFunc("hunter22"))
	if err == nil || strings.Contains(err.Error(), "hunter22") {
		t.Errorf("error = %v", err)
	}
}

func mustMarshal(t testing.TB, key crypto.Signer, pass []byte, enc Encryption) []byte {
	t.Helper()
	data, err := MarshalKeyPEM(key, pass, enc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// A legacy-encrypted key of a type tlskit cannot parse must not be blamed on
// the passphrase.
func TestParseKeyPEMLegacyUnsupportedType(t *testing.T) {
	block := &pem.Block{Type: "DSA PRIVATE KEY", Bytes: make([]byte, 32),
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}}
	_, err := ParseKeyPEM(pem.EncodeToMemory(block), passFunc("anything"))
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("error = %v, want ErrUnsupported", err)
	}
}

func TestParseKeyPEMLegacy(t *testing.T) {
	key := testKeys()["ecdsa"]
	good := legacyKey(t, key, testPass)
	withDEK := func(dek string) []byte {
		block, _ := pem.Decode(good)
		block.Headers["DEK-Info"] = dek
		return pem.EncodeToMemory(block)
	}
	got, err := ParseKeyPEM(good, passFunc(string(testPass)))
	if err != nil || !got.(equaler).Equal(key) {
		t.Fatalf("ParseKeyPEM = %v, %v", got, err)
	}
	tests := []struct {
		name string
		data []byte
		pass PassphraseFunc
		want error
	}{
		{"wrong passphrase", good, passFunc("wrong horse"), ErrWrongPassphrase},
		{"no passphrase", good, nil, ErrNoPassphrase},
		{"unknown cipher", withDEK("CAMELLIA-256-CBC,00112233445566778899AABBCCDDEEFF"), passFunc("x"), ErrUnsupported},
		{"no IV", withDEK("AES-256-CBC"), passFunc("x"), ErrMalformed},
		{"short IV", withDEK("AES-256-CBC,0011"), passFunc("x"), ErrMalformed},
	}
	for _, tt := range tests {
		if _, err := ParseKeyPEM(tt.data, tt.pass); !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}
}
