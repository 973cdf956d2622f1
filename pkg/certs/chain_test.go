package certs

import (
	"crypto"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
)

// testHierarchy is a root (pathlen 1), an intermediate signed by it, and a
// leaf signed by the intermediate.
type testHierarchy struct {
	root, inter, leaf          *x509.Certificate
	rootKey, interKey, leafKey crypto.Signer
}

func newHierarchy(t *testing.T, interOpts CAOptions, leafSANs ...string) testHierarchy {
	t.Helper()
	var h testHierarchy
	h.rootKey, h.interKey, h.leafKey = testkit.Key(t, "p256"), testkit.Key(t, "p256"), testkit.Key(t, "p256")
	h.root = parseCert(t, must(t)(CreateCA(h.rootKey, CAOptions{CommonName: "Root", Days: 30, PathLen: 1})))
	interOpts.CommonName, interOpts.Days = "Inter", 30
	interOpts.Parent, interOpts.ParentKey = []*x509.Certificate{h.root}, h.rootKey
	h.inter = parseCert(t, must(t)(CreateCA(h.interKey, interOpts)))
	csr := testCSR(t, h.leafKey, "/CN=leaf", leafSANs...)
	h.leaf = parseCert(t, must(t)(SignCSR(csr, h.inter, h.interKey, LeafOptions{Days: 7, Usage: UsageServer,
		Issuers: []*x509.Certificate{h.root}})))
	return h
}

func TestIntermediateVerifies(t *testing.T) {
	h := newHierarchy(t, CAOptions{}, "www.test")
	if h.inter.MaxPathLen != 0 || !h.inter.MaxPathLenZero || !h.inter.IsCA {
		t.Errorf("intermediate: CA %v, pathlen %d (zero %v), want CA with pathlen 0", h.inter.IsCA, h.inter.MaxPathLen, h.inter.MaxPathLenZero)
	}
	if string(h.inter.AuthorityKeyId) != string(h.root.SubjectKeyId) {
		t.Error("intermediate's AuthorityKeyId is not the root's SubjectKeyId")
	}
	if probs := VerifyChain([]*x509.Certificate{h.leaf, h.inter}, VerifyOptions{Roots: []*x509.Certificate{h.root},
		Host: "www.test", Purpose: x509.ExtKeyUsageServerAuth}); probs != nil {
		t.Fatalf("leaf under the intermediate: %+v", probs)
	}
	dir := t.TempDir()
	testkit.WriteFile(t, dir, "root.pem", EncodePEM("CERTIFICATE", h.root.Raw))
	testkit.WriteFile(t, dir, "inter.pem", EncodePEM("CERTIFICATE", h.inter.Raw))
	testkit.WriteFile(t, dir, "leaf.pem", EncodePEM("CERTIFICATE", h.leaf.Raw))
	testkit.OpenSSL(t, dir, "verify", "-CAfile", "root.pem", "-untrusted", "inter.pem", "-verify_hostname", "www.test", "leaf.pem")
}

func TestCheckPathLen(t *testing.T) {
	key := testkit.Key(t, "p256")
	ca := func(pathLen int) *x509.Certificate {
		return parseCert(t, must(t)(CreateCA(key, CAOptions{CommonName: "CA", Days: 1, PathLen: pathLen})))
	}
	tests := []struct {
		parent, child int
		want          error
		fragment      string
	}{
		{0, 0, ErrPathLen, "may sign end-entity certificates only"},
		{1, 0, nil, ""},
		{1, 1, ErrPathLen, "at most 0"},
		{1, -1, ErrPathLen, "at most 0"},
		{2, 1, nil, ""},
		{-1, 5, nil, ""},
		{-1, -1, nil, ""},
	}
	for _, tt := range tests {
		err := CheckPathLen(ca(tt.parent), tt.child)
		if !errors.Is(err, tt.want) || (tt.want != nil && !strings.Contains(err.Error(), tt.fragment)) {
			t.Errorf("parent %d, child %d: %v, want %v %q", tt.parent, tt.child, err, tt.want, tt.fragment)
		}
	}
	root := ca(0)
	_, err := CreateCA(testkit.Key(t, "p256"), CAOptions{CommonName: "I", Days: 1, Parent: []*x509.Certificate{root}, ParentKey: key})
	testkit.CheckErr(t, err, ErrPathLen, `"CN=CA" has path length 0`)
	_, err = CreateCA(key, CAOptions{CommonName: "I", Days: 1, PathLen: -2})
	testkit.CheckErr(t, err, ErrPathLen, "must be 0 or more")
}

func TestIntermediateRefusesWrongParentKey(t *testing.T) {
	key := testkit.Key(t, "p256")
	root := parseCert(t, must(t)(CreateCA(key, CAOptions{CommonName: "Root", Days: 1, PathLen: 1})))
	_, err := CreateCA(key, CAOptions{CommonName: "I", Days: 1, Parent: []*x509.Certificate{root}, ParentKey: testkit.Key(t, "p256")})
	testkit.CheckErr(t, err, ErrKeyMismatch)
	leaf := signedLeaf(t, root, key, "/CN=leaf", LeafOptions{Days: 1}, "leaf.test")
	_, err = CreateCA(key, CAOptions{CommonName: "I", Days: 1, Parent: []*x509.Certificate{leaf}, ParentKey: key})
	testkit.CheckErr(t, err, ErrNotCA)
}

func TestParseNameConstraints(t *testing.T) {
	nc, err := ParseNameConstraints([]string{"DNS:test,localhost", "IP:127.0.0.0/8,IP:::1/128", "10.0.0.1", "email:example.org", "URI:.example.com"},
		[]string{"DNS:bad.test", "0.0.0.0/0"})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(nc.Permitted.Strings(), " ") + " | " + strings.Join(nc.Excluded.Strings(), " ")
	want := "DNS:test DNS:localhost IP:127.0.0.0/8 IP:::1/128 IP:10.0.0.1/32 email:example.org URI:.example.com | DNS:bad.test IP:0.0.0.0/0"
	if got != want {
		t.Errorf("constraints %q, want %q", got, want)
	}
	for _, bad := range []struct{ value, fragment string }{
		{"", "empty"},
		{"DNS:", "empty value after the DNS: prefix"},
		{"IP:127.0.0.1/8", "has host bits set (did you mean 127.0.0.0/8?)"},
		{"IP:nonsense", "not an IP network"},
		{"DNS:exa mple.com", "contains a space"},
		{"email:a@b@c", "exactly one '@'"},
	} {
		_, err := ParseNameConstraints([]string{bad.value}, nil)
		testkit.CheckErr(t, err, ErrInvalidSAN, bad.fragment)
	}
}

// TestSignRefusesNamesOutsideConstraints: crypto/x509 would issue them, and
// every client would then reject the certificate.
func TestSignRefusesNamesOutsideConstraints(t *testing.T) {
	nc, err := ParseNameConstraints([]string{"DNS:test,IP:127.0.0.0/8"}, []string{"DNS:bad.test"})
	if err != nil {
		t.Fatal(err)
	}
	h := newHierarchy(t, CAOptions{Constraints: nc}, "ok.test", "127.0.0.1")
	if h.leaf.DNSNames[0] != "ok.test" {
		t.Fatalf("leaf %v", h.leaf.DNSNames)
	}
	for _, sans := range [][]string{{"www.example.com"}, {"ok.test", "10.1.2.3"}, {"x.bad.test"}} {
		csr := testCSR(t, testkit.Key(t, "p256"), "/CN=x", sans...)
		_, err := SignCSR(csr, h.inter, h.interKey, LeafOptions{Days: 1, Issuers: []*x509.Certificate{h.root}})
		testkit.CheckErr(t, err, ErrOutsideNames, `the CA "CN=Inter" may not issue`, "permitted DNS:test, IP:127.0.0.0/8")
	}
	// The root's constraints bind what the intermediate signs, too.
	rootNC, _ := ParseNameConstraints([]string{"DNS:corp.test"}, nil)
	rootKey, interKey := testkit.Key(t, "p256"), testkit.Key(t, "p256")
	root := parseCert(t, must(t)(CreateCA(rootKey, CAOptions{CommonName: "R", Days: 2, PathLen: 1, Constraints: rootNC})))
	inter := parseCert(t, must(t)(CreateCA(interKey, CAOptions{CommonName: "I", Days: 1, Parent: []*x509.Certificate{root}, ParentKey: rootKey})))
	csr := testCSR(t, testkit.Key(t, "p256"), "/CN=x", "www.other.test")
	_, err = SignCSR(csr, inter, interKey, LeafOptions{Days: 1, Issuers: []*x509.Certificate{root}})
	testkit.CheckErr(t, err, ErrOutsideNames, `"CN=R": permitted DNS:corp.test`)
}

// TestHostConstraintsConstrainIPs: DNS constraints alone leave every IP
// address open; HostConstraints closes them, for Go and openssl alike.
func TestHostConstraintsConstrainIPs(t *testing.T) {
	tests := []struct {
		hosts    []string
		ok, fail []string // SANs of leaves that verify, and that must not
	}{
		{[]string{"localhost"}, []string{"localhost", "a.localhost"}, []string{"8.8.8.8", "::1", "example.com"}},
		{[]string{"localhost", "127.0.0.1"}, []string{"127.0.0.1"}, []string{"127.0.0.2", "8.8.8.8", "::1"}},
		{[]string{"::1"}, []string{"::1"}, []string{"example.com", "127.0.0.1"}},
		{[]string{"*.svc.test"}, []string{"a.svc.test"}, []string{"b.test"}},
	}
	for _, tt := range tests {
		hosts, err := ParseSANs(tt.hosts)
		if err != nil {
			t.Fatal(err)
		}
		key := testkit.Key(t, "p256")
		ca := parseCert(t, must(t)(CreateCA(key, CAOptions{CommonName: "Bootstrap", Days: 2, Constraints: HostConstraints(hosts)})))
		for _, name := range tt.ok {
			leaf := unconstrainedLeaf(t, ca, key, name)
			if probs := VerifyChain([]*x509.Certificate{leaf}, VerifyOptions{Roots: []*x509.Certificate{ca}, Host: name}); probs != nil {
				t.Errorf("hosts %v: leaf for %s: %v", tt.hosts, name, probs)
			}
		}
		for _, name := range tt.fail {
			leaf := unconstrainedLeaf(t, ca, key, name)
			probs := VerifyChain([]*x509.Certificate{leaf}, VerifyOptions{Roots: []*x509.Certificate{ca}})
			if len(probs) != 1 || !isConstraintError(probs[0].Err) {
				t.Errorf("hosts %v: leaf for %s verified (%v), want a name-constraint failure", tt.hosts, name, probs)
			}
			opensslRejects(t, ca, leaf, "subtree violation")
		}
	}
}

// unconstrainedLeaf issues a leaf for name without SignCSR's checks, as a
// careless or hostile CA would.
func unconstrainedLeaf(t *testing.T, ca *x509.Certificate, caKey crypto.Signer, name string) *x509.Certificate {
	t.Helper()
	tmpl, err := baseTemplate(nil, testkit.Key(t, "p256").Public(), time.Now(), 1)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.RawSubject = nil
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{name}
	}
	return parseCert(t, must(t)(issue(tmpl, ca, caKey)))
}

func opensslRejects(t *testing.T, ca, leaf *x509.Certificate, reason string) {
	t.Helper()
	dir := t.TempDir()
	testkit.WriteFile(t, dir, "ca.pem", EncodePEM("CERTIFICATE", ca.Raw))
	testkit.WriteFile(t, dir, "leaf.pem", EncodePEM("CERTIFICATE", leaf.Raw))
	out, err := testkit.OpenSSLRun(t, dir, "verify", "-CAfile", "ca.pem", "leaf.pem")
	if err == nil || !strings.Contains(out, reason) {
		t.Errorf("openssl verify of %v%v: %v, want %q\n%s", leaf.DNSNames, leaf.IPAddresses, err, reason, out)
	}
}

func TestOrderChain(t *testing.T) {
	h := newHierarchy(t, CAOptions{}, "www.test")
	other := newHierarchy(t, CAOptions{}, "other.test")
	names := func(chain []*x509.Certificate) string {
		var s []string
		for _, c := range chain {
			s = append(s, c.Subject.CommonName)
		}
		return strings.Join(s, ",")
	}
	for i := 0; i < 6; i++ {
		in := []*x509.Certificate{h.root, h.inter, h.leaf, h.inter}
		rand.Shuffle(len(in), func(a, b int) { in[a], in[b] = in[b], in[a] })
		got, err := OrderChain(in, false)
		if err != nil || names(got) != "leaf,Inter" {
			t.Fatalf("OrderChain(%s) = %s, %v; want leaf,Inter", names(in), names(got), err)
		}
		if got, err := OrderChain(in, true); err != nil || names(got) != "leaf,Inter,Root" {
			t.Fatalf("with root: %s, %v", names(got), err)
		}
	}
	tests := []struct {
		in       []*x509.Certificate
		fragment string
	}{
		{nil, "no certificate given"},
		{[]*x509.Certificate{h.leaf, other.leaf, h.inter}, "are both end certificates"},
		{[]*x509.Certificate{h.leaf, h.inter, other.inter}, `"CN=Inter" is not in the chain`},
	}
	for _, tt := range tests {
		_, err := OrderChain(tt.in, false)
		testkit.CheckErr(t, err, ErrNoChain, tt.fragment)
	}
	_, err := OrderChain([]*x509.Certificate{h.leaf, other.root}, true)
	testkit.CheckErr(t, err, ErrNoChain, `"CN=Root" is not in the chain of "CN=leaf"`)
}
