package certs

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tlskit/tlskit/internal/testkit"
)

// rdnString renders a subject as "TYPE=value" items, RDNs joined by "/" and
// multi-valued ones by "+", with OIDs in dotted form, so tests see the
// structure ParseSubject returns and not a reformatted name.
func rdnString(seq pkix.RDNSequence) string {
	var rdns []string
	for _, set := range seq {
		var atvs []string
		for _, atv := range set {
			atvs = append(atvs, fmt.Sprintf("%s=%v", atv.Type, atv.Value))
		}
		rdns = append(rdns, strings.Join(atvs, "+"))
	}
	return strings.Join(rdns, "/")
}

func TestParseSubject(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"/C=US/ST=California/L=San Francisco/O=Acme, Inc./CN=www.example.com",
			"2.5.4.6=US/2.5.4.8=California/2.5.4.7=San Francisco/2.5.4.10=Acme, Inc./2.5.4.3=www.example.com"},
		{"/CN=a+OU=b", "2.5.4.3=a+2.5.4.11=b"},
		{"/O=x/CN=a+OU=b+emailAddress=a@b.c/L=z",
			"2.5.4.10=x/2.5.4.3=a+2.5.4.11=b+1.2.840.113549.1.9.1=a@b.c/2.5.4.7=z"},
		{`/CN=a\/b`, "2.5.4.3=a/b"},
		{`/CN=a\+b`, "2.5.4.3=a+b"},
		{`/CN=a\\b`, `2.5.4.3=a\b`},
		{`/CN=a\=b=c`, "2.5.4.3=a=b=c"},
		{"/CN=x/", "2.5.4.3=x"},
		{"/emailAddress=me@example.com", "1.2.840.113549.1.9.1=me@example.com"},
		{"/serialNumber=1234", "2.5.4.5=1234"},
		{"/DC=com/DC=example/UID=jdoe", "0.9.2342.19200300.100.1.25=com/0.9.2342.19200300.100.1.25=example/0.9.2342.19200300.100.1.1=jdoe"},
		{"/street=1 Main St/title=Dr/GN=Ada/SN=Lovelace",
			"2.5.4.9=1 Main St/2.5.4.12=Dr/2.5.4.42=Ada/2.5.4.4=Lovelace"},
		{"/commonName=x/organizationName=y", "2.5.4.3=x/2.5.4.10=y"},
		{"/cn=lower", "2.5.4.3=lower"},
		{"/2.5.4.3=byoid/1.3.6.1.4.1.99999.1=private", "2.5.4.3=byoid/1.3.6.1.4.1.99999.1=private"},
		{"/CN=Zoë Ünïcode", "2.5.4.3=Zoë Ünïcode"},
	}
	for _, tt := range tests {
		got, err := ParseSubject(tt.in)
		if err != nil {
			t.Errorf("ParseSubject(%q): %v", tt.in, err)
			continue
		}
		if s := rdnString(got); s != tt.want {
			t.Errorf("ParseSubject(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
}

func TestParseSubjectErrors(t *testing.T) {
	tests := []struct {
		in, why string
	}{
		{"", "must start with '/'"},
		{"CN=x", "must start with '/'"},
		{"/", "no attributes"},
		{"/XX=a", `unknown attribute "XX"`},
		{"/CN=", "empty value for CN"},
		{"/CN=a/O=", "empty value for O"},
		{"/CN", `missing '=' after "CN"`},
		{"/CN=a/O", `missing '=' after "O"`},
		{"/CN=a+", "nothing after the final '+'"},
		{"/=x", "empty attribute name"},
		{"/CN=a//O=b", "empty attribute (check for a doubled '/' or '+')"},
		{"/CN=a/+O=b", "empty attribute"},
		{"//CN=a", "empty attribute"},
		{"/C=USA", `country "USA" is not a 2-letter code`},
		{"/C=1A", `country "1A" is not a 2-letter code`},
		{`/CN=a\`, "trailing '\\' escapes nothing"},
		{"/emailAddress=zoë@example.com", "must be ASCII"},
		{"/serialNumber=a_b", "may only contain"},
		{"/CN=" + strings.Repeat("a", 65), "CN is 65 characters long, the limit is 64"},
		{"/CN=\xff", "not valid UTF-8"},
		{"/3.1=x", `unknown attribute "3.1"`},
	}
	for _, tt := range tests {
		_, err := ParseSubject(tt.in)
		t.Run(tt.in, func(t *testing.T) { testkit.CheckErr(t, err, ErrInvalidSubject, tt.why) })
	}
}

// TestMarshalSubjectStringTypes checks the DER string types match what
// openssl req writes: PrintableString for C, IA5String for emailAddress and
// DC, UTF8String otherwise.
func TestMarshalSubjectStringTypes(t *testing.T) {
	rdns, err := ParseSubject("/C=US/CN=a+OU=b/emailAddress=x@y.z/DC=org")
	if err != nil {
		t.Fatal(err)
	}
	der, err := marshalSubject(rdns)
	if err != nil {
		t.Fatal(err)
	}
	var raw []rawATVSET
	if rest, err := asn1.Unmarshal(der, &raw); err != nil || len(rest) > 0 {
		t.Fatalf("unmarshal: %v", err)
	}
	tags := map[string]int{}
	for _, set := range raw {
		for _, atv := range set {
			tags[atv.Type.String()] = atv.Value.Tag
		}
	}
	want := map[string]int{
		"2.5.4.6":                    asn1.TagPrintableString,
		"2.5.4.3":                    asn1.TagUTF8String,
		"2.5.4.11":                   asn1.TagUTF8String,
		"1.2.840.113549.1.9.1":       asn1.TagIA5String,
		"0.9.2342.19200300.100.1.25": asn1.TagIA5String,
	}
	for oid, tag := range want {
		if tags[oid] != tag {
			t.Errorf("%s encoded with tag %d, want %d", oid, tags[oid], tag)
		}
	}
	if len(raw) != 4 || len(raw[1]) != 2 {
		t.Errorf("RDN structure lost: %d RDNs, second has %d values", len(raw), len(raw[1]))
	}
}

// rawATVSET decodes one RDN keeping each value's tag (asn1 treats slice
// types named ...SET as SET OF).
type rawATVSET []struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

func TestMarshalSubjectRejectsBadValues(t *testing.T) {
	bad := pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{2, 5, 4, 6}, Value: "United States"}}}
	_, err := marshalSubject(bad)
	testkit.CheckErr(t, err, ErrInvalidSubject, "2-letter")
}

func TestSubjectFieldsRDNs(t *testing.T) {
	f := SubjectFields{Country: "DE", Organization: "Acme", CommonName: "www.example.com", Email: "a@b.c"}
	got := rdnString(f.RDNs())
	want := "2.5.4.6=DE/2.5.4.10=Acme/2.5.4.3=www.example.com/1.2.840.113549.1.9.1=a@b.c"
	if got != want {
		t.Errorf("RDNs() = %s, want %s", got, want)
	}
	all := SubjectFields{"C", "ST", "L", "O", "OU", "CN", "E"}.RDNs()
	if s := rdnString(all); s != "2.5.4.6=C/2.5.4.8=ST/2.5.4.7=L/2.5.4.10=O/2.5.4.11=OU/2.5.4.3=CN/1.2.840.113549.1.9.1=E" {
		t.Errorf("order = %s", s)
	}
	if len(SubjectFields{}.RDNs()) != 0 {
		t.Error("empty fields gave a non-empty subject")
	}
}

func TestCommonName(t *testing.T) {
	tests := []struct{ subj, want string }{
		{"/C=US/CN=first/CN=second", "first"},
		{"/OU=x+CN=multi", "multi"},
		{"/O=none", ""},
	}
	for _, tt := range tests {
		rdns, err := ParseSubject(tt.subj)
		if err != nil {
			t.Fatal(err)
		}
		if got := CommonName(rdns); got != tt.want {
			t.Errorf("CommonName(%s) = %q, want %q", tt.subj, got, tt.want)
		}
	}
}

func TestCheckSubject(t *testing.T) {
	long := strings.Repeat("a", 65)
	tests := []struct {
		name   string
		fields SubjectFields
		want   error
	}{
		{"valid", SubjectFields{Country: "US", Organization: "Acme, Inc.", CommonName: "www.example.com"}, nil},
		{"empty", SubjectFields{}, nil},
		{"3-letter country", SubjectFields{Country: "USA", CommonName: "x"}, ErrInvalidSubject},
		{"long common name", SubjectFields{CommonName: long}, ErrInvalidSubject},
		{"non-ASCII email", SubjectFields{CommonName: "x", Email: "é@example.com"}, ErrInvalidSubject},
	}
	for _, tt := range tests {
		if err := CheckSubject(tt.fields.RDNs()); !errors.Is(err, tt.want) {
			t.Errorf("%s: CheckSubject = %v, want %v", tt.name, err, tt.want)
		}
	}
}
