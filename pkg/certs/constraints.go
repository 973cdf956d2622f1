package certs

import (
	"crypto/x509"
	"fmt"
	"net"
	"strings"
)

// NameConstraints are the subtrees a CA may (Permitted) and may not
// (Excluded) issue for, as RFC 5280 4.2.1.10 defines them. A DNS constraint
// "example.com" covers example.com and every name below it; ".example.com"
// only the names below it. An IP constraint is a network (127.0.0.0/8). An
// e-mail constraint is an address, a host or a ".domain"; a URI constraint is
// a host or a ".domain".
type NameConstraints struct {
	Permitted, Excluded Subtrees
}

// Subtrees is one side of the constraints, by name type.
type Subtrees struct {
	DNS    []string
	IPs    []*net.IPNet
	Emails []string
	URIs   []string
}

func (s Subtrees) empty() bool {
	return len(s.DNS)+len(s.IPs)+len(s.Emails)+len(s.URIs) == 0
}

// Empty reports whether there is no constraint at all.
func (nc NameConstraints) Empty() bool { return nc.Permitted.empty() && nc.Excluded.empty() }

// ParseNameConstraints parses --permit and --exclude values: DNS:name,
// IP:network (a bare address means that address alone), email:value,
// URI:host, or bare values detected by shape; each value may be a
// comma-separated list. Errors wrap ErrInvalidSAN and name the value.
func ParseNameConstraints(permit, exclude []string) (NameConstraints, error) {
	var nc NameConstraints
	for _, side := range []struct {
		values []string
		into   *Subtrees
	}{{permit, &nc.Permitted}, {exclude, &nc.Excluded}} {
		for _, v := range side.values {
			for _, item := range strings.Split(v, ",") {
				if err := side.into.add(strings.TrimSpace(item)); err != nil {
					// Wraps ErrInvalidSAN without its text: a constraint is not a SAN.
					return NameConstraints{}, fmt.Errorf("invalid name constraint %q: %s%.0w", item, err.Error(), ErrInvalidSAN)
				}
			}
		}
	}
	return nc, nil
}

func (s *Subtrees) add(item string) error {
	if item == "" {
		return fmt.Errorf("empty (check for a stray comma)")
	}
	kind, value := splitConstraintPrefix(item)
	if value == "" {
		return fmt.Errorf("empty value after the %s: prefix", kind)
	}
	switch kind {
	case "IP":
		n, err := parseNetwork(value)
		if err == nil {
			s.IPs = append(s.IPs, n)
		}
		return err
	case "email":
		s.Emails = append(s.Emails, value)
		return checkEmailConstraint(value)
	case "URI":
		s.URIs = append(s.URIs, value)
		return checkHostname(strings.TrimPrefix(value, "."))
	}
	s.DNS = append(s.DNS, value)
	return checkHostname(strings.TrimPrefix(value, "."))
}

// splitConstraintPrefix is splitSANPrefix for constraints, where a bare value
// with a "/" is a network.
func splitConstraintPrefix(item string) (kind, value string) {
	if _, _, err := net.ParseCIDR(item); err == nil {
		return "IP", item
	}
	return splitSANPrefix(item)
}

// parseNetwork reads a CIDR network, or an address as a network of one.
func parseNetwork(value string) (*net.IPNet, error) {
	if ip, n, err := net.ParseCIDR(value); err == nil {
		if !ip.Equal(n.IP) {
			return nil, fmt.Errorf("%s has host bits set (did you mean %s?)", value, n)
		}
		return normalizeNet(n), nil
	}
	ip := net.ParseIP(value)
	if ip == nil {
		return nil, fmt.Errorf("not an IP network (as in 127.0.0.0/8 or ::1/128)")
	}
	bits := 128
	if v4 := ip.To4(); v4 != nil {
		ip, bits = v4, 32
	}
	return &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}, nil
}

// normalizeNet stores IPv4 networks in 4 bytes, as crypto/x509 encodes them.
func normalizeNet(n *net.IPNet) *net.IPNet {
	if v4 := n.IP.To4(); v4 != nil && len(n.Mask) == net.IPv4len {
		return &net.IPNet{IP: v4, Mask: n.Mask}
	}
	return n
}

func checkEmailConstraint(value string) error {
	if strings.Contains(value, "@") {
		return checkEmail(value)
	}
	return checkHostname(strings.TrimPrefix(value, "."))
}

// apply writes the constraints into a CA template, marked critical as RFC
// 5280 requires of a CA that issues to others.
func (nc NameConstraints) apply(tmpl *x509.Certificate) {
	if nc.Empty() {
		return
	}
	tmpl.PermittedDNSDomainsCritical = true
	tmpl.PermittedDNSDomains, tmpl.ExcludedDNSDomains = nc.Permitted.DNS, nc.Excluded.DNS
	tmpl.PermittedIPRanges, tmpl.ExcludedIPRanges = nc.Permitted.IPs, nc.Excluded.IPs
	tmpl.PermittedEmailAddresses, tmpl.ExcludedEmailAddresses = nc.Permitted.Emails, nc.Excluded.Emails
	tmpl.PermittedURIDomains, tmpl.ExcludedURIDomains = nc.Permitted.URIs, nc.Excluded.URIs
}

// ConstraintsOf returns the name constraints of a certificate.
func ConstraintsOf(c *x509.Certificate) NameConstraints {
	return NameConstraints{
		Permitted: Subtrees{c.PermittedDNSDomains, c.PermittedIPRanges, c.PermittedEmailAddresses, c.PermittedURIDomains},
		Excluded:  Subtrees{c.ExcludedDNSDomains, c.ExcludedIPRanges, c.ExcludedEmailAddresses, c.ExcludedURIDomains},
	}
}

// Strings lists the subtrees as the flags take them: DNS:test, IP:127.0.0.0/8.
func (s Subtrees) Strings() []string {
	var out []string
	for _, d := range s.DNS {
		out = append(out, "DNS:"+d)
	}
	for _, n := range s.IPs {
		out = append(out, "IP:"+n.String())
	}
	for _, e := range s.Emails {
		out = append(out, "email:"+e)
	}
	for _, u := range s.URIs {
		out = append(out, "URI:"+u)
	}
	return out
}

// HostConstraints are the constraints that let a CA issue for hosts and for
// nothing else: their DNS names (and the names below them) and their
// addresses. IP addresses are always constrained: without an IP in hosts, all
// of IPv4 and IPv6 is excluded, since DNS constraints alone leave a CA free to
// vouch for any address. Likewise, without a DNS name, only the reserved
// .invalid domain is permitted.
func HostConstraints(hosts SANs) NameConstraints {
	var nc NameConstraints
	for _, d := range hosts.DNSNames {
		nc.Permitted.DNS = append(nc.Permitted.DNS, strings.ToLower(strings.TrimPrefix(d, "*.")))
	}
	if len(hosts.DNSNames) == 0 {
		nc.Permitted.DNS = []string{"invalid"}
	}
	for _, ip := range hosts.IPs {
		n, _ := parseNetwork(ip.String())
		nc.Permitted.IPs = append(nc.Permitted.IPs, n)
	}
	if len(hosts.IPs) == 0 {
		nc.Excluded.IPs = []*net.IPNet{
			{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)},
			{IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)},
		}
	}
	return nc
}
