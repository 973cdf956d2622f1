package certs

import (
	"crypto"
	"io"
	"os"
)

// KeySpec selects the kind of key GenerateKey makes.
type KeySpec struct {
	Algorithm string // "rsa" (default), "ecdsa" or "ed25519"
	Bits      int    // RSA only: 2048 (default), 3072 or 4096
	Curve     string // ECDSA only: "P-256" (default), "P-384" or "P-521"
}

// GenerateKey makes a new private key. Errors wrap ErrUnknownAlgorithm,
// ErrUnknownCurve or ErrWeakKey.
func GenerateKey(spec KeySpec) (crypto.Signer, error) { return nil, errNotImplemented }

// DefaultIterations is the PBKDF2 iteration count for new keys (OWASP's figure
// for PBKDF2-HMAC-SHA256).
const DefaultIterations = 600000

// Encryption says how MarshalKeyPEM encrypts a key.
type Encryption struct {
	KDF        string // "pbkdf2" (default) or "scrypt"
	Iterations int    // PBKDF2 only; 0 means DefaultIterations
}

// MarshalKeyPEM encodes key as PKCS#8 PEM. With a nil passphrase the key is
// not encrypted ("PRIVATE KEY"); otherwise it is PBES2 with AES-256-CBC
// ("ENCRYPTED PRIVATE KEY"), readable by openssl.
func MarshalKeyPEM(key crypto.Signer, passphrase []byte, enc Encryption) ([]byte, error) {
	return nil, errNotImplemented
}

// PassphraseFunc supplies a passphrase when one is needed. Readers call it only
// for encrypted keys, at most once.
type PassphraseFunc func() ([]byte, error)

// ParseKeyPEM decodes a private key in any supported format: encrypted PKCS#8
// (PBES2 with PBKDF2 or scrypt), legacy encrypted PEM (Proc-Type/DEK-Info),
// plain PKCS#8, PKCS#1 and SEC1. passphrase may be nil for plain keys.
func ParseKeyPEM(data []byte, passphrase PassphraseFunc) (crypto.Signer, error) {
	return nil, errNotImplemented
}

// ReadKeyOptions controls ReadKeyFile.
type ReadKeyOptions struct {
	Passphrase         PassphraseFunc
	AllowInsecurePerms bool // accept a key file that group or others can read
}

// ReadKeyFile reads and decodes a private key file. Errors name the file.
func ReadKeyFile(path string, opts ReadKeyOptions) (crypto.Signer, error) {
	return nil, errNotImplemented
}

// KeyInfo describes a private key file without decrypting it.
type KeyInfo struct {
	Format     string // "PKCS#8", "encrypted PKCS#8", "PKCS#1", "SEC1", "legacy encrypted PEM"
	Encrypted  bool
	Algorithm  string // "RSA", "ECDSA", "Ed25519"; empty when encrypted
	Bits       int    // RSA modulus size or curve size; 0 when unknown
	Curve      string
	Cipher     string // e.g. "AES-256-CBC"
	KDF        string // "PBKDF2-HMAC-SHA256", "scrypt", ...
	Iterations int
	ScryptN    int
	ScryptR    int
	ScryptP    int
	SaltLen    int
}

// DescribeKeyPEM reports the type and protection of a key without a passphrase.
func DescribeKeyPEM(data []byte) (KeyInfo, error) { return KeyInfo{}, errNotImplemented }

// PassphraseSource parses an openssl-style passphrase source: pass:TEXT,
// env:VAR, file:PATH, fd:N or stdin. The returned func reads the source once
// and caches the result. Errors wrap ErrBadPassSource.
func PassphraseSource(spec string, stdin io.Reader) (PassphraseFunc, error) {
	return nil, errNotImplemented
}

// CheckNewPassphrase rejects passphrases too short for a new key (ErrShortPassphrase).
func CheckNewPassphrase(p []byte) error { return errNotImplemented }

// WriteFileAtomic writes data to path with mode perm (whatever the umask): a
// temp file in the same directory, fsync, then linked into place. Without
// overwrite an existing path is left alone and the error wraps ErrExists. A
// failed write leaves neither path nor a temp file behind.
func WriteFileAtomic(path string, data []byte, perm os.FileMode, overwrite bool) error {
	return errNotImplemented
}

// KeyFileMode is the mode of every private key file tlskit writes.
const KeyFileMode os.FileMode = 0o400
