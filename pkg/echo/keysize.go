package echo

import (
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"fmt"
)

// MinRSABits is the smallest RSA key tlskit's client accepts in a server's
// chain. Go's TLS client accepts 1024-bit keys; OpenSSL at Debian's default
// security level 2, curl and Python refuse them (112-bit security).
const MinRSABits = 2048

// checkKeySizes is tls.Config.VerifyConnection: it refuses a verified chain
// with an RSA key below MinRSABits.
func checkKeySizes(cs tls.ConnectionState) error {
	chain := cs.PeerCertificates
	if len(cs.VerifiedChains) > 0 {
		chain = cs.VerifiedChains[0]
	}
	for _, c := range chain {
		if err := checkKeySize(c); err != nil {
			return err
		}
	}
	return nil
}

func checkKeySize(c *x509.Certificate) error {
	k, ok := c.PublicKey.(*rsa.PublicKey)
	if !ok || k.N.BitLen() >= MinRSABits {
		return nil
	}
	return fmt.Errorf("%w: the certificate %s has a %d-bit RSA key; tlskit accepts %d bits or more",
		ErrWeakKey, c.Subject.String(), k.N.BitLen(), MinRSABits)
}
