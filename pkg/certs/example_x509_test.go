package certs_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/tlskit/tlskit/pkg/certs"
)

func ExampleParseSubject() {
	subject, err := certs.ParseSubject(`/C=US/O=Acme, Inc./CN=www.example.com+OU=Web/O=R\/D`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(subject), "RDNs; the third holds", len(subject[2]), "values")
	fmt.Println("CN:", certs.CommonName(subject))

	_, err = certs.ParseSubject("/C=USA/CN=x")
	fmt.Println(errors.Is(err, certs.ErrInvalidSubject), err)
	// Output:
	// 4 RDNs; the third holds 2 values
	// CN: www.example.com
	// true invalid subject "/C=USA/CN=x": country "USA" is not a 2-letter code such as US
}

func ExampleSelfSign() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		fmt.Println(err)
		return
	}
	subject := certs.SubjectFields{Organization: "Acme", CommonName: "localhost"}.RDNs()
	sans, err := certs.ParseSANs([]string{"localhost,127.0.0.1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	csrDER, err := certs.CreateCSR(key, subject, sans)
	if err != nil {
		fmt.Println(err)
		return
	}
	csr, err := certs.ParseCSRPEM(certs.EncodePEM("CERTIFICATE REQUEST", csrDER))
	if err != nil {
		fmt.Println(err)
		return
	}
	certDER, err := certs.SelfSign(csr, key, certs.LeafOptions{Days: 365})
	if err != nil {
		fmt.Println(err)
		return
	}
	cert, _ := x509.ParseCertificate(certDER)
	fmt.Println("version", cert.Version, "CA", cert.IsCA, cert.DNSNames, cert.IPAddresses)

	roots := x509.NewCertPool()
	roots.AddCert(cert)
	_, err = cert.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: roots})
	msg, hint := certs.ExplainVerifyError(err)
	fmt.Println(msg)
	fmt.Println(hint)
	// Output:
	// version 3 CA false [localhost] [127.0.0.1]
	// the certificate is valid for localhost, 127.0.0.1, not example.com
	// use --servername NAME with one of those names
}

func ExampleParseSANs() {
	sans, err := certs.ParseSANs([]string{"www.example.com,example.com", "IP:192.0.2.1", "admin@example.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sans.DNSNames, sans.IPs, sans.Emails)
	_, err = certs.ParseSANs([]string{"DNS:exa mple.com"})
	fmt.Println(err)
	// Output:
	// [www.example.com example.com] [192.0.2.1] [admin@example.com]
	// invalid subject alternative name: DNS:exa mple.com: contains a space
}
