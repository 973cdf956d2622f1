package keys

import (
	"crypto"
	"crypto/x509"
	"errors"
	"strings"

	"github.com/tlskit/tlskit/pkg/safefile"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// PKCS#12 profiles, each pinned to one go-pkcs12 encoder by name rather than
// its Modern and Legacy aliases, which move when its authors change their
// minds: a file tlskit writes today must be readable by the same consumers
// tomorrow.
const (
	// P12Modern is go-pkcs12's Modern2023: PBES2 with AES-256-CBC and
	// PBKDF2-HMAC-SHA-256, HMAC-SHA-256 MAC. openssl 1.1.1 and 3 (without
	// -legacy), Java 12 and later read it; Modern2026 (PBMAC1) needs
	// openssl 3.4 and Java 26, which is why it is not the default.
	P12Modern = "modern"
	// P12Legacy is LegacyDES: 3DES with the PKCS#12 SHA-1 KDF, HMAC-SHA-1
	// MAC, for macOS Keychain, older Windows and Java 8.
	P12Legacy = "legacy"
	// P12Passwordless is Passwordless: no encryption and no MAC.
	P12Passwordless = "passwordless"
)

func p12Encoder(profile string) (*pkcs12.Encoder, error) {
	switch profile {
	case P12Modern:
		return pkcs12.Modern2023, nil
	case P12Legacy:
		return pkcs12.LegacyDES, nil
	case P12Passwordless:
		return pkcs12.Passwordless, nil
	}
	return nil, keyErrorf(ErrUnsupported, "unknown PKCS#12 profile %q (want modern, legacy or passwordless)", profile)
}

// EncodeP12 writes key, its certificate leaf and the CA certificates chain as
// a PKCS#12 file of profile, protected by password. The passwordless profile
// takes a nil password; the others a password that passes
// CheckNewPassphrase. key must be leaf's key (ErrKeyMismatch otherwise).
func EncodeP12(key crypto.Signer, leaf *x509.Certificate, chain []*x509.Certificate, password []byte, profile string) ([]byte, error) {
	enc, err := p12Encoder(profile)
	if err == nil {
		err = checkP12Password(password, profile)
	}
	if err == nil {
		err = CheckKeyPair(key, leaf.PublicKey, "the certificate")
	}
	if err != nil {
		return nil, err
	}
	data, err := enc.Encode(key, leaf, chain, string(password))
	if err != nil {
		return nil, keyErrorf(ErrUnsupported, "cannot encode %s as PKCS#12: %v", keyName(key), err)
	}
	return data, nil
}

// EncodeTrustStore writes cas as a Java truststore: a PKCS#12 file holding
// only certificates, each marked as a trust anchor for any purpose, named by
// its subject. profile and password are as for EncodeP12.
func EncodeTrustStore(cas []*x509.Certificate, password []byte, profile string) ([]byte, error) {
	enc, err := p12Encoder(profile)
	if err == nil {
		err = checkP12Password(password, profile)
	}
	if err != nil {
		return nil, err
	}
	if len(cas) == 0 {
		return nil, keyErrorf(ErrUnsupported, "a truststore needs at least one certificate")
	}
	data, err := enc.EncodeTrustStore(cas, string(password))
	if err != nil {
		return nil, keyErrorf(ErrUnsupported, "cannot encode the truststore: %v", err)
	}
	return data, nil
}

func checkP12Password(password []byte, profile string) error {
	if profile == P12Passwordless {
		if password != nil {
			return keyErrorf(ErrUnsupported, "a passwordless PKCS#12 file takes no password")
		}
		return nil
	}
	return CheckNewPassphrase(password)
}

// P12Contents is what a PKCS#12 file holds: a key, its certificate and the
// rest of the chain, or, for a truststore, only CA certificates.
type P12Contents struct {
	Key        crypto.Signer
	Leaf       *x509.Certificate
	Chain      []*x509.Certificate
	TrustStore []*x509.Certificate
}

// DecodeP12 reads a PKCS#12 file: a key with its certificates, or a Java
// truststore. Its structure is first walked and bounded (DescribeP12), so a
// hostile iteration count is refused before any key derivation; the password
// is asked only when the file has a MAC. Errors wrap ErrWrongPassphrase,
// ErrMalformed, ErrUnsupported, ErrUnsafeParams or ErrNoPassphrase, or are
// the error password returned.
func DecodeP12(data []byte, password PassphraseFunc) (*P12Contents, error) {
	info, err := DescribeP12(data)
	if err != nil {
		return nil, err
	}
	pass, err := p12Password(info, password)
	if err != nil {
		return nil, err
	}
	// A truststore's certificates may all be in an encrypted safe: with no
	// key in sight, try it as one first.
	if info.KeyBags == 0 {
		if cas, err := pkcs12.DecodeTrustStore(data, pass); err == nil {
			return &P12Contents{TrustStore: cas}, nil
		}
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, pass)
	if err != nil {
		return nil, p12Error(err)
	}
	signer, err := asSigner(key)
	if err != nil {
		return nil, err
	}
	return keyFirst(&P12Contents{Key: signer, Leaf: leaf, Chain: chain})
}

// keyFirst makes the key's certificate the leaf: go-pkcs12 takes the first
// certificate for it, but PKCS#12 does not order its bags.
func keyFirst(c *P12Contents) (*P12Contents, error) {
	all := append([]*x509.Certificate{c.Leaf}, c.Chain...)
	for i, cert := range all {
		if PublicKeysEqual(c.Key.Public(), cert.PublicKey) {
			c.Leaf, c.Chain = cert, append(all[:i:i], all[i+1:]...)
			return c, nil
		}
	}
	return nil, keyErrorf(ErrKeyMismatch, "the PKCS#12 file holds a %s key that matches none of its certificates", keyName(c.Key))
}

func p12Password(info P12Info, password PassphraseFunc) (string, error) {
	if info.MAC == "" {
		return "", nil
	}
	p, err := askPassphrase(password)
	return string(p), err
}

// p12Error maps go-pkcs12's errors onto this package's sentinels.
func p12Error(err error) error {
	var notImpl pkcs12.NotImplementedError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return keyErrorf(ErrWrongPassphrase, "wrong password")
	case strings.Contains(err.Error(), "private key missing"):
		return keyErrorf(ErrUnsupported, "the PKCS#12 file holds no private key, and its certificates are not marked as trusted (not a truststore)")
	case errors.As(err, &notImpl):
		return keyErrorf(ErrUnsupported, "unsupported PKCS#12 file: %s", string(notImpl))
	}
	return keyErrorf(ErrMalformed, "malformed PKCS#12 file: %v", err)
}

// ReadP12File reads and decodes a PKCS#12 file (see DecodeP12); errors name
// the file.
func ReadP12File(path string, password PassphraseFunc) (*P12Contents, error) {
	data, err := safefile.ReadFile(path, MaxP12File, "a PKCS#12 file")
	if err != nil {
		return nil, err
	}
	c, err := DecodeP12(data, password)
	if err != nil {
		return nil, fileError(path, err)
	}
	return c, nil
}
