package certs

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
	switch strings.ToLower(spec.Algorithm) {
	case "", "rsa":
		return generateRSA(spec.Bits)
	case "ecdsa", "ec":
		return generateECDSA(spec.Curve)
	case "ed25519":
		_, key, err := ed25519.GenerateKey(rand.Reader)
		return key, err
	}
	return nil, keyErrorf(ErrUnknownAlgorithm, "unknown key algorithm %q (want rsa, ecdsa or ed25519)", spec.Algorithm)
}

func generateRSA(bits int) (crypto.Signer, error) {
	switch {
	case bits == 0:
		bits = 2048
	case bits < 2048:
		return nil, keyErrorf(ErrWeakKey, "%d-bit RSA keys are too weak (minimum 2048)", bits)
	case bits != 3072 && bits != 4096 && bits != 2048:
		return nil, keyErrorf(ErrUnsupported, "unsupported RSA key size %d (want 2048, 3072 or 4096)", bits)
	}
	return rsa.GenerateKey(rand.Reader, bits)
}

func generateECDSA(name string) (crypto.Signer, error) {
	curve, ok := curveByName(name)
	if !ok {
		return nil, keyErrorf(ErrUnknownCurve, "unknown curve %q (want P-256, P-384 or P-521)", name)
	}
	return ecdsa.GenerateKey(curve, rand.Reader)
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
