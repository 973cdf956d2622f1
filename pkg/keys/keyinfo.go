package keys

import (
	"crypto"
	"encoding/pem"
	"errors"
	"strings"
)

// KeyInfo describes a private key file without decrypting it.
type KeyInfo struct {
	Format     string // "PKCS#8", "encrypted PKCS#8", "PKCS#1", "SEC1", "legacy encrypted PEM"
	Encrypted  bool
	Algorithm  string // "RSA", "ECDSA", "Ed25519"; empty when it cannot be known without the passphrase
	Bits       int    // RSA modulus size or curve size; 0 when unknown
	Curve      string
	Cipher     string // e.g. "AES-256-CBC"
	KDF        string // "PBKDF2-HMAC-SHA256", "scrypt", ...
	Iterations int
	ScryptN    int
	ScryptR    int
	ScryptP    int
	SaltLen    int
	// Unsupported is set for a key tlskit recognises but cannot load: of an
	// algorithm it cannot use for TLS (Ed448, X25519, secp256k1, P-224,
	// RSA-PSS, ...; Algorithm and Curve name it), or encrypted with a scheme
	// it cannot decrypt (Cipher names it, and DescribeKeyPEM also returns
	// ErrUnsupportedEncryption).
	Unsupported bool
}

// DescribeKeyPEM reports the type and protection of a key without a
// passphrase. For an encrypted key whose parameters tlskit would refuse, the
// info is filled in and the error says why it would be refused
// (ErrUnsupported, ErrUnsafeParams or ErrMalformed).
func DescribeKeyPEM(data []byte) (KeyInfo, error) {
	block, err := findKeyBlock(data)
	if err != nil {
		return KeyInfo{}, err
	}
	switch {
	case block.Type == "ENCRYPTED PRIVATE KEY":
		return describePKCS8(block.Bytes)
	case isLegacyEncrypted(block):
		return describeLegacy(block)
	}
	if info, ok := foreignKey(block.Type, block.Bytes); ok {
		return info, nil
	}
	key, err := parsePlain(block.Type, block.Bytes)
	if err != nil {
		return KeyInfo{}, err
	}
	info := describeKey(key)
	info.Format = plainFormats[block.Type]
	return info, nil
}

var plainFormats = map[string]string{"PRIVATE KEY": "PKCS#8", "RSA PRIVATE KEY": "PKCS#1", "EC PRIVATE KEY": "SEC1"}

func describeKey(key crypto.Signer) KeyInfo {
	pk := DescribePublicKey(key.Public())
	return KeyInfo{Algorithm: pk.Algorithm, Bits: pk.Bits, Curve: pk.Curve}
}

func describePKCS8(der []byte) (KeyInfo, error) {
	info := KeyInfo{Format: "encrypted PKCS#8", Encrypted: true}
	p, err := parsePBES2(der)
	if p == nil {
		return KeyInfo{}, err
	}
	info.Cipher, info.KDF = p.cipherName(), p.kdfName()
	switch {
	case p.kdfOID.Equal(oidPBKDF2):
		info.Iterations, info.SaltLen = p.pbkdf2.Iterations, len(p.pbkdf2.Salt)
	case p.kdfOID.Equal(oidScrypt):
		info.ScryptN, info.ScryptR, info.ScryptP = p.scrypt.N, p.scrypt.R, p.scrypt.P
		info.SaltLen = len(p.scrypt.Salt)
	}
	if err == nil {
		err = p.validate()
	}
	info.Unsupported = errors.Is(err, ErrUnsupportedEncryption)
	return info, err
}

// describeLegacy reports openssl's legacy format: the key type is in the PEM
// type, the key is derived with one round of MD5 (EVP_BytesToKey) and the salt
// is the first 8 bytes of the IV.
func describeLegacy(block *pem.Block) (KeyInfo, error) {
	info := KeyInfo{Format: "legacy encrypted PEM", Encrypted: true, KDF: "EVP_BytesToKey-MD5", Iterations: 1}
	info.Algorithm = map[string]string{"RSA PRIVATE KEY": "RSA", "EC PRIVATE KEY": "ECDSA"}[block.Type]
	name, err := legacyCipher(block)
	info.Cipher = name
	if _, iv, _ := strings.Cut(block.Headers["DEK-Info"], ","); len(iv) >= 16 {
		info.SaltLen = 8
	}
	return info, err
}
