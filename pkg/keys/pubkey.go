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

// Name is "RSA", "ECDSA P-256", "Ed448", ...
func (p PublicKeyInfo) Name() string {
	if p.Curve != "" {
		return p.Algorithm + " " + p.Curve
	}
	return p.Algorithm
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
