package keys

import "errors"

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

	// Pairing a key with a certificate or public key.
	ErrKeyMismatch = errors.New("the key does not match")

	// Generating keys.
	ErrUnknownAlgorithm = errors.New("unknown key algorithm")
	ErrUnknownCurve     = errors.New("unknown curve")
	ErrWeakKey          = errors.New("key size too small")
)
