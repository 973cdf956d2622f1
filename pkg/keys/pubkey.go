package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
)

// PublicKeyInfo names a public key's algorithm and size.
type PublicKeyInfo struct {
	Algorithm string `json:"algorithm"` // "RSA", "ECDSA", "Ed25519"
	Bits      int    `json:"bits"`
	Curve     string `json:"curve,omitempty"`
	// Unsupported: a key tlskit recognises but cannot use (see DescribeSPKI).
	Unsupported bool `json:"unsupported,omitempty"`
}

// DescribePublicKey reports the algorithm and size of pub, as crypto/x509
// parses it; a type tlskit does not know is named by its Go type.
func DescribePublicKey(pub any) PublicKeyInfo {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return PublicKeyInfo{Algorithm: "RSA", Bits: k.N.BitLen()}
	case *ecdsa.PublicKey:
		return PublicKeyInfo{Algorithm: "ECDSA", Bits: k.Curve.Params().BitSize, Curve: k.Curve.Params().Name}
	case ed25519.PublicKey:
		return PublicKeyInfo{Algorithm: "Ed25519", Bits: 256}
	}
	return PublicKeyInfo{Algorithm: fmt.Sprintf("unknown (%T)", pub)}
}

// PublicKeysEqual reports whether a and b are the same public key.
func PublicKeysEqual(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// String names the key as people write it: "RSA 2048", "ECDSA P-256", "Ed25519".
func (k PublicKeyInfo) String() string {
	switch {
	case k.Curve != "":
		return k.Algorithm + " " + k.Curve
	case k.Algorithm == "RSA" && k.Bits > 0:
		return fmt.Sprintf("RSA %d", k.Bits)
	}
	return k.Algorithm
}

// CheckKeyPair reports whether key is the private half of pub, which belongs
// to what (such as "the certificate"). A mismatch wraps ErrKeyMismatch and
// says how the two differ: in algorithm or size, or only in the key itself.
func CheckKeyPair(key crypto.Signer, pub crypto.PublicKey, what string) error {
	if PublicKeysEqual(key.Public(), pub) {
		return nil
	}
	mine, theirs := DescribePublicKey(key.Public()), DescribePublicKey(pub)
	if mine != theirs {
		return keyErrorf(ErrKeyMismatch, "the key is %s, %s's key is %s", mine, what, theirs)
	}
	return keyErrorf(ErrKeyMismatch, "both are %s keys, but %s holds a different one", mine, what)
}
