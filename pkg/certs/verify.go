package certs

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// VerifyOptions controls VerifyChain.
type VerifyOptions struct {
	Roots []*x509.Certificate // trusted CAs
	// SystemRoots also trusts the system's roots (SSL_CERT_FILE and
	// SSL_CERT_DIR override where they are read from, as for openssl).
	SystemRoots bool
	Host        string           // DNS name or IP the leaf must be valid for; "" skips the check
	Purpose     x509.ExtKeyUsage // ExtKeyUsageServerAuth, ...; ExtKeyUsageAny (zero) skips the check
	Now         time.Time        // zero means time.Now()
}

// Problem is one reason a certificate is not valid, diagnosed for a person.
type Problem struct {
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	Err     error  `json:"-"` // the x509 error behind the message
}

// VerifyChain checks chain (a leaf followed by any intermediates) against
// opts and returns every problem found, nil when the leaf is valid. Dates,
// trust, host name and purpose are checked separately, so an expired
// certificate for the wrong host gets two problems, not one.
func VerifyChain(chain []*x509.Certificate, opts VerifyOptions) []Problem {
	if len(chain) == 0 {
		return []Problem{{Message: "no certificate to verify", Err: ErrNotCertificate}}
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	leaf := chain[0]
	var probs []Problem
	add := func(err error) {
		if err != nil {
			probs = append(probs, explain(err))
		}
	}
	add(checkDates(leaf, now))
	chainErr := verifyTrust(chain, opts, clampTime(leaf, now))
	add(chainErr)
	if len(probs) > 0 && isConstraintError(chainErr) {
		probs[len(probs)-1].Message = WithConstraints(probs[len(probs)-1].Message, append(chain[1:], opts.Roots...))
	}
	if opts.Host != "" {
		add(leaf.VerifyHostname(opts.Host))
	}
	if opts.Purpose != x509.ExtKeyUsageAny {
		add(checkPurpose(chain, opts, clampTime(leaf, now), chainErr == nil))
	}
	return append(probs, checkKeySizes(chain)...)
}

func explain(err error) Problem {
	var pe *PurposeError
	if errors.As(err, &pe) {
		return Problem{Message: pe.Error(), Hint: "issue it with the " + ExtKeyUsageName(pe.Want) + " usage", Err: err}
	}
	msg, hint := ExplainVerifyError(err)
	var he x509.HostnameError
	if errors.As(err, &he) {
		hint = "reissue the certificate with " + he.Host + " among its subject alternative names"
	}
	return Problem{Message: msg, Hint: hint, Err: err}
}

// checkDates reports a leaf used outside its validity period, in the words
// crypto/x509 uses for the same failure.
func checkDates(c *x509.Certificate, now time.Time) error {
	const layout = time.RFC3339
	switch {
	case now.Before(c.NotBefore):
		return x509.CertificateInvalidError{Cert: c, Reason: x509.Expired,
			Detail: fmt.Sprintf("current time %s is before %s", now.UTC().Format(layout), c.NotBefore.UTC().Format(layout))}
	case now.After(c.NotAfter):
		return x509.CertificateInvalidError{Cert: c, Reason: x509.Expired,
			Detail: fmt.Sprintf("current time %s is after %s", now.UTC().Format(layout), c.NotAfter.UTC().Format(layout))}
	}
	return nil
}

// clampTime moves now into the leaf's validity period, so the trust check
// reports trust problems rather than repeating the leaf's date problem.
func clampTime(leaf *x509.Certificate, now time.Time) time.Time {
	switch {
	case now.Before(leaf.NotBefore):
		return leaf.NotBefore
	case now.After(leaf.NotAfter):
		return leaf.NotAfter
	}
	return now
}

func isConstraintError(err error) bool {
	var invalid x509.CertificateInvalidError
	return errors.As(err, &invalid) && invalid.Reason == x509.CANotAuthorizedForThisName
}

func verifyTrust(chain []*x509.Certificate, opts VerifyOptions, at time.Time) error {
	_, err := chain[0].Verify(x509Options(chain, opts, at, x509.ExtKeyUsageAny))
	return err
}

func x509Options(chain []*x509.Certificate, opts VerifyOptions, at time.Time, usage x509.ExtKeyUsage) x509.VerifyOptions {
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	if opts.SystemRoots {
		if sys, err := x509.SystemCertPool(); err == nil {
			roots = sys
		}
	}
	for _, c := range opts.Roots {
		roots.AddCert(c)
	}
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	return x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{usage}}
}

// checkPurpose checks the leaf's own extended key usages, and, once the chain
// is known to be trusted, the usages the intermediates allow.
func checkPurpose(chain []*x509.Certificate, opts VerifyOptions, at time.Time, trusted bool) error {
	leaf := chain[0]
	if len(leaf.ExtKeyUsage) > 0 && !slices.Contains(leaf.ExtKeyUsage, x509.ExtKeyUsageAny) &&
		!slices.Contains(leaf.ExtKeyUsage, opts.Purpose) {
		return &PurposeError{Cert: leaf, Want: opts.Purpose}
	}
	if !trusted {
		return nil
	}
	_, err := leaf.Verify(x509Options(chain, opts, at, opts.Purpose))
	return err
}

// PurposeError says a leaf's extended key usages exclude the one asked for.
type PurposeError struct {
	Cert *x509.Certificate
	Want x509.ExtKeyUsage
}

func (e *PurposeError) Error() string {
	var have []string
	for _, u := range e.Cert.ExtKeyUsage {
		have = append(have, ExtKeyUsageName(u))
	}
	return fmt.Sprintf("the certificate is for %s only, not %s", joinNames(have), ExtKeyUsageName(e.Want))
}

// Unwrap lets errors.As find the x509 error crypto/x509 itself would return.
func (e *PurposeError) Unwrap() error {
	return x509.CertificateInvalidError{Cert: e.Cert, Reason: x509.IncompatibleUsage}
}

func joinNames(s []string) string {
	switch len(s) {
	case 0:
		return "no usage"
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
