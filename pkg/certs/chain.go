package certs

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"time"
)

// issueIntermediate signs a CA template with opts.Parent[0], after checking
// that the parent may sign a CA with the requested path length, and checks
// the result against the parent's chain.
func issueIntermediate(tmpl *x509.Certificate, opts CAOptions) ([]byte, error) {
	parent := opts.Parent[0]
	if opts.ParentKey == nil {
		return nil, fmt.Errorf("%w: an intermediate CA needs the issuing CA's key", ErrKeyMismatch)
	}
	if err := checkCA(parent, opts.ParentKey); err != nil {
		return nil, err
	}
	if err := CheckPathLen(parent, opts.PathLen); err != nil {
		return nil, err
	}
	if err := clipValidity(tmpl, parent); err != nil {
		return nil, err
	}
	tmpl.AuthorityKeyId = parent.SubjectKeyId
	der, err := issue(tmpl, parent, opts.ParentKey)
	if err != nil {
		return nil, err
	}
	return der, checkIssued(der, opts.Parent, opts.Now)
}

// CheckPathLen refuses an intermediate CA with pathLen that its parent's
// path length constraint would make unusable (ErrPathLen): crypto/x509 and
// openssl only notice when a leaf below it is verified ("path length
// constraint exceeded").
func CheckPathLen(parent *x509.Certificate, pathLen int) error {
	limit := parent.MaxPathLen
	if limit < 0 || (limit == 0 && !parent.MaxPathLenZero) {
		return nil // no limit
	}
	name := DN(parent.RawSubject, parent.Subject)
	if limit == 0 {
		return fmt.Errorf("%w: the CA %q has path length 0, so it may sign end-entity certificates only", ErrPathLen, name)
	}
	if pathLen < 0 || pathLen > limit-1 {
		return fmt.Errorf("%w: the CA %q has path length %d, so a CA it signs may have a path length of at most %d",
			ErrPathLen, name, limit, limit-1)
	}
	return nil
}

// checkIssued verifies a certificate just made by chain[0] against chain
// (the issuer, then its own issuers): crypto/x509 does not check name or path
// length constraints when it creates a certificate, only when it verifies
// one. Only the constraint failures are errors here: the chain's dates are
// checked by the callers, and trust is the user's to give.
func checkIssued(der []byte, chain []*x509.Certificate, now time.Time) error {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("%w: the new certificate: %s", ErrMalformed, err.Error())
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(chain[len(chain)-1])
	for _, c := range chain[:len(chain)-1] {
		inter.AddCert(c)
	}
	if now.IsZero() {
		now = time.Now()
	}
	_, err = cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: clampTime(cert, now),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	var invalid x509.CertificateInvalidError
	if !errors.As(err, &invalid) {
		return nil
	}
	switch invalid.Reason {
	case x509.CANotAuthorizedForThisName:
		return fmt.Errorf("%w: the CA %q may not issue for this name: %s", ErrOutsideNames, DN(chain[0].RawSubject, chain[0].Subject),
			WithConstraints(invalid.Detail, chain))
	case x509.TooManyIntermediates:
		return fmt.Errorf("%w: %s", ErrPathLen, err.Error())
	}
	return nil
}

// OrderChain orders loose certificates into one chain: the leaf first, then
// each certificate's issuer. The self-signed root, when present, ends the
// chain only if withRoot is set. Duplicates are dropped. A set with no leaf,
// with two leaves, or with a certificate that is not in the leaf's chain
// fails with ErrNoChain, naming the certificate.
func OrderChain(certs []*x509.Certificate, withRoot bool) ([]*x509.Certificate, error) {
	set := dedupe(certs)
	if len(set) == 0 {
		return nil, fmt.Errorf("%w: no certificate given", ErrNoChain)
	}
	leaf, err := findLeaf(set)
	if err != nil {
		return nil, err
	}
	chain := []*x509.Certificate{leaf}
	for c := leaf; !IsSelfSigned(c); {
		next := issuerIn(set, c)
		if next == nil || containsCert(chain, next) {
			break
		}
		chain, c = append(chain, next), next
	}
	if len(chain) != len(set) {
		return nil, strayError(set, chain)
	}
	if last := chain[len(chain)-1]; !withRoot && len(chain) > 1 && IsSelfSigned(last) {
		chain = chain[:len(chain)-1]
	}
	return chain, nil
}

func dedupe(certs []*x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, c := range certs {
		if !containsCert(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func containsCert(list []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range list {
		if x.Equal(c) {
			return true
		}
	}
	return false
}

// findLeaf returns the one certificate that issued none of the others.
func findLeaf(set []*x509.Certificate) (*x509.Certificate, error) {
	var leaves []*x509.Certificate
	for _, c := range set {
		if !issuedAny(set, c) {
			leaves = append(leaves, c)
		}
	}
	if len(leaves) > 1 && slices.ContainsFunc(leaves, func(c *x509.Certificate) bool { return !c.IsCA }) {
		// A CA that signed nothing here is a stray, not a second leaf.
		leaves = slices.DeleteFunc(leaves, func(c *x509.Certificate) bool { return c.IsCA })
	}
	switch len(leaves) {
	case 0:
		return nil, fmt.Errorf("%w: every certificate issued another one (a loop?)", ErrNoChain)
	case 1:
		return leaves[0], nil
	}
	return nil, fmt.Errorf("%w: %q and %q are both end certificates: give the certificates of one chain",
		ErrNoChain, DN(leaves[0].RawSubject, leaves[0].Subject), DN(leaves[1].RawSubject, leaves[1].Subject))
}

func issuedAny(set []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range set {
		if x != c && issuedBy(x, c) {
			return true
		}
	}
	return false
}

// issuedBy reports whether parent signed c (names and signature).
func issuedBy(c, parent *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, parent.RawSubject) && c.CheckSignatureFrom(parent) == nil
}

// IsSelfSigned reports whether c is signed by its own key under its own name.
func IsSelfSigned(c *x509.Certificate) bool { return issuedBy(c, c) }

func issuerIn(set []*x509.Certificate, c *x509.Certificate) *x509.Certificate {
	for _, x := range set {
		if x != c && issuedBy(c, x) {
			return x
		}
	}
	return nil
}

func strayError(set, chain []*x509.Certificate) error {
	for _, c := range set {
		if !containsCert(chain, c) {
			return fmt.Errorf("%w: %q is not in the chain of %q", ErrNoChain, DN(c.RawSubject, c.Subject), DN(chain[0].RawSubject, chain[0].Subject))
		}
	}
	return fmt.Errorf("%w", ErrNoChain)
}

// CheckTrustAnchors fails with ErrNotCA, naming the first offender, unless
// every certificate is a CA (basicConstraints CA:TRUE). Go's verifier lets a
// trust anchor sign whether or not it is a CA, so a client or server
// certificate given where CAs are expected would let whoever holds its key
// issue certificates that are then trusted.
func CheckTrustAnchors(cs []*x509.Certificate) error {
	for i, c := range cs {
		if !c.BasicConstraintsValid || !c.IsCA {
			return fmt.Errorf("certificate %d of %d (%s): %w: a leaf certificate cannot be a trust anchor for others",
				i+1, len(cs), c.Subject, ErrNotCA)
		}
	}
	return nil
}
