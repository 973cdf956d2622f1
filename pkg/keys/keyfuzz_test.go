package keys

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/youmark/pkcs8"
)

var updateKeySeeds = flag.Bool("update-key-seeds", false, "rewrite the seeds in testdata/fuzz/FuzzParseKeyPEM")

const (
	fuzzPass   = "fuzz pass"
	keySeedDir = "testdata/fuzz/FuzzParseKeyPEM"
)

// youmarkPanicSeeds are inputs on which youmark/pkcs8 itself panics; go test
// replays them on every run.
var youmarkPanicSeeds = []string{"youmark-panic-iv12", "youmark-panic-iv8", "youmark-panic-ragged-ciphertext"}

// keyErrors are the errors ParseKeyPEM may return; anything else is a bug.
var keyErrors = []error{ErrNoPEM, ErrNotPrivateKey, ErrMalformed, ErrUnsupported, ErrUnsafeParams,
	ErrNoPassphrase, ErrWrongPassphrase}

func FuzzParseKeyPEM(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParseKeyPEM(data, passFunc(fuzzPass))
		checkKeyResult(t, key, err)
		info, derr := DescribeKeyPEM(data)
		checkKeyResult(t, nil, derr)
		if derr == nil && info.Unsupported && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("described as unsupported %+v but ParseKeyPEM says %v", info, err)
		}
		if derr == nil && !info.Encrypted && !info.Unsupported {
			if err != nil {
				t.Fatalf("described as a plain %+v but ParseKeyPEM failed: %v", info, err)
			}
			if got := describeKey(key); got.Algorithm != info.Algorithm || got.Bits != info.Bits {
				t.Fatalf("described as %+v, parsed as %+v", info, got)
			}
		}
	})
}

func checkKeyResult(t *testing.T, key crypto.Signer, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if key != nil {
		t.Fatalf("both a key and an error: %v", err)
	}
	for _, known := range keyErrors {
		if errors.Is(err, known) {
			return
		}
	}
	t.Fatalf("error wraps no sentinel: %v", err)
}

func TestYoumarkPanicSeedsReturnErrors(t *testing.T) {
	for _, name := range youmarkPanicSeeds {
		data := readSeed(t, filepath.Join(keySeedDir, name))
		if _, err := ParseKeyPEM(data, passFunc(fuzzPass)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: error = %v, want ErrMalformed", name, err)
		}
	}
}

// readSeed decodes a one-value []byte corpus file in Go's fuzz format.
func readSeed(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitN(bytes.TrimSpace(raw), []byte("\n"), 2)
	if len(lines) != 2 || string(lines[0]) != "go test fuzz v1" {
		t.Fatalf("%s: not a fuzz corpus file", path)
	}
	quoted := bytes.TrimSuffix(bytes.TrimPrefix(lines[1], []byte("[]byte(")), []byte(")"))
	s, err := strconv.Unquote(string(quoted))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return []byte(s)
}

// TestKeyFuzzSeeds checks that every seed is checked in, so that seeds cannot
// silently vanish (a renamed directory would leave the fuzz target running on
// nothing). With -update-key-seeds it rewrites them first:
// go test -run TestKeyFuzzSeeds -update-key-seeds ./pkg/certs
func TestKeyFuzzSeeds(t *testing.T) {
	seeds := keySeeds(t)
	if *updateKeySeeds {
		writeKeySeeds(t, seeds)
	}
	files, err := filepath.Glob(filepath.Join(keySeedDir, "*"))
	if err != nil || len(files) < len(seeds) {
		t.Fatalf("%s holds %d seed files, want %d (%v)", keySeedDir, len(files), len(seeds), err)
	}
	for name := range seeds {
		readSeed(t, filepath.Join(keySeedDir, name))
	}
}

func writeKeySeeds(t *testing.T, seeds map[string][]byte) {
	for name, data := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(keySeedDir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func keySeeds(t *testing.T) map[string][]byte {
	ec, rsaKey := testKeys()["ecdsa"], testKeys()["rsa"]
	pass := []byte(fuzzPass)
	encrypted := mustMarshal(t, testKeys()["ed25519"], pass, fastPBKDF2)
	seeds := map[string][]byte{
		"plain-pkcs8-ecdsa":  mustMarshal(t, ec, nil, Encryption{}),
		"pkcs8-pbkdf2":       encrypted,
		"pkcs8-scrypt-cheap": cheapScryptKey(t, ec, pass),
		"legacy-aes256-ec":   legacyKey(t, ec, pass),
		"pkcs1-rsa":          pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey.(*rsa.PrivateKey))),
		"sec1-with-params":   append(pemOf("EC PARAMETERS", []byte{6, 5, 0x2b, 0x81, 4, 0, 0x22}), sec1(t, ec)...),
		"certificate":        pemOf("CERTIFICATE", []byte{0x30, 0x03, 0x02, 0x01, 0x00}),
		"truncated":          encrypted[:len(encrypted)/2],
	}
	// Keys other tools write that tlskit names and refuses (testdata/ at the
	// top of the repository says how each was made).
	for name, file := range map[string]string{
		"foreign-secp256k1-sec1": "openssl-secp256k1-sec1.key", "foreign-rsa-pss": "openssl-rsa-pss.key",
		"foreign-x25519-encrypted": "openssl-x25519-enc.key", "foreign-pbe-sha1-3des": "openssl-ec-pbe-sha1-3des.key",
		"foreign-camellia256": "openssl-ec-camellia256.key", "pkcs8-pbkdf2-sha512": "openssl-ec-pbkdf2-sha512.key",
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		seeds[name] = data
	}
	for _, name := range youmarkPanicSeeds {
		e := decodeForEdit(t, encrypted)
		switch name {
		case "youmark-panic-iv12":
			e.iv = e.iv[:12]
		case "youmark-panic-iv8":
			e.iv = e.iv[:8]
		default:
			e.epki.Data = e.epki.Data[:len(e.epki.Data)-5]
		}
		seeds[name] = e.encode(t)
	}
	return seeds
}

// cheapScryptKey uses a tiny N so that fuzzing is not slowed down by it.
func cheapScryptKey(t *testing.T, key crypto.Signer, pass []byte) []byte {
	der, err := pkcs8.MarshalPrivateKey(key, pass, &pkcs8.Opts{Cipher: pkcs8.AES256CBC,
		KDFOpts: pkcs8.ScryptOpts{SaltSize: 16, CostParameter: 1024, BlockSize: 8, ParallelizationParameter: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return pemOf("ENCRYPTED PRIVATE KEY", der)
}

func legacyKey(t *testing.T, key crypto.Signer, pass []byte) []byte {
	//lint:ignore SA1019 tlskit must read this legacy format, so tests write it
	block, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", sec1DER(t, key), pass, x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(block)
}

func sec1(t *testing.T, key crypto.Signer) []byte { return pemOf("EC PRIVATE KEY", sec1DER(t, key)) }

func sec1DER(t *testing.T, key crypto.Signer) []byte {
	der, err := x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	return der
}
