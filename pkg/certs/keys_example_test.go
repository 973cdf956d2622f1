package certs_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/tlskit/tlskit/pkg/certs"
)

func ExampleGenerateKey() {
	key, err := certs.GenerateKey(certs.KeySpec{Algorithm: "ecdsa", Curve: "P-384"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%T\n", key)

	_, err = certs.GenerateKey(certs.KeySpec{Algorithm: "rsa", Bits: 1024})
	fmt.Println(errors.Is(err, certs.ErrWeakKey), err)
	// Output:
	// *ecdsa.PrivateKey
	// true 1024-bit RSA keys are too weak (minimum 2048)
}

func ExampleMarshalKeyPEM() {
	key, err := certs.GenerateKey(certs.KeySpec{Algorithm: "ed25519"})
	if err != nil {
		log.Fatal(err)
	}
	// Iterations 0 means DefaultIterations; a low count keeps the example fast.
	data, err := certs.MarshalKeyPEM(key, []byte("correct horse"), certs.Encryption{Iterations: 1000})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(data[:bytes.IndexByte(data, '\n')+1]))

	info, err := certs.DescribeKeyPEM(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Cipher, info.KDF, info.Iterations)
	// Output:
	// -----BEGIN ENCRYPTED PRIVATE KEY-----
	// AES-256-CBC PBKDF2-HMAC-SHA256 1000
}

func ExampleParseKeyPEM() {
	key, _ := certs.GenerateKey(certs.KeySpec{Algorithm: "ed25519"})
	data, _ := certs.MarshalKeyPEM(key, []byte("correct horse"), certs.Encryption{Iterations: 1000})

	pass, err := certs.PassphraseSource("pass:wrong horse", nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = certs.ParseKeyPEM(data, pass)
	fmt.Println(errors.Is(err, certs.ErrWrongPassphrase))

	pass, _ = certs.PassphraseSource("pass:correct horse", nil)
	parsed, err := certs.ParseKeyPEM(data, pass)
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

	if err := certs.WriteFileAtomic(path, []byte("key"), certs.KeyFileMode, false); err != nil {
		log.Fatal(err)
	}
	fi, _ := os.Stat(path)
	fmt.Println(fi.Mode())

	err = certs.WriteFileAtomic(path, []byte("other key"), certs.KeyFileMode, false)
	fmt.Println(errors.Is(err, certs.ErrExists))
	// Output:
	// -r--------
	// true
}
