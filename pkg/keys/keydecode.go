package keys

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"strings"
)

// PassphraseFunc supplies a passphrase when one is needed. Readers call it only
// for encrypted keys, at most once.
type PassphraseFunc func() ([]byte, error)

// ParseKeyPEM decodes a private key in any supported format: encrypted PKCS#8
// (PBES2 with PBKDF2 or scrypt), legacy encrypted PEM (Proc-Type/DEK-Info),
// plain PKCS#8, PKCS#1 and SEC1. passphrase may be nil for plain keys. Errors
// wrap ErrNoPEM, ErrNotPrivateKey, ErrMalformed, ErrUnsupported,
// ErrUnsafeParams, ErrNoPassphrase or ErrWrongPassphrase, or are the error
// passphrase returned. A key of an algorithm tlskit cannot use for TLS
// (Ed448, X25519, secp256k1, ...) is refused with ErrUnusableKey, naming it;
// an encrypted one is decrypted first, so the passphrase is known to be right.
func ParseKeyPEM(data []byte, passphrase PassphraseFunc) (crypto.Signer, error) {
	block, err := findKeyBlock(data)
	if err != nil {
		return nil, err
	}
	switch {
	case block.Type == "ENCRYPTED PRIVATE KEY":
		return decryptPKCS8(block.Bytes, passphrase)
	case isLegacyEncrypted(block):
		return decryptLegacy(block, passphrase)
	}
	return parsePlain(block.Type, block.Bytes)
}

func isLegacyEncrypted(block *pem.Block) bool {
	return strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") || block.Headers["DEK-Info"] != ""
}

// findKeyBlock returns the first private key in data, skipping the EC
// PARAMETERS block openssl ecparam writes before a key and any certificates
// bundled with it.
func findKeyBlock(data []byte) (*pem.Block, error) {
	var other string
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		switch {
		case block == nil:
			return nil, noKeyBlockError(data, other)
		case strings.HasSuffix(block.Type, "PRIVATE KEY"):
			return block, nil
		case other == "" && block.Type != "EC PARAMETERS":
			other = block.Type
		}
	}
}

func noKeyBlockError(data []byte, other string) error {
	switch {
	case bytes.Contains(data, []byte("PRIVATE KEY-----")):
		return keyErrorf(ErrMalformed, "truncated or corrupted private key PEM")
	case other != "":
		return keyErrorf(ErrNotPrivateKey, "found a %s, not a private key", other)
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return keyErrorf(ErrMalformed, "truncated or corrupted PEM data")
	}
	return ErrNoPEM
}

// parsePlain decodes an unencrypted key by its PEM type.
func parsePlain(typ string, der []byte) (crypto.Signer, error) {
	if err := foreignKeyError(typ, der); err != nil {
		return nil, err
	}
	switch typ {
	case "PRIVATE KEY":
		return parsePKCS8(der)
	case "RSA PRIVATE KEY":
		key, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			return nil, keyErrorf(ErrMalformed, "malformed PKCS#1 RSA private key")
		}
		return key, nil
	case "EC PRIVATE KEY":
		key, err := x509.ParseECPrivateKey(der)
		if err != nil {
			return nil, keyErrorf(ErrMalformed, "malformed SEC1 EC private key")
		}
		return key, nil
	}
	return nil, keyErrorf(ErrUnsupported, "unsupported key format %q (want PKCS#8, PKCS#1 or SEC1 PEM)", typ)
}

var (
	oidKeyRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidKeyEC      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidKeyEd25519 = asn1.ObjectIdentifier{1, 3, 101, 112}
)

// parsePKCS8 decodes a PrivateKeyInfo of an algorithm foreignKeyError has
// let through.
func parsePKCS8(der []byte) (crypto.Signer, error) {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, keyErrorf(ErrMalformed, "malformed PKCS#8 private key")
	}
	return asSigner(key)
}
