package certs

import (
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlskit/tlskit/internal/testkit"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/ so that plain go test
// replays them; TestX509FuzzSeedsPresent guards against them vanishing.
var x509FuzzTargets = []string{"FuzzParseSubject", "FuzzParseSANs", "FuzzParseCSRPEM"}

func TestX509FuzzSeedsPresent(t *testing.T) {
	for _, name := range x509FuzzTargets {
		seeds, err := filepath.Glob(filepath.Join("testdata", "fuzz", name, "*"))
		if err != nil || len(seeds) < 3 {
			t.Errorf("%s: %d seed files (%v), want at least 3", name, len(seeds), err)
		}
	}
}

// FuzzParseSubject checks that ParseSubject never panics, that what it
// accepts can be encoded, and that formatting the result back into openssl
// syntax parses to the same subject.
func FuzzParseSubject(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		rdns, err := ParseSubject(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidSubject) {
				t.Fatalf("error does not wrap ErrInvalidSubject: %v", err)
			}
			return
		}
		if _, err := marshalSubject(rdns); err != nil {
			t.Fatalf("accepted %q but cannot encode it: %v", s, err)
		}
		again, err := ParseSubject(formatSubject(rdns))
		if err != nil || rdnString(again) != rdnString(rdns) {
			t.Fatalf("round trip of %q: %s became %s (%v)", s, rdnString(rdns), rdnString(again), err)
		}
	})
}

// formatSubject writes a subject in openssl syntax with dotted OIDs.
func formatSubject(seq pkix.RDNSequence) string {
	escape := strings.NewReplacer(`\`, `\\`, `/`, `\/`, `+`, `\+`)
	var b strings.Builder
	for _, set := range seq {
		for i, atv := range set {
			sep := "/"
			if i > 0 {
				sep = "+"
			}
			fmt.Fprintf(&b, "%s%s=%s", sep, atv.Type, escape.Replace(atv.Value.(string)))
		}
	}
	return b.String()
}

// FuzzParseSANs takes newline-separated values. Whatever ParseSANs accepts
// must be accepted by crypto/x509 in a CSR and survive the round trip.
func FuzzParseSANs(f *testing.F) {
	key := testkit.Key(f, "p256")
	f.Fuzz(func(t *testing.T, in string) {
		sans, err := ParseSANs(strings.Split(in, "\n"))
		if err != nil {
			if !errors.Is(err, ErrInvalidSAN) {
				t.Fatalf("error does not wrap ErrInvalidSAN: %v", err)
			}
			return
		}
		der, err := CreateCSR(key, SubjectFields{CommonName: "fuzz"}.RDNs(), sans)
		if err != nil {
			t.Fatalf("accepted %q but CreateCSR fails: %v", in, err)
		}
		csr := mustParseCSR(t, der)
		got := sanString(SANs{csr.DNSNames, csr.IPAddresses, csr.EmailAddresses, csr.URIs})
		if !sans.Empty() && got != sanString(sans) {
			t.Fatalf("SANs %s came back as %s", sanString(sans), got)
		}
	})
}

// FuzzParseCSRPEM checks that no input panics and that only requests with
// a valid signature are returned. ErrUnsupported is a request for a key of
// an algorithm tlskit cannot issue for (seed b7342c0493299941).
func FuzzParseCSRPEM(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		csr, err := ParseCSRPEM(data)
		if err != nil {
			for _, want := range []error{ErrNoPEM, ErrMalformed, ErrNotCSR, ErrBadSignature, ErrUnsupported} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("unexpected error kind: %v", err)
		}
		if err := csr.CheckSignature(); err != nil {
			t.Fatalf("returned a request whose signature fails: %v", err)
		}
	})
}
