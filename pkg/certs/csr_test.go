package certs

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlskit/tlskit/internal/testkit"
)

func TestCreateCSRAlgorithms(t *testing.T) {
	tests := []struct {
		kind string
		want x509.SignatureAlgorithm
	}{
		{"rsa", x509.SHA256WithRSA},
		{"p256", x509.ECDSAWithSHA256},
		{"p384", x509.ECDSAWithSHA384},
		{"p521", x509.ECDSAWithSHA512},
		{"ed25519", x509.PureEd25519},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			csr := testCSR(t, testkit.Key(t, tt.kind), "/CN=www.example.com")
			if csr.SignatureAlgorithm != tt.want {
				t.Errorf("signature algorithm = %v, want %v", csr.SignatureAlgorithm, tt.want)
			}
			if err := csr.CheckSignature(); err != nil {
				t.Errorf("signature: %v", err)
			}
		})
	}
}

func TestCreateCSRSubjectAndSANs(t *testing.T) {
	csr := testCSR(t, testkit.Key(t, "p256"), "/C=US/O=Acme\\, Inc./CN=a+OU=b/emailAddress=x@example.com",
		"DNS:www.example.com,IP:10.1.2.3", "email:x@example.com", "URI:https://example.com")
	want := "2.5.4.6=US/2.5.4.10=Acme, Inc./2.5.4.3=a+2.5.4.11=b/1.2.840.113549.1.9.1=x@example.com"
	if got := rawSubjectString(t, csr.RawSubject); got != want {
		t.Errorf("subject = %s, want %s", got, want)
	}
	got := sanString(SANs{csr.DNSNames, csr.IPAddresses, csr.EmailAddresses, csr.URIs})
	if got != "DNS:www.example.com,IP:10.1.2.3,email:x@example.com,URI:https://example.com" {
		t.Errorf("SANs = %s", got)
	}
}

// rawSubjectString decodes a DER subject keeping its RDN structure
// (pkix.Name would flatten multi-valued RDNs).
func rawSubjectString(t *testing.T, raw []byte) string {
	t.Helper()
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &rdns); err != nil || len(rest) > 0 {
		t.Fatalf("subject does not decode: %v", err)
	}
	return rdnString(rdns)
}

// corruptBase64 puts a character outside the base64 alphabet in the middle
// of the first PEM body.
func corruptBase64(p []byte) []byte {
	out := bytes.Clone(p)
	i := bytes.IndexByte(out, '\n') + 10
	out[i] = '!'
	return out
}

func TestCreateCSRAddsCommonNameAsSAN(t *testing.T) {
	tests := []struct {
		subj, want string
	}{
		{"/CN=www.example.com", "DNS:www.example.com"},
		{"/CN=*.example.com", "DNS:*.example.com"},
		{"/CN=192.0.2.7", "IP:192.0.2.7"},
		{"/CN=::1", "IP:::1"},
		{"/CN=My Server", ""},
		{"/CN=010.1.1.1", ""},
		{"/O=No CN", ""},
	}
	for _, tt := range tests {
		csr := testCSR(t, testkit.Key(t, "p256"), tt.subj)
		got := sanString(SANs{csr.DNSNames, csr.IPAddresses, csr.EmailAddresses, csr.URIs})
		if got != tt.want {
			t.Errorf("%s: SANs = %q, want %q", tt.subj, got, tt.want)
		}
	}
	csr := testCSR(t, testkit.Key(t, "p256"), "/CN=www.example.com", "other.example.com")
	if len(csr.DNSNames) != 1 || csr.DNSNames[0] != "other.example.com" {
		t.Errorf("explicit SANs were extended with the CN: %v", csr.DNSNames)
	}
}

func TestCreateCSRErrors(t *testing.T) {
	key := testkit.Key(t, "p256")
	_, err := CreateCSR(key, nil, SANs{})
	testkit.CheckErr(t, err, ErrInvalidSubject, "empty subject")
	bad := SubjectFields{Country: "Germany", CommonName: "x"}.RDNs()
	_, err = CreateCSR(key, bad, SANs{})
	testkit.CheckErr(t, err, ErrInvalidSubject, `country "Germany"`)
}

func TestParseCSRPEM(t *testing.T) {
	key := testkit.Key(t, "p256")
	der, err := CreateCSR(key, SubjectFields{CommonName: "x.example.com"}.RDNs(), SANs{})
	if err != nil {
		t.Fatal(err)
	}
	good := EncodePEM("CERTIFICATE REQUEST", der)
	tampered := bytes.Clone(der)
	tampered[len(tampered)-3] ^= 0xff // inside the signature
	certDER, err := SelfSign(mustParseCSR(t, der), key, LeafOptions{Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want error
		why  string
	}{
		{"good", good, nil, ""},
		{"legacy type", EncodePEM("NEW CERTIFICATE REQUEST", der), nil, ""},
		{"after a key block", append(EncodePEM("PRIVATE KEY", []byte{1}), good...), nil, ""},
		{"empty", nil, ErrNoPEM, ""},
		{"DER", der, ErrNoPEM, ""},
		{"certificate", EncodePEM("CERTIFICATE", certDER), ErrNotCSR, "found CERTIFICATE"},
		{"key", EncodePEM("PRIVATE KEY", []byte{1}), ErrNotCSR, "found PRIVATE KEY"},
		{"garbage", EncodePEM("CERTIFICATE REQUEST", []byte("garbage")), ErrMalformed, ""},
		{"truncated", good[:len(good)-30], ErrMalformed, "truncated"},
		{"bad base64", corruptBase64(good), ErrMalformed, ""},
		{"bad signature", EncodePEM("CERTIFICATE REQUEST", tampered), ErrBadSignature, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			csr, err := ParseCSRPEM(tt.in)
			testkit.CheckErr(t, err, tt.want, tt.why)
			if err == nil && csr.Subject.CommonName != "x.example.com" {
				t.Errorf("CN = %q", csr.Subject.CommonName)
			}
		})
	}
}

func mustParseCSR(t *testing.T, der []byte) *x509.CertificateRequest {
	t.Helper()
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	return csr
}

func TestReadCSRFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.csr")
	if err := os.WriteFile(path, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadCSRFile(path)
	testkit.CheckErr(t, err, ErrNoPEM, path+": ")
	_, err = ReadCSRFile(filepath.Join(dir, "missing.csr"))
	testkit.CheckErr(t, err, os.ErrNotExist, "missing.csr")

	der, err := CreateCSR(testkit.Key(t, "ed25519"), SubjectFields{CommonName: "ok"}.RDNs(), SANs{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, EncodePEM("CERTIFICATE REQUEST", der), 0o600); err != nil {
		t.Fatal(err)
	}
	csr, err := ReadCSRFile(path)
	if err != nil || csr.Subject.CommonName != "ok" {
		t.Fatalf("ReadCSRFile = %v, %v", csr, err)
	}
	if !strings.Contains(string(EncodePEM("X", []byte{1})), "-----BEGIN X-----") {
		t.Error("EncodePEM does not write a PEM block")
	}
}
