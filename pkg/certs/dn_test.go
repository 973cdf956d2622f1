package certs

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
)

func TestFormatDN(t *testing.T) {
	tests := []struct {
		subj string
		want string
	}{
		{"/C=US/O=Acme, Inc./CN=www.example.com", `CN=www.example.com,O=Acme\, Inc.,C=US`},
		{"/CN=localhost", "CN=localhost"},
		{"/O=Acme/OU=Ops+OU=Web/CN=x", "CN=x,OU=Ops+OU=Web,O=Acme"},
		{"/CN=a/emailAddress=a@example.com", "emailAddress=a@example.com,CN=a"},
		{"/CN= leading/O=#hash", `O=\#hash,CN=\ leading`},
		{"/CN=x/1.2.3.4=custom", "1.2.3.4=custom,CN=x"},
	}
	for _, tt := range tests {
		rdns, err := ParseSubject(tt.subj)
		if err != nil {
			t.Fatalf("%s: %v", tt.subj, err)
		}
		der, err := asn1.Marshal(rdns)
		if err != nil {
			t.Fatal(err)
		}
		if got := DN(der, pkix.Name{}); got != tt.want {
			t.Errorf("DN(%s) = %q, want %q", tt.subj, got, tt.want)
		}
	}
}

func TestDNAttributes(t *testing.T) {
	rdns, _ := ParseSubject("/C=US/O=Acme, Inc./CN=x")
	got := DNAttributes(rdns)
	want := []DNAttribute{{"C", "2.5.4.6", "US"}, {"O", "2.5.4.10", "Acme, Inc."}, {"CN", "2.5.4.3", "x"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("attribute %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestCountryUpperCased(t *testing.T) {
	for _, rdns := range []pkix.RDNSequence{
		mustParseSubject(t, "/C=us/CN=x"),
		SubjectFields{Country: "us", CommonName: "x"}.RDNs(),
	} {
		if got := FormatDN(rdns); got != "CN=x,C=US" {
			t.Errorf("country not upper-cased: %s", got)
		}
	}
}

func mustParseSubject(t *testing.T, s string) pkix.RDNSequence {
	t.Helper()
	rdns, err := ParseSubject(s)
	if err != nil {
		t.Fatal(err)
	}
	return rdns
}
