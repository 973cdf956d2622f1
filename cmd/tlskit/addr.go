package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// parseAddr checks a HOST:PORT given to connect or serve (as flag, e.g.
// "--addr", or "" for an argument) before any network work. A bare port, as in
// openssl's -accept 4433, means localhost:PORT. Mistakes that have an
// obvious fix (a URL, an IPv6 address without brackets) earn it as a hint.
func parseAddr(s, flag string) (string, error) {
	if s == "" {
		return "", usageError("write the address as HOST:PORT, e.g. localhost:4433", "%s is empty", strings.TrimSpace(flag+" HOST:PORT"))
	}
	if isPort(s) {
		return net.JoinHostPort("localhost", s), nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || strings.Contains(s, "://") || strings.Trim(s, "0123456789") == "" {
		return "", addrError(s, flag)
	}
	what := addrLabel(s, flag)
	if !isPort(port) {
		return "", usageError("the port is a number from 0 to 65535", "%s: %q is not a port", what, port)
	}
	if strings.ContainsAny(host, "/ ") {
		return "", usageError("write the address as HOST:PORT, e.g. localhost:4433", "%s: %q is not a host name", what, host)
	}
	return s, nil
}

// addrLabel names the address in a message: --addr "x" or "x".
func addrLabel(s, flag string) string {
	return strings.TrimSpace(flag + " " + strconv.Quote(s))
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n <= 65535 && s == strconv.Itoa(n)
}

// addrError explains an address net.SplitHostPort refused.
func addrError(s, flag string) error {
	what := addrLabel(s, flag)
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && u.Host != "" {
		return usageError(fmt.Sprintf("give HOST:PORT, not a URL: %s", urlAddr(u)), "%s is a URL, not HOST:PORT", what)
	}
	if strings.Trim(s, "0123456789") == "" {
		return usageError("the port is a number from 0 to 65535", "%s is not a port", what)
	}
	if i := strings.LastIndex(s, ":"); i > 0 && strings.Count(s, ":") > 1 {
		if ip, err := netip.ParseAddr(s[:i]); err == nil && ip.Is6() && isPort(s[i+1:]) {
			return usageError("put an IPv6 address in brackets: "+net.JoinHostPort(s[:i], s[i+1:]),
				"%s is ambiguous: an IPv6 address needs brackets before :PORT", what)
		}
	}
	if s != "" && (!strings.Contains(s, ":") || isIP(s)) {
		return usageError("add the port: "+net.JoinHostPort(s, "4433"), "%s has no port", what)
	}
	return usageError("write the address as HOST:PORT, e.g. localhost:4433", "%s is not HOST:PORT", what)
}

func isIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// urlAddr is the HOST:PORT a URL names (443 for https).
func urlAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80", "ldaps": "636", "imaps": "993", "smtps": "465"}[u.Scheme]
	}
	if port == "" {
		port = "PORT"
	}
	return net.JoinHostPort(u.Hostname(), port)
}
