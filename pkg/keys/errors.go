package keys

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers branch on them with errors.Is; every error returned
// by this package wraps one of them (or an *os.PathError or a safefile error)
// and names the file or value it is about.
var (
	// Reading and decrypting keys.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	ErrNoPassphrase    = errors.New("the key is encrypted and no passphrase was given")
	ErrShortPassphrase = errors.New("passphrase too short")
	ErrNotPrivateKey   = errors.New("not a private key")
	ErrNoPEM           = errors.New("no PEM data found")
	ErrMalformed       = errors.New("malformed or corrupted data")
	ErrUnsupported     = errors.New("unsupported format or algorithm")
	ErrUnsafeParams    = errors.New("unsafe encryption parameters")
	ErrInsecurePerms   = errors.New("private key file is readable by group or others")
	ErrBadPassSource   = errors.New("bad passphrase source")

	// ErrUnusableKey: a key tlskit recognises (Ed448, X25519, secp256k1,
	// P-224, RSA-PSS, ...) but cannot use for TLS. It wraps ErrUnsupported.
	ErrUnusableKey = fmt.Errorf("%w: a key tlskit cannot use for TLS", ErrUnsupported)
	// ErrUnsupportedEncryption: a key encrypted with a scheme tlskit cannot
	// decrypt (PKCS#12 PBE, PBES1, Camellia, ...); openssl can convert it to
	// PBES2 with AES. It wraps ErrUnsupported.
	ErrUnsupportedEncryption = fmt.Errorf("%w: a key encryption tlskit cannot decrypt", ErrUnsupported)

	// Pairing a key with a certificate or public key.
	ErrKeyMismatch = errors.New("the key does not match")

	// Generating keys.
	ErrUnknownAlgorithm = errors.New("unknown key algorithm")
	ErrUnknownCurve     = errors.New("unknown curve")
	ErrWeakKey          = errors.New("key size too small")
)
