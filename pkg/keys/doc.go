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
// It converts keys (MarshalKey: PKCS#8, PKCS#1, SEC1, PEM or DER;
// MarshalPublicKey; CheckKeyPair) and reads and writes PKCS#12 through
// go-pkcs12 (EncodeP12, EncodeTrustStore, DecodeP12), with its profiles pinned
// to named encoders and a file's algorithms and iteration counts walked and
// bounded (DescribeP12) before go-pkcs12, which trusts them, runs.
//
// keys knows nothing of certificates: it must not import pkg/certs, pkg/pki
// or pkg/echo. It may import pkg/safefile. It never prints, prompts or exits;
// an interactive passphrase arrives as a PassphraseFunc.
package keys
