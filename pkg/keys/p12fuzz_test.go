package keys

import (
	"errors"
	"path/filepath"
	"testing"
)

const p12SeedDir = "testdata/fuzz/FuzzDecodeP12"

// p12Errors are the errors DecodeP12 and DescribeP12 may return.
var p12Errors = []error{ErrMalformed, ErrUnsupported, ErrUnsafeParams, ErrWrongPassphrase, ErrNoPassphrase, ErrKeyMismatch}

// FuzzDecodeP12 feeds DescribeP12 and DecodeP12 hostile files: they must
// return one of their errors, never panic or hang. The seeds are the files
// of testdata/p12 and one with a hostile MAC iteration count.
func FuzzDecodeP12(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		_, derr := DescribeP12(data)
		checkP12Error(t, derr)
		c, err := DecodeP12(data, passFunc("tlskit-test"))
		checkP12Error(t, err)
		if derr != nil && err == nil {
			t.Fatalf("DescribeP12 refused (%v) what DecodeP12 read", derr)
		}
		if err == nil && c.Key == nil && len(c.TrustStore) == 0 {
			t.Fatal("decoded nothing without an error")
		}
	})
}

func checkP12Error(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, known := range p12Errors {
		if errors.Is(err, known) {
			return
		}
	}
	t.Fatalf("error wraps no sentinel: %v", err)
}

// TestP12FuzzSeeds fails when the seeds vanish, and checks each one reads.
func TestP12FuzzSeeds(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(p12SeedDir, "*"))
	if err != nil || len(files) < len(p12Corpus)+1 {
		t.Fatalf("%s holds %d seeds, want %d (%v)", p12SeedDir, len(files), len(p12Corpus)+1, err)
	}
	for _, f := range files {
		readSeed(t, f)
	}
}
