package certs

import (
	"crypto/x509"
	"fmt"
	"time"
)

// Expiring is a certificate of a chain that expires within a window (or has
// expired already), as `verify --expires-within` and `connect
// --expires-within` report it.
type Expiring struct {
	Subject  string    `json:"subject"`
	Role     string    `json:"role"` // "leaf", "intermediate" or "root"
	NotAfter time.Time `json:"not_after"`
	DaysLeft int       `json:"days_left"` // negative once expired
}

func (x Expiring) String() string {
	when := fmt.Sprintf("in %s", pluralDays(x.DaysLeft))
	switch {
	case x.DaysLeft < 0:
		when = fmt.Sprintf("%s ago", pluralDays(-x.DaysLeft))
	case x.DaysLeft == 0:
		when = "in less than a day"
	}
	verb := "expires"
	if x.DaysLeft < 0 {
		verb = "expired"
	}
	return fmt.Sprintf("the %s certificate %q %s on %s (%s)", x.Role, x.Subject, verb,
		x.NotAfter.UTC().Format(dateFormat), when)
}

func pluralDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// ExpiringWithin returns the certificates of chain (leaf first, then the
// issuers up to the root) whose validity ends before now+within, leaf first.
func ExpiringWithin(chain []*x509.Certificate, now time.Time, within time.Duration) []Expiring {
	var out []Expiring
	deadline := now.Add(within)
	for i, c := range chain {
		if !c.NotAfter.Before(deadline) {
			continue
		}
		out = append(out, Expiring{Subject: DN(c.RawSubject, c.Subject), Role: chainRole(i, c),
			NotAfter: c.NotAfter.UTC(), DaysLeft: DaysLeft(c.NotAfter, now)})
	}
	return out
}

func chainRole(i int, c *x509.Certificate) string {
	switch {
	case i == 0:
		return "leaf"
	case string(c.RawSubject) == string(c.RawIssuer) && c.CheckSignatureFrom(c) == nil:
		return "root"
	}
	return "intermediate"
}

// FullChain is chain completed up to the root it verifies to with opts (at
// a time inside the leaf's validity, so that an expired leaf still finds its
// issuers), or chain itself when it does not verify: the certificates whose
// expiry matters to a client.
func FullChain(chain []*x509.Certificate, opts VerifyOptions) []*x509.Certificate {
	if len(chain) == 0 {
		return nil
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	verified, err := chain[0].Verify(x509Options(chain, opts, clampTime(chain[0], now), x509.ExtKeyUsageAny))
	if err != nil || len(verified) == 0 {
		return chain
	}
	return verified[0]
}
