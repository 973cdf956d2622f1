package certs

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// dateFormat is how tlskit shows certificate dates to people.
const dateFormat = "2006-01-02 15:04 UTC"

// ExplainVerifyError turns an x509 verification error into a one-line
// diagnosis and an optional hint: the names a certificate is valid for versus
// the name asked, the unknown issuer, or the validity dates. It looks through
// wrapping (such as *tls.CertificateVerificationError) and falls back to
// err.Error() for errors it has nothing to add to.
func ExplainVerifyError(err error) (msg, hint string) {
	if err == nil {
		return "", ""
	}
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invalidErr x509.CertificateInvalidError
	switch {
	case errors.As(err, &hostErr) && hostErr.Certificate != nil:
		return explainHostname(hostErr)
	case errors.As(err, &authErr) && authErr.Cert != nil:
		return explainUnknownAuthority(authErr)
	case errors.As(err, &invalidErr) && invalidErr.Cert != nil:
		if msg, hint := explainInvalid(invalidErr); msg != "" {
			return msg, hint
		}
	}
	return err.Error(), ""
}

func explainHostname(e x509.HostnameError) (string, string) {
	names := certNames(e.Certificate)
	if len(names) == 0 {
		return fmt.Sprintf("the certificate has no subject alternative names (it relies on the legacy Common Name field), so it is not valid for %s", e.Host),
			"reissue the certificate with the host name as a subject alternative name"
	}
	return fmt.Sprintf("the certificate is valid for %s, not %s", listFew(names), e.Host),
		"use --servername NAME with one of those names"
}

// certNames lists the DNS names and IP addresses a certificate is valid for.
func certNames(c *x509.Certificate) []string {
	names := slices.Clone(c.DNSNames)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

func explainUnknownAuthority(e x509.UnknownAuthorityError) (string, string) {
	c := e.Cert
	msg := fmt.Sprintf("certificate signed by an unknown authority (issuer: %s)", DN(c.RawIssuer, c.Issuer))
	// Go keeps why a trusted certificate with the issuer's name was
	// rejected only in the error text.
	switch goMsg := e.Error(); {
	case strings.Contains(goMsg, "insecure algorithm"):
		return explainInsecureSignature(c)
	case strings.Contains(goMsg, "parent certificate cannot sign"):
		return msg + ": the trusted certificate with that name is not a CA, so it cannot sign other certificates",
			"pass --ca FILE with the CA certificate that issued it"
	case strings.Contains(goMsg, "verification failure") || strings.Contains(goMsg, "verification error"):
		return msg + ": a trusted certificate has that name but a different key",
			"the --ca file holds another CA with the same name (was the CA created again?)"
	case string(c.RawIssuer) == string(c.RawSubject):
		return msg, "the certificate is self-signed: pass --ca FILE with the certificate itself to trust it"
	}
	return msg, "pass --ca FILE with the issuing CA certificate"
}

// explainInsecureSignature is for a certificate whose issuer is trusted but
// whose signature uses an algorithm Go refuses (SHA-1, MD5): Go reports it as
// an unknown authority, with the reason only in the error text.
func explainInsecureSignature(c *x509.Certificate) (string, string) {
	return fmt.Sprintf("certificate %q is signed with %s, an insecure algorithm that tlskit refuses (issuer: %s)",
			DN(c.RawSubject, c.Subject), c.SignatureAlgorithm, DN(c.RawIssuer, c.Issuer)),
		"reissue the certificate with a SHA-256 signature (as tlskit sign does)"
}

// explainInvalid covers the reasons worth more than Go's message; it
// returns "" for the others.
func explainInvalid(e x509.CertificateInvalidError) (string, string) {
	c := e.Cert
	switch e.Reason {
	case x509.Expired:
		validity := fmt.Sprintf("valid from %s to %s",
			c.NotBefore.UTC().Format(dateFormat), c.NotAfter.UTC().Format(dateFormat))
		// Go uses Expired for both ends of the validity period; its detail
		// says "current time ... is before" when the certificate is too new.
		if strings.Contains(e.Detail, "is before") {
			return "certificate is not yet valid: " + validity, "check the system clock on both ends"
		}
		return fmt.Sprintf("certificate expired on %s (%s)", c.NotAfter.UTC().Format(dateFormat), validity),
			"renew the certificate"
	case x509.NotAuthorizedToSign:
		return fmt.Sprintf("certificate %q is not a CA (no CA:TRUE or no certificate signing key usage), so it cannot sign other certificates",
			DN(c.RawSubject, c.Subject)), ""
	case x509.IncompatibleUsage:
		return explainUsage(c), ""
	case x509.CANotAuthorizedForThisName:
		return explainConstraints(e), "issue the certificate from a CA whose name constraints allow the name, or drop the name"
	case x509.TooManyIntermediates:
		return fmt.Sprintf("the chain is too long for the path length constraint of CA %q (path length %d)",
			DN(c.RawSubject, c.Subject), c.MaxPathLen), "make the upper CA with a larger --pathlen"
	}
	return "", ""
}

// explainConstraints says which name of which certificate a CA above it
// may not vouch for. crypto/x509 reports the certificate, not the CA:
// WithConstraints adds the CAs' constraints when the chain is known.
func explainConstraints(e x509.CertificateInvalidError) string {
	return fmt.Sprintf("a CA in the chain is not allowed to issue %q: %s", DN(e.Cert.RawSubject, e.Cert.Subject), e.Detail)
}

// WithConstraints appends to msg the name constraints of the CAs in chain
// that have some, for a diagnosis of a name-constraint failure.
func WithConstraints(msg string, chain []*x509.Certificate) string {
	var parts []string
	for _, c := range chain {
		nc := ConstraintsOf(c)
		if nc.Empty() {
			continue
		}
		var have []string
		if p := nc.Permitted.Strings(); len(p) > 0 {
			have = append(have, "permitted "+strings.Join(p, ", "))
		}
		if x := nc.Excluded.Strings(); len(x) > 0 {
			have = append(have, "excluded "+strings.Join(x, ", "))
		}
		parts = append(parts, fmt.Sprintf("%q: %s", DN(c.RawSubject, c.Subject), strings.Join(have, "; ")))
	}
	if len(parts) == 0 {
		return msg
	}
	return msg + " (name constraints of " + strings.Join(parts, "; of ") + ")"
}

// explainUsage says which purposes the certificate's extended key usage
// allows; Go's error does not say which purpose was asked for.
func explainUsage(c *x509.Certificate) string {
	hasServer := slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
	hasClient := slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageClientAuth)
	switch {
	case hasClient && !hasServer:
		return "certificate is not valid for server authentication (extended key usage: client authentication only)"
	case hasServer && !hasClient:
		return "certificate is not valid for client authentication (extended key usage: server authentication only)"
	}
	return "certificate is not valid for this purpose (extended key usage)"
}
