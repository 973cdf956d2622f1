package certs

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"
)

// manyBlocks is a file of n PEM blocks of type typ.
func manyBlocks(typ string, n int) []byte {
	return []byte(strings.Repeat("-----BEGIN "+typ+"-----\nAA==\n-----END "+typ+"-----\n", n))
}

// An error about a file of half a million blocks is one short line: each
// type once with its count, at most a few types.
func TestErrorsListFewBlockTypes(t *testing.T) {
	data := append(manyBlocks("PRIVATE KEY", 1), manyBlocks("FOO", 400_000)...)
	for _, typ := range []string{"A", "B", "C", "D", "E", "F"} {
		data = append(data, manyBlocks(typ, 1)...)
	}
	_, err := ParseCertificatesPEM(data)
	want := "not a certificate (found PRIVATE KEY, FOO (400000 blocks), A, B, C and 3 more)"
	if !errors.Is(err, ErrNotCertificate) || err.Error() != want {
		t.Errorf("certificates: %v, want %q", err, want)
	}
	_, err = ParseCSRPEM(data)
	if !errors.Is(err, ErrNotCSR) || !strings.HasSuffix(err.Error(), "(found PRIVATE KEY, FOO (400000 blocks), A, B, C and 3 more)") {
		t.Errorf("requests: %v", err)
	}
}

// InspectN describes at most max blocks and counts the rest.
func TestInspectNCapsBlocks(t *testing.T) {
	data := manyBlocks("FOO", 1000)
	for _, tt := range []struct{ max, described, omitted int }{{10, 10, 990}, {0, 1000, 0}, {2000, 1000, 0}} {
		objs, omitted, err := InspectN(data, time.Now(), tt.max)
		if err != nil || len(objs) != tt.described || omitted != tt.omitted {
			t.Errorf("max %d: %d described, %d omitted, %v; want %d, %d", tt.max, len(objs), omitted, err, tt.described, tt.omitted)
		}
	}
}

// Only CA certificates are trust anchors for others.
func TestCheckTrustAnchors(t *testing.T) {
	f := newInspectFixture(t)
	ca, leaf := parseCert(t, pemDER(t, f.caPEM)), parseCert(t, f.leafDER)
	tests := []struct {
		name string
		cs   []*x509.Certificate
		want error
	}{
		{"a CA", []*x509.Certificate{ca}, nil},
		{"a leaf", []*x509.Certificate{leaf}, ErrNotCA},
		{"a CA, then a leaf", []*x509.Certificate{ca, leaf}, ErrNotCA},
	}
	for _, tt := range tests {
		err := CheckTrustAnchors(tt.cs)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func pemDER(t *testing.T, data []byte) []byte {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatal("no PEM")
	}
	return b.Bytes
}
