package certs

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
)

func names(dns []string, ips []net.IP, emails []string, uris []*url.URL) Names {
	n := Names{DNS: dns, Email: emails}
	for _, ip := range ips {
		n.IP = append(n.IP, ip.String())
	}
	for _, u := range uris {
		n.URI = append(n.URI, u.String())
	}
	return n
}

// keyUsageBits lists key usages in RFC 5280 bit order with their RFC names.
var keyUsageBits = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"},
	{x509.KeyUsageContentCommitment, "contentCommitment"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
	{x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"},
	{x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"},
	{x509.KeyUsageEncipherOnly, "encipherOnly"},
	{x509.KeyUsageDecipherOnly, "decipherOnly"},
}

func keyUsageNames(ku x509.KeyUsage) []string {
	out := []string{}
	for _, b := range keyUsageBits {
		if ku&b.bit != 0 {
			out = append(out, b.name)
		}
	}
	return out
}

var extKeyUsageName = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:             "any",
	x509.ExtKeyUsageServerAuth:      "serverAuth",
	x509.ExtKeyUsageClientAuth:      "clientAuth",
	x509.ExtKeyUsageCodeSigning:     "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection",
	x509.ExtKeyUsageTimeStamping:    "timeStamping",
	x509.ExtKeyUsageOCSPSigning:     "OCSPSigning",
}

// ExtKeyUsageName returns the short name of an extended key usage, such as
// "serverAuth".
func ExtKeyUsageName(u x509.ExtKeyUsage) string {
	if n, ok := extKeyUsageName[u]; ok {
		return n
	}
	return fmt.Sprintf("usage %d", int(u))
}

func extKeyUsageNames(ekus []x509.ExtKeyUsage, unknown int) []string {
	out := []string{}
	for _, u := range ekus {
		out = append(out, ExtKeyUsageName(u))
	}
	for i := 0; i < unknown; i++ {
		out = append(out, "unknown")
	}
	return out
}
