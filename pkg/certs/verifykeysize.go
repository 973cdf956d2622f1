package certs

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"

	"github.com/tlskit/tlskit/pkg/keys"
)

// minRSABits is the smallest RSA key that TLS clients accept in a chain:
// tlskit connect, OpenSSL at Debian's default security level 2, curl,
// Python and browsers refuse smaller ones (Go's own verifier does not).
const minRSABits = 2048

// checkKeySizes returns a problem for each certificate of chain whose RSA
// key is smaller than minRSABits, wrapping keys.ErrWeakKey.
func checkKeySizes(chain []*x509.Certificate) []Problem {
	var probs []Problem
	for _, c := range chain {
		k, ok := c.PublicKey.(*rsa.PublicKey)
		if !ok || k.N.BitLen() >= minRSABits {
			continue
		}
		msg := fmt.Sprintf("the certificate %q has a %d-bit RSA key; TLS clients (tlskit connect, openssl s_client, curl, browsers) refuse keys under %d bits",
			DN(c.RawSubject, c.Subject), k.N.BitLen(), minRSABits)
		probs = append(probs, Problem{Message: msg, Hint: "reissue it for a key of 2048 bits or more (tlskit genkey)",
			Err: fmt.Errorf("%w: %s", keys.ErrWeakKey, msg)})
	}
	return probs
}
