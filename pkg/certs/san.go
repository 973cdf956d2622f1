package certs

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
)

// SANs are subject alternative names.
type SANs struct {
	DNSNames []string
	IPs      []net.IP
	Emails   []string
	URIs     []*url.URL
}

// Empty reports whether there are no names at all.
func (s SANs) Empty() bool {
	return len(s.DNSNames)+len(s.IPs)+len(s.Emails)+len(s.URIs) == 0
}

// ParseSANs parses values with DNS:, IP:, email: or URI: prefixes, or bare
// values detected by shape; each value may be a comma-separated list. Errors
// wrap ErrInvalidSAN and say why. Duplicates are dropped (DNS names and
// e-mail domains compare case-insensitively).
func ParseSANs(values []string) (SANs, error) {
	var sans SANs
	seen := map[string]bool{}
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if err := sans.add(item, seen); err != nil {
				return SANs{}, fmt.Errorf("%w: %s: %s", ErrInvalidSAN, item, err.Error())
			}
		}
	}
	return sans, nil
}

// add parses one item and appends it unless seen already holds it.
func (s *SANs) add(item string, seen map[string]bool) error {
	if item == "" {
		return fmt.Errorf("empty name (check for a stray comma)")
	}
	kind, value := splitSANPrefix(item)
	if value == "" {
		return fmt.Errorf("empty value after the %s: prefix", kind)
	}
	return s.appendKind(kind, value, seen)
}

// splitSANPrefix returns the name type ("DNS", "IP", "email", "URI") and the
// value, detecting the type by shape when there is no prefix.
func splitSANPrefix(item string) (kind, value string) {
	for _, k := range []string{"DNS", "IP", "email", "URI"} {
		if len(item) > len(k) && item[len(k)] == ':' && strings.EqualFold(item[:len(k)], k) {
			return k, strings.TrimSpace(item[len(k)+1:])
		}
	}
	switch {
	case net.ParseIP(item) != nil || looksLikeIPv4(item):
		return "IP", item
	case strings.Contains(item, "://"):
		return "URI", item
	case strings.Contains(item, "@"):
		return "email", item
	}
	return "DNS", item
}

// looksLikeIPv4 catches dotted digits such as 300.1.1.1 that would otherwise
// pass as a DNS name.
func looksLikeIPv4(s string) bool {
	return strings.Count(s, ".") == 3 && strings.Trim(s, "0123456789.") == ""
}

func (s *SANs) appendKind(kind, value string, seen map[string]bool) error {
	switch kind {
	case "IP":
		ip, err := parseSANIP(value)
		if err == nil && once(seen, "IP:"+ip.String()) {
			s.IPs = append(s.IPs, ip)
		}
		return err
	case "email":
		err := checkEmail(value)
		if err == nil && once(seen, "email:"+canonicalEmail(value)) {
			s.Emails = append(s.Emails, value)
		}
		return err
	case "URI":
		u, err := parseSANURI(value)
		if err == nil && once(seen, "URI:"+u.String()) {
			s.URIs = append(s.URIs, u)
		}
		return err
	}
	err := checkDNSName(value)
	if err == nil && once(seen, "DNS:"+strings.ToLower(value)) {
		s.DNSNames = append(s.DNSNames, value)
	}
	return err
}

// once reports whether key is new, and records it.
func once(seen map[string]bool, key string) bool {
	if seen[key] {
		return false
	}
	seen[key] = true
	return true
}

func parseSANIP(value string) (net.IP, error) {
	ip := net.ParseIP(value)
	if ip == nil {
		return nil, fmt.Errorf("not an IP address")
	}
	if v4 := ip.To4(); v4 != nil {
		return v4, nil
	}
	return ip, nil
}

func parseSANURI(value string) (*url.URL, error) {
	if !isASCII(value) || strings.ContainsAny(value, " \t") {
		return nil, fmt.Errorf("a URI must be ASCII without spaces (percent-encode other characters)")
	}
	u, err := url.Parse(value)
	if err != nil {
		return nil, fmt.Errorf("not a valid URI")
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("a URI must be absolute, with a scheme and a host (as in spiffe://example.org/service)")
	}
	// crypto/x509 refuses to parse a URI whose host has an empty label.
	if host := u.Hostname(); net.ParseIP(host) == nil && slices.Contains(strings.Split(host, "."), "") {
		return nil, fmt.Errorf("URI host %q has an empty label (leading, trailing or double dot)", host)
	}
	return u, nil
}

func checkEmail(value string) error {
	if !isASCII(value) {
		return fmt.Errorf("an e-mail address must be ASCII")
	}
	if strings.ContainsAny(value, " \t<>\"") {
		return fmt.Errorf("an e-mail address is a bare user@domain, without spaces, quotes or display name")
	}
	local, domain, ok := strings.Cut(value, "@")
	if !ok || strings.Contains(domain, "@") {
		return fmt.Errorf("an e-mail address needs exactly one '@'")
	}
	if local == "" {
		return fmt.Errorf("empty user part before '@'")
	}
	if addr, err := mail.ParseAddress(value); err != nil || addr.Address != value {
		return fmt.Errorf("not a valid e-mail address")
	}
	if err := checkHostname(domain); err != nil {
		return fmt.Errorf("domain %q: %s", domain, err.Error())
	}
	return nil
}

func canonicalEmail(value string) string {
	local, domain, _ := strings.Cut(value, "@")
	return local + "@" + strings.ToLower(domain)
}

// checkDNSName validates a DNS SAN: a hostname, optionally starting with a
// single "*." wildcard label.
func checkDNSName(name string) error {
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		return checkHostname(rest)
	}
	return checkHostname(name)
}

// checkHostname applies RFC 1035 (as relaxed by RFC 1123) to name.
func checkHostname(name string) error {
	if strings.Contains(name, " ") {
		return fmt.Errorf("contains a space")
	}
	if len(name) > 253 {
		return fmt.Errorf("longer than 253 characters")
	}
	labels := strings.Split(name, ".")
	for _, label := range labels {
		if err := checkLabel(label); err != nil {
			return err
		}
	}
	// No top-level domain is all digits (RFC 3696 section 2): such a name is a
	// mistyped IP address (1.2.3, 010.1.1.1), which resolvers read differently.
	if last := labels[len(labels)-1]; strings.Trim(last, "0123456789") == "" {
		return fmt.Errorf("ends in the number %s: neither a host name nor an IP address", last)
	}
	return nil
}

func checkLabel(label string) error {
	switch {
	case label == "":
		return fmt.Errorf("empty label (leading, trailing or double dot)")
	case len(label) > 63:
		return fmt.Errorf("label %q is longer than 63 characters", label)
	case label[0] == '-' || label[len(label)-1] == '-':
		return fmt.Errorf("label %q starts or ends with a hyphen", label)
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c == '*' {
			return fmt.Errorf("'*' is only allowed as the whole first label (*.example.com)")
		}
		if c >= 0x80 {
			return fmt.Errorf("contains non-ASCII characters (use the xn-- punycode form)")
		}
		if !isLetter(c) && !isDigit(c) && c != '-' {
			return fmt.Errorf("contains %q (only letters, digits and hyphens are allowed)", c)
		}
	}
	return nil
}
