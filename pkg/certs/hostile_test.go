package certs

import (
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
