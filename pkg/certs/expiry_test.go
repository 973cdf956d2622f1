package certs

import (
	"crypto/x509"
	"slices"
	"testing"
	"time"
)

// TestExpiringWithin: leaf (30 days), intermediate and root (50 days, loose
// root) and the bootstrap-style root (100 days), against several windows.
func TestExpiringWithin(t *testing.T) {
	f := newVerifyFixture(t)
	now := time.Now()
	tests := []struct {
		name   string
		chain  []*x509.Certificate
		opts   VerifyOptions
		within time.Duration
		want   []string // roles, leaf first
	}{
		{"nothing within 10 days", []*x509.Certificate{f.leaf}, VerifyOptions{Roots: []*x509.Certificate{f.root}}, 10 * 24 * time.Hour, nil},
		{"leaf within 31 days", []*x509.Certificate{f.leaf}, VerifyOptions{Roots: []*x509.Certificate{f.root}}, 31 * 24 * time.Hour, []string{"leaf"}},
		{"root counts once verified", []*x509.Certificate{f.leaf}, VerifyOptions{Roots: []*x509.Certificate{f.root}}, 101 * 24 * time.Hour, []string{"leaf", "root"}},
		{"intermediate and its root", []*x509.Certificate{f.interLeaf, f.inter}, VerifyOptions{Roots: []*x509.Certificate{f.looseRoot}},
			51 * 24 * time.Hour, []string{"leaf", "intermediate", "root"}},
		{"untrusted chain: only the file's certificates", []*x509.Certificate{f.leaf}, VerifyOptions{Roots: []*x509.Certificate{f.otherRoot}},
			101 * 24 * time.Hour, []string{"leaf"}},
	}
	for _, tt := range tests {
		tt.opts.Now = now
		var roles []string
		for _, x := range ExpiringWithin(FullChain(tt.chain, tt.opts), now, tt.within) {
			roles = append(roles, x.Role)
			if x.DaysLeft < 0 || x.NotAfter.After(now.Add(tt.within)) {
				t.Errorf("%s: %+v is not within %v", tt.name, x, tt.within)
			}
		}
		if !slices.Equal(roles, tt.want) {
			t.Errorf("%s: roles %v, want %v", tt.name, roles, tt.want)
		}
	}
}

func TestExpiringString(t *testing.T) {
	at := time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC)
	tests := []struct {
		x    Expiring
		want string
	}{
		{Expiring{Subject: "CN=a", Role: "leaf", NotAfter: at, DaysLeft: 9}, `the leaf certificate "CN=a" expires on 2030-01-02 03:04 UTC (in 9 days)`},
		{Expiring{Subject: "CN=a", Role: "root", NotAfter: at, DaysLeft: 0}, `the root certificate "CN=a" expires on 2030-01-02 03:04 UTC (in less than a day)`},
		{Expiring{Subject: "CN=a", Role: "leaf", NotAfter: at, DaysLeft: -1}, `the leaf certificate "CN=a" expired on 2030-01-02 03:04 UTC (1 day ago)`},
	}
	for _, tt := range tests {
		if got := tt.x.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
