package certs

import (
	"reflect"
	"testing"
)

func TestFormatSubjectRoundTrips(t *testing.T) {
	for _, in := range []string{
		"/CN=localhost",
		"/C=US/ST=California/L=San Francisco/O=Acme, Inc./OU=Web+OU=Ops/CN=www.example.com/emailAddress=a@example.com",
		`/O=a\/b\+c\\d/CN=x`,
		"/1.2.3.4=custom/CN=y",
	} {
		rdns, err := ParseSubject(in)
		if err != nil {
			t.Fatalf("ParseSubject(%q): %v", in, err)
		}
		out := FormatSubject(rdns)
		if out != in {
			t.Errorf("FormatSubject(ParseSubject(%q)) = %q", in, out)
		}
		again, err := ParseSubject(out)
		if err != nil || !reflect.DeepEqual(again, rdns) {
			t.Errorf("ParseSubject(%q) = %v, %v; want %v", out, again, err, rdns)
		}
	}
}

func TestSANsStrings(t *testing.T) {
	sans, err := ParseSANs([]string{"localhost,127.0.0.1", "email:a@example.com", "URI:https://example.com/x"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"DNS:localhost", "IP:127.0.0.1", "email:a@example.com", "URI:https://example.com/x"}
	if got := sans.Strings(); !reflect.DeepEqual(got, want) {
		t.Errorf("Strings() = %v, want %v", got, want)
	}
}
