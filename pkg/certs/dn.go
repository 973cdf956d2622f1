package certs

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
)

// tlskit prints a distinguished name one way everywhere (csr, selfsign,
// ca init, sign, inspect, verify, connect, JSON): RFC 4514, the most specific
// attribute first, as Go, Java and openssl -nameopt RFC2253 print it:
// "CN=www.example.com,OU=Web+OU=Ops,O=Acme\, Inc.,C=US". Attributes keep the
// order and grouping of the certificate (read from its DER, not from
// pkix.Name, which regroups them), and have openssl's short names
// (emailAddress, not Go's dotted OID). openssl's /C=US/CN=x syntax is only
// for --subj and the commands --explain prints.

// DNAttribute is one attribute of a distinguished name, for JSON.
type DNAttribute struct {
	Type  string `json:"type"` // short name (CN, O, emailAddress) or dotted OID
	OID   string `json:"oid"`
	Value string `json:"value"`
}

// ParseDN reads a DER name (a certificate's RawSubject or RawIssuer); when it
// cannot, it falls back to parsed, as crypto/x509 read it.
func ParseDN(raw []byte, parsed pkix.Name) pkix.RDNSequence {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &rdns); err != nil || len(rest) > 0 {
		return parsed.ToRDNSequence()
	}
	return rdns
}

// FormatDN writes rdns in tlskit's notation (see above).
func FormatDN(rdns pkix.RDNSequence) string {
	parts := make([]string, 0, len(rdns))
	for i := len(rdns) - 1; i >= 0; i-- {
		atvs := make([]string, 0, len(rdns[i]))
		for _, atv := range rdns[i] {
			atvs = append(atvs, formatATV(atv))
		}
		parts = append(parts, strings.Join(atvs, "+"))
	}
	return strings.Join(parts, ",")
}

// DN is FormatDN of a DER name.
func DN(raw []byte, parsed pkix.Name) string { return FormatDN(ParseDN(raw, parsed)) }

// formatATV writes TYPE=VALUE with RFC 4514 escaping. Go's RDNSequence
// String does the escaping (and the #hex form of values that are not
// strings); it knows only some type names, hence the CN stand-in.
func formatATV(atv pkix.AttributeTypeAndValue) string {
	a := attributeForOID(atv.Type)
	if _, ok := atv.Value.(string); !ok {
		return pkix.RDNSequence{{atv}}.String()
	}
	escaped := pkix.RDNSequence{{{Type: oidCommonName, Value: atv.Value}}}.String()
	return a.short + "=" + strings.TrimPrefix(escaped, "CN=")
}

// DNAttributes lists rdns's attributes in certificate order (C before CN,
// the reverse of FormatDN), for JSON.
func DNAttributes(rdns pkix.RDNSequence) []DNAttribute {
	out := []DNAttribute{}
	for _, rdn := range rdns {
		for _, atv := range rdn {
			v := strings.TrimPrefix(formatATV(atv), attributeForOID(atv.Type).short+"=")
			if s, ok := atv.Value.(string); ok {
				v = s
			}
			out = append(out, DNAttribute{Type: attributeForOID(atv.Type).short, OID: atv.Type.String(), Value: v})
		}
	}
	return out
}
