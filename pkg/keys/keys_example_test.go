package keys_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
)

func ExampleGenerateKey() {
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa", Curve: "P-384"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T\n", key)

	_, err = keys.GenerateKey(keys.KeySpec{Algorithm: "rsa", Bits: 1024})
	fmt.Println(errors.Is(err, keys.ErrWeakKey), err)
	// Output:
	// *ecdsa.PrivateKey
	// true 1024-bit RSA keys are too weak (minimum 2048)
}

func ExampleMarshalKeyPEM() {
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ed25519"})
	if err != nil {
		log.Fatal(err)
	}
	// Iterations 0 means DefaultIterations; a low count keeps the example fast.
	data, err := keys.MarshalKeyPEM(key, []byte("correct horse"), keys.Encryption{Iterations: 1000})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(data[:bytes.IndexByte(data, '\n')+1]))

	info, err := keys.DescribeKeyPEM(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Cipher, info.KDF, info.Iterations)
	// Output:
	// -----BEGIN ENCRYPTED PRIVATE KEY-----
	// AES-256-CBC PBKDF2-HMAC-SHA256 1000
}

func ExampleParseKeyPEM() {
	key, _ := keys.GenerateKey(keys.KeySpec{Algorithm: "ed25519"})
	data, _ := keys.MarshalKeyPEM(key, []byte("correct horse"), keys.Encryption{Iterations: 1000})

	pass, err := keys.PassphraseSource("pass:wrong horse", nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = keys.ParseKeyPEM(data, pass)
	fmt.Println(errors.Is(err, keys.ErrWrongPassphrase))

	pass, _ = keys.PassphraseSource("pass:correct horse", nil)
	parsed, err := keys.ParseKeyPEM(data, pass)
	fmt.Printf("%T %v\n", parsed, err)
	// Output:
	// true
	// ed25519.PrivateKey <nil>
}

func ExampleWriteFileAtomic() {
	dir, err := os.MkdirTemp("", "tlskit-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "server.key")

	if err := safefile.WriteFileAtomic(path, []byte("key"), keys.KeyFileMode, false); err != nil {
		log.Fatal(err)
	}
	fi, _ := os.Stat(path)
	fmt.Println(fi.Mode())

	err = safefile.WriteFileAtomic(path, []byte("other key"), keys.KeyFileMode, false)
	fmt.Println(errors.Is(err, safefile.ErrExists))
	// Output:
	// -r--------
	// true
}

func ExampleMarshalKey() {
	key, err := keys.GenerateKey(keys.KeySpec{Algorithm: "ecdsa"})
	if err != nil {
		log.Fatal(err)
	}
	sec1, err := keys.MarshalKey(key, keys.FormatSEC1, false)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(sec1[:bytes.IndexByte(sec1, '\n')+1]))

	_, err = keys.MarshalKey(key, keys.FormatPKCS1, false)
	fmt.Println(errors.Is(err, keys.ErrUnsupported), err)
	// Output:
	// -----BEGIN EC PRIVATE KEY-----
	// true PKCS#1 holds only RSA keys: this key is ECDSA P-256 (use sec1 or pkcs8)
}

func ExampleDescribeP12() {
	data, err := os.ReadFile("../../testdata/p12/openssl-legacy-rc2.p12")
	if err != nil {
		log.Fatal(err)
	}
	info, err := keys.DescribeP12(data) // no password needed
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Profile, info.MAC)
	for _, e := range info.Encryptions {
		fmt.Println(e.Of, e.Algorithm, e.Iterations)
	}
	contents, err := keys.DecodeP12(data, func() ([]byte, error) { return []byte("tlskit-test"), nil })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(contents.Leaf.Subject, len(contents.Chain))
	// Output:
	// legacy-rc2 HMAC-SHA-1
	// safe pbeWithSHAAnd40BitRC2-CBC 2048
	// key pbeWithSHAAnd3-KeyTripleDES-CBC 2048
	// CN=p12.example.com 1
}
