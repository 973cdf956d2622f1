package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"strings"
)

// KeySpec selects the kind of key GenerateKey makes.
type KeySpec struct {
	Algorithm string // "rsa" (default), "ecdsa" or "ed25519"
	Bits      int    // RSA only: 2048 (default), 3072 or 4096
	Curve     string // ECDSA only: "P-256" (default), "P-384" or "P-521"
}

// GenerateKey makes a new private key. Names are case-insensitive. Errors wrap
// ErrUnknownAlgorithm, ErrUnknownCurve, ErrWeakKey or ErrUnsupported.
func GenerateKey(spec KeySpec) (crypto.Signer, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	switch strings.ToLower(spec.Algorithm) {
	case "ecdsa", "ec":
		curve, _ := curveByName(spec.Curve)
		return ecdsa.GenerateKey(curve, rand.Reader)
	case "ed25519":
		_, key, err := ed25519.GenerateKey(rand.Reader)
		return key, err
	}
	return rsa.GenerateKey(rand.Reader, rsaBits(spec.Bits))
}

// Validate reports what is wrong with spec without generating anything, so a
// caller can refuse a bad spec before asking for a passphrase.
func (spec KeySpec) Validate() error {
	switch strings.ToLower(spec.Algorithm) {
	case "", "rsa":
		return checkRSABits(rsaBits(spec.Bits))
	case "ecdsa", "ec":
		if _, ok := curveByName(spec.Curve); !ok {
			return keyErrorf(ErrUnknownCurve, "unknown curve %q (want P-256, P-384 or P-521)", spec.Curve)
		}
		return nil
	case "ed25519":
		return nil
	}
	return keyErrorf(ErrUnknownAlgorithm, "unknown key algorithm %q (want rsa, ecdsa or ed25519)", spec.Algorithm)
}

func rsaBits(bits int) int {
	if bits == 0 {
		return 2048
	}
	return bits
}

func checkRSABits(bits int) error {
	switch {
	case bits < 2048:
		return keyErrorf(ErrWeakKey, "%d-bit RSA keys are too weak (minimum 2048)", bits)
	case bits != 3072 && bits != 4096 && bits != 2048:
		return keyErrorf(ErrUnsupported, "unsupported RSA key size %d (want 2048, 3072 or 4096)", bits)
	}
	return nil
}

// curveByName accepts NIST names with or without the dash, and the names
// openssl uses for the same curves.
func curveByName(name string) (elliptic.Curve, bool) {
	switch strings.ToUpper(name) {
	case "", "P-256", "P256", "PRIME256V1", "SECP256R1":
		return elliptic.P256(), true
	case "P-384", "P384", "SECP384R1":
		return elliptic.P384(), true
	case "P-521", "P521", "SECP521R1":
		return elliptic.P521(), true
	}
	return nil, false
}
