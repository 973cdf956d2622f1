package main

import (
	"crypto/x509"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/echo"
)

// printSummary writes the session summary for people, on stderr.
func printSummary(w io.Writer, s echo.Summary) {
	fmt.Fprintf(w, "tlskit: connected to %s (server name %s)\n", s.Address, s.ServerName)
	fmt.Fprintf(w, "  protocol: %s, %s, group %s\n", s.Version, s.CipherSuite, orNone(s.Group))
	fmt.Fprintf(w, "  alpn:     %s\n", orNone(s.ALPN))
	fmt.Fprintf(w, "  verified: %s\n", s.Verification)
	for i, c := range s.Chain {
		fmt.Fprintf(w, "  %d subject: %s\n", i, c.Subject)
		if names := sanList(c); names != "" {
			fmt.Fprintf(w, "    names:   %s\n", names)
		}
		fmt.Fprintf(w, "    issuer:  %s\n", c.Issuer)
		fmt.Fprintf(w, "    valid:   %s to %s\n", c.NotBefore.Format(time.DateTime), c.NotAfter.Format(time.DateTime+" MST"))
	}
}

func sanList(c echo.CertSummary) string {
	names := certs.Names{DNS: c.DNSNames, IP: c.IPs, Email: c.Emails, URI: c.URIs}
	return strings.Join(names.Prefixed(), ", ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// useDN writes the chain's names in tlskit's one notation (certs.DN): pkg/echo,
// which imports no tlskit package, gives Go's pkix.Name form.
func useDN(chain []echo.CertSummary, certsSent []*x509.Certificate) {
	for i := range chain {
		if i < len(certsSent) {
			chain[i].Subject = certs.DN(certsSent[i].RawSubject, certsSent[i].Subject)
			chain[i].Issuer = certs.DN(certsSent[i].RawIssuer, certsSent[i].Issuer)
		}
	}
}
