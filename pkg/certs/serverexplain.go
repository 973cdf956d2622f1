package certs

import (
	"crypto/x509"
	"errors"
	"strings"
)

// ExplainServerChain explains why the chain a TLS server sent (leaf first)
// did not verify, like ExplainVerifyError, and adds what Go's single error
// leaves out: when the name is wrong, whether the chain is trusted either
// (Go checks the name first and stops there), and when the server sent only
// its leaf, that the missing piece may be its intermediate certificate
// rather than trust (Go reports both as an unknown authority). roots nil
// means the system roots.
func ExplainServerChain(err error, chain []*x509.Certificate, roots *x509.CertPool) (msg string, hints []string) {
	msg, hint := ExplainVerifyError(err)
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invalidErr x509.CertificateInvalidError
	switch {
	case errors.As(err, &hostErr) && len(chain) > 0:
		if trustErr := verifyPoolTrust(chain, roots); trustErr != nil {
			tmsg, thints := ExplainServerChain(trustErr, chain, roots)
			return msg + "; and " + tmsg, append(nonEmpty(hint), thints...)
		}
	case errors.As(err, &authErr) && strings.Contains(authErr.Error(), "insecure algorithm"):
		// The issuer is trusted: the missing-intermediate story does not apply.
	case errors.As(err, &invalidErr) && invalidErr.Reason == x509.CANotAuthorizedForThisName && len(chain) > 1:
		return WithConstraints(msg, chain[1:]), nonEmpty(hint)
	case errors.As(err, &authErr) && len(chain) == 1 && authErr.Cert != nil && !selfIssued(authErr.Cert):
		return msg + ": the server sent only its own certificate, so either it leaves out an intermediate CA certificate or that issuer is not trusted",
			[]string{
				"if you trust " + DN(authErr.Cert.RawIssuer, authErr.Cert.Issuer) + ", pass --ca FILE with its certificate",
				"if it is an intermediate CA, the server must send it after its own certificate (leaf first, then intermediates, in one file)",
			}
	}
	return msg, nonEmpty(hint)
}

// verifyPoolTrust verifies chain[0] up to roots with the rest of chain as
// intermediates, ignoring the name.
func verifyPoolTrust(chain []*x509.Certificate, roots *x509.CertPool) error {
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
	return err
}

func selfIssued(c *x509.Certificate) bool {
	return string(c.RawIssuer) == string(c.RawSubject)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
