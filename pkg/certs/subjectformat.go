package certs

import (
	"crypto/x509/pkix"
	"fmt"
	"strings"
)

// FormatSubject writes a subject in the openssl syntax ParseSubject reads:
// "/C=US/O=Acme, Inc./OU=Web+OU=Ops/CN=www.example.com". Values are escaped
// so that ParseSubject(FormatSubject(s)) gives s back.
func FormatSubject(subject pkix.RDNSequence) string {
	var b strings.Builder
	for _, rdn := range subject {
		for i, atv := range rdn {
			sep := "/"
			if i > 0 {
				sep = "+"
			}
			b.WriteString(sep + attributeForOID(atv.Type).short + "=" + escapeSubjectValue(fmt.Sprint(atv.Value)))
		}
	}
	return b.String()
}

var subjectEscaper = strings.NewReplacer(`\`, `\\`, "/", `\/`, "+", `\+`)

func escapeSubjectValue(v string) string { return subjectEscaper.Replace(v) }

// Strings lists the names with openssl's prefixes: "DNS:localhost",
// "IP:127.0.0.1", "email:a@example.com", "URI:spiffe://example.com/x".
func (s SANs) Strings() []string {
	var out []string
	for _, n := range s.DNSNames {
		out = append(out, "DNS:"+n)
	}
	for _, ip := range s.IPs {
		out = append(out, "IP:"+ip.String())
	}
	for _, e := range s.Emails {
		out = append(out, "email:"+e)
	}
	for _, u := range s.URIs {
		out = append(out, "URI:"+u.String())
	}
	return out
}
