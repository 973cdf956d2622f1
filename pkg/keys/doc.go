// Package keys generates, encodes, decodes and decrypts tlskit's private keys.
//
// It writes PKCS#8 encrypted with PBES2 (AES-256-CBC with PBKDF2-HMAC-SHA256
// or scrypt) and reads PKCS#8 (plain or PBES2), PKCS#1, SEC1 and openssl's
// legacy encrypted PEM. The PBES2 parameters of a key are parsed and bounded
// before youmark/pkcs8 sees them, and CBC padding is checked, because that
// library panics or spins on hostile parameters and never checks padding. It
// also describes a key without decrypting it, compares public keys, and reads
// passphrases from the sources users name (pass:, env:, file:, fd:, stdin).
//
// keys knows nothing of certificates: it must not import pkg/certs, pkg/pki
// or pkg/echo. It may import pkg/safefile. It never prints, prompts or exits;
// an interactive passphrase arrives as a PassphraseFunc.
package keys
