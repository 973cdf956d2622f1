package keys

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tlskit/tlskit/internal/testkit"
)

// These tests run the real openssl binary (see opensslPath). Keys are
// encrypted with low iteration counts except in
// TestOpenSSLReadsDefaultIterations.

const interopPass = "interop pass"

// opensslPublicKey asks openssl to decrypt the key in file and returns the
// public key it derives: proof that openssl read the private key correctly.
func opensslPublicKey(t *testing.T, dir, file string) crypto.PublicKey {
	t.Helper()
	testkit.OpenSSL(t, dir, "pkey", "-in", file, "-passin", "pass:"+interopPass, "-pubout", "-out", "pub.pem")
	data, err := os.ReadFile(filepath.Join(dir, "pub.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("openssl wrote no public key PEM:\n%s", data)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

type publicKeyEqualer interface{ Equal(crypto.PublicKey) bool }

func TestOpenSSLReadsTlskitKeys(t *testing.T) {
	encs := map[string]struct {
		pass []byte
		enc  Encryption
		asn1 []string // what openssl asn1parse must show
	}{
		"plain":  {nil, Encryption{}, nil},
		"pbkdf2": {[]byte(interopPass), fastPBKDF2, []string{":PBES2", ":PBKDF2", ":hmacWithSHA256", ":aes-256-cbc", "INTEGER           :03E8"}},
		"scrypt": {[]byte(interopPass), Encryption{KDF: "scrypt"}, []string{":PBES2", ":scrypt", ":aes-256-cbc", "INTEGER           :4000", "INTEGER           :08", "INTEGER           :01"}},
	}
	for alg, key := range testKeys() {
		for name, e := range encs {
			t.Run(alg+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				testkit.WriteFile(t, dir, "k.pem", mustMarshal(t, key, e.pass, e.enc))
				if pub := opensslPublicKey(t, dir, "k.pem"); !key.Public().(publicKeyEqualer).Equal(pub) {
					t.Fatal("openssl derived a different public key")
				}
				out := testkit.OpenSSL(t, dir, "asn1parse", "-in", "k.pem")
				if name == "plain" {
					testkit.MustContain(t, "openssl asn1parse", out, plainKeyOIDs[alg])
					return
				}
				testkit.MustContain(t, "openssl asn1parse", out, e.asn1...)
				if _, err := testkit.OpenSSLRun(t, dir, "pkey", "-in", "k.pem", "-passin", "pass:wrong", "-noout"); err == nil {
					t.Error("openssl accepted a wrong passphrase")
				}
			})
		}
	}
}

// TestOpenSSLReadsDefaultIterations covers the real 600,000-iteration default
// end to end: tlskit writes it, openssl reports and reads it, tlskit reads it.
func TestOpenSSLReadsDefaultIterations(t *testing.T) {
	key := testKeys()["ecdsa"]
	data := mustMarshal(t, key, []byte(interopPass), Encryption{})
	dir := t.TempDir()
	testkit.WriteFile(t, dir, "k.pem", data)
	testkit.MustContain(t, "openssl asn1parse", testkit.OpenSSL(t, dir, "asn1parse", "-in", "k.pem"),
		":PBKDF2", ":hmacWithSHA256", ":aes-256-cbc", "INTEGER           :0927C0")
	if pub := opensslPublicKey(t, dir, "k.pem"); !key.Public().(publicKeyEqualer).Equal(pub) {
		t.Fatal("openssl derived a different public key")
	}
	got, err := ParseKeyPEM(data, passFunc(interopPass))
	if err != nil || !got.(equaler).Equal(key) {
		t.Fatalf("ParseKeyPEM = %v, %v", got, err)
	}
}

// opensslKey is a key file made by openssl commands run in a temp dir. Each
// command may read "plain.pem", an unencrypted key the previous step made.
type opensslKey struct {
	name      string
	cmds      [][]string
	encrypted bool
	info      KeyInfo // what DescribeKeyPEM must report
}

// opensslPBES2Info is what openssl 3.0 writes by default: 8-byte salt, 2048 iterations.
func opensslPBES2Info(cipher, kdf string, iter int) KeyInfo {
	return KeyInfo{Format: "encrypted PKCS#8", Encrypted: true, Cipher: cipher, KDF: kdf, Iterations: iter, SaltLen: 8}
}

func legacyInfo(alg, cipher string) KeyInfo {
	return KeyInfo{Format: "legacy encrypted PEM", Encrypted: true, Algorithm: alg, Cipher: cipher,
		KDF: "EVP_BytesToKey-MD5", Iterations: 1, SaltLen: 8}
}

var opensslKeys = []opensslKey{
	{"genpkey rsa aes256", [][]string{{"genpkey", "-algorithm", "RSA", "-aes256", "-pass", "pass:" + interopPass, "-out", "k.pem"}},
		true, opensslPBES2Info("AES-256-CBC", "PBKDF2-HMAC-SHA256", 2048)},
	{"genpkey ec aes256", [][]string{{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:" + interopPass, "-out", "k.pem"}},
		true, opensslPBES2Info("AES-256-CBC", "PBKDF2-HMAC-SHA256", 2048)},
	{"genpkey ed25519 aes256", [][]string{{"genpkey", "-algorithm", "ed25519", "-aes256", "-pass", "pass:" + interopPass, "-out", "k.pem"}},
		true, opensslPBES2Info("AES-256-CBC", "PBKDF2-HMAC-SHA256", 2048)},
	{"genpkey ed25519 plain", [][]string{{"genpkey", "-algorithm", "ed25519", "-out", "k.pem"}},
		false, KeyInfo{Format: "PKCS#8", Algorithm: "Ed25519", Bits: 256}},
	{"pkcs8 scrypt", [][]string{ecPlain, topk8("-v2", "aes256", "-scrypt")},
		true, KeyInfo{Format: "encrypted PKCS#8", Encrypted: true, Cipher: "AES-256-CBC", KDF: "scrypt",
			ScryptN: 16384, ScryptR: 8, ScryptP: 1, SaltLen: 8}},
	{"pkcs8 hmacWithSHA1", [][]string{ecPlain, topk8("-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA1", "-iter", "1000")},
		true, opensslPBES2Info("AES-256-CBC", "PBKDF2-HMAC-SHA1", 1000)},
	{"pkcs8 aes128", [][]string{ecPlain, topk8("-v2", "aes-128-cbc", "-iter", "1000")},
		true, opensslPBES2Info("AES-128-CBC", "PBKDF2-HMAC-SHA256", 1000)},
	{"pkcs8 des3", [][]string{ecPlain, topk8("-v2", "des3", "-iter", "1000")},
		true, opensslPBES2Info("DES-EDE3-CBC", "PBKDF2-HMAC-SHA256", 1000)},
	{"genrsa legacy aes256", [][]string{{"genrsa", "-aes256", "-traditional", "-passout", "pass:" + interopPass, "-out", "k.pem", "2048"}},
		true, legacyInfo("RSA", "AES-256-CBC")},
	{"ec legacy aes128", [][]string{ecPlain, {"ec", "-in", "plain.pem", "-aes128", "-passout", "pass:" + interopPass, "-out", "k.pem"}},
		true, legacyInfo("ECDSA", "AES-128-CBC")},
	{"ec sec1", [][]string{ecPlain, {"ec", "-in", "plain.pem", "-out", "k.pem"}},
		false, KeyInfo{Format: "SEC1", Algorithm: "ECDSA", Curve: "P-256", Bits: 256}},
	{"ecparam genkey", [][]string{{"ecparam", "-name", "secp384r1", "-genkey", "-out", "k.pem"}},
		false, KeyInfo{Format: "SEC1", Algorithm: "ECDSA", Curve: "P-384", Bits: 384}},
	{"rsa pkcs1", [][]string{{"genpkey", "-algorithm", "RSA", "-out", "plain.pem"}, {"rsa", "-in", "plain.pem", "-traditional", "-out", "k.pem"}},
		false, KeyInfo{Format: "PKCS#1", Algorithm: "RSA", Bits: 2048}},
}

var ecPlain = []string{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "plain.pem"}

func topk8(opts ...string) []string {
	return append([]string{"pkcs8", "-topk8", "-in", "plain.pem", "-passout", "pass:" + interopPass, "-out", "k.pem"}, opts...)
}

func TestReadOpenSSLKeys(t *testing.T) {
	for _, k := range opensslKeys {
		t.Run(k.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, cmd := range k.cmds {
				testkit.OpenSSL(t, dir, cmd...)
			}
			data, err := os.ReadFile(filepath.Join(dir, "k.pem"))
			if err != nil {
				t.Fatal(err)
			}
			checkOpenSSLKey(t, dir, k, data)
		})
	}
}

func checkOpenSSLKey(t *testing.T, dir string, k opensslKey, data []byte) {
	key, err := ParseKeyPEM(data, passFunc(interopPass))
	if err != nil {
		t.Fatalf("ParseKeyPEM: %v\n%s", err, data)
	}
	if !key.Public().(publicKeyEqualer).Equal(opensslPublicKey(t, dir, "k.pem")) {
		t.Fatal("tlskit and openssl derive different public keys")
	}
	if k.encrypted {
		if _, err := ParseKeyPEM(data, passFunc("wrong passphrase")); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("wrong passphrase: error = %v, want ErrWrongPassphrase", err)
		}
		if _, err := ParseKeyPEM(data, nil); !errors.Is(err, ErrNoPassphrase) {
			t.Errorf("no passphrase: error = %v, want ErrNoPassphrase", err)
		}
	}
	info, err := DescribeKeyPEM(data)
	if err != nil {
		t.Fatalf("DescribeKeyPEM: %v", err)
	}
	if info != k.info {
		t.Errorf("DescribeKeyPEM = %+v, want %+v", info, k.info)
	}
}

// plainKeyOIDs are how openssl asn1parse names each algorithm in plain PKCS#8.
var plainKeyOIDs = map[string]string{"rsa": ":rsaEncryption", "ecdsa": ":id-ecPublicKey", "ed25519": ":ED25519"}
