package pki_test

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/tlskit/tlskit/pkg/pki"
)

// The fixture cases are data: what each server sends, how it speaks TLS and
// what a correct client must conclude. Here crypto/x509 plays the client
// for the cases decided by the certificate chain.
func ExampleMakeCases() {
	set, err := pki.MakeCases(time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	roots := x509.NewCertPool()
	roots.AddCert(set.CA)
	for _, name := range []string{"valid", "intermediate", "expired", "wrong-host", "incomplete-chain"} {
		c, _ := set.Case(name)
		leaf, _ := x509.ParseCertificate(c.Chain[0])
		inter := x509.NewCertPool()
		for _, der := range c.Chain[1:] {
			cert, _ := x509.ParseCertificate(der)
			inter.AddCert(cert)
		}
		_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: "localhost"})
		fmt.Printf("%s: want %s, crypto/x509 accepts: %v\n", c.Name, c.Verdict, err == nil)
	}
	// Output:
	// valid: want accept, crypto/x509 accepts: true
	// intermediate: want accept, crypto/x509 accepts: true
	// expired: want reject, crypto/x509 accepts: false
	// wrong-host: want reject, crypto/x509 accepts: false
	// incomplete-chain: want reject, crypto/x509 accepts: false
}
