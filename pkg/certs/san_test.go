package certs

import (
	"strings"
	"testing"

	"github.com/tlskit/tlskit/internal/testkit"
)

// sanString renders SANs as openssl prints them, in a fixed type order.
func sanString(s SANs) string { return strings.Join(s.Strings(), ",") }

func TestParseSANs(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"DNS:example.com"}, "DNS:example.com"},
		{[]string{"dns:example.com", "ip:10.0.0.1", "EMAIL:a@example.com", "uri:https://example.com/x"},
			"DNS:example.com,IP:10.0.0.1,email:a@example.com,URI:https://example.com/x"},
		{[]string{"localhost,127.0.0.1,::1"}, "DNS:localhost,IP:127.0.0.1,IP:::1"},
		{[]string{"a.example.com, b.example.com"}, "DNS:a.example.com,DNS:b.example.com"},
		{[]string{"me@example.com"}, "email:me@example.com"},
		{[]string{"spiffe://example.org/ns/default/sa/web"}, "URI:spiffe://example.org/ns/default/sa/web"},
		{[]string{"URI:https://[2001:db8::1]:8443/x", "spiffe://trust_domain/w"},
			"URI:https://[2001:db8::1]:8443/x,URI:spiffe://trust_domain/w"},
		{[]string{"*.example.com"}, "DNS:*.example.com"},
		{[]string{"IP:2001:db8::1"}, "IP:2001:db8::1"},
		{[]string{"xn--bcher-kva.example"}, "DNS:xn--bcher-kva.example"},
		{[]string{"a-b.c1"}, "DNS:a-b.c1"},
		{[]string{strings.Repeat("a", 63) + ".com"}, "DNS:" + strings.Repeat("a", 63) + ".com"},
		// Duplicates go, whatever the spelling.
		{[]string{"example.com", "DNS:Example.COM", "127.0.0.1", "IP:127.0.0.1", "::ffff:127.0.0.1"},
			"DNS:example.com,IP:127.0.0.1"},
		{[]string{"a@Example.com,email:a@example.com"}, "email:a@Example.com"},
	}
	for _, tt := range tests {
		got, err := ParseSANs(tt.in)
		if err != nil {
			t.Errorf("ParseSANs(%q): %v", tt.in, err)
			continue
		}
		if s := sanString(got); s != tt.want {
			t.Errorf("ParseSANs(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
}

func TestParseSANsErrors(t *testing.T) {
	long := strings.Repeat("a", 60)
	tests := []struct {
		in, why string
	}{
		{"DNS:exa mple.com", "DNS:exa mple.com: contains a space"},
		{"", "empty name"},
		{"a.com,,b.com", "empty name"},
		{"DNS:", "empty value after the DNS: prefix"},
		{"IP:", "empty value after the IP: prefix"},
		{"IP:300.1.1.1", "IP:300.1.1.1: not an IP address"},
		{"300.1.1.1", "300.1.1.1: not an IP address"},
		{"IP:example.com", "not an IP address"},
		{"IP:fe80::1%eth0", "not an IP address"},
		{"-bad.com", `label "-bad" starts or ends with a hyphen`},
		{"bad-.com", `label "bad-" starts or ends with a hyphen`},
		{"a..com", "empty label"},
		{"example.com.", "empty label"},
		{".example.com", "empty label"},
		{strings.Repeat("a", 64) + ".com", "longer than 63 characters"},
		{strings.Join([]string{long, long, long, long, long}, "."), "longer than 253 characters"},
		{"under_score.com", `contains '_'`},
		{"1.2.3", "1.2.3: ends in the number 3: neither a host name nor an IP address"},
		{"DNS:010.1.1.1", "DNS:010.1.1.1: ends in the number 1"},
		{"DNS:123", "ends in the number 123"},
		{"host:8443", `contains ':'`},
		{"*", "'*' is only allowed as the whole first label"},
		{"*.*.example.com", "'*' is only allowed"},
		{"w*.example.com", "'*' is only allowed"},
		{"a.*.example.com", "'*' is only allowed"},
		{"bücher.example", "non-ASCII"},
		{"a@b@c.com", "exactly one '@'"},
		{"email:nobody", "exactly one '@'"},
		{"@example.com", "empty user part"},
		{"email:Bob <bob@example.com>", "without spaces, quotes or display name"},
		{"email:bob@exa_mple.com", `domain "exa_mple.com"`},
		{"email:zoë@example.com", "must be ASCII"},
		{"URI:example.com/path", "must be absolute, with a scheme and a host"},
		{"URI:urn:isbn:123", "must be absolute"},
		{"https://exa mple.com", "without spaces"},
		{"URI:http://[::1", "not a valid URI"},
		{"A://.", `URI host "." has an empty label`},
		{"https://example.com.:443/", `URI host "example.com." has an empty label`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseSANs([]string{"ok.example.com", tt.in})
			testkit.CheckErr(t, err, ErrInvalidSAN, tt.why)
		})
	}
}
