package keys

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"runtime"
	"testing"

	"golang.org/x/crypto/scrypt"
)

// The bounds accept a file at the bound and refuse one just above it, with a
// message that says which bound; only validation runs, no derivation.
func TestKDFBounds(t *testing.T) {
	tests := []struct {
		name    string
		n, r, p int
		want    error
		msg     string
	}{
		{"tlskit's own", 1 << 14, 8, 1, nil, ""},
		{"work at the bound", 1 << 14, 8, 32, nil, ""},
		{"work just above", 1 << 14, 8, 33, ErrUnsafeParams, "scrypt N=16384 r=8 p=33 out of range: N*r*p is 4325376, at most 4194304"},
		{"memory at the bound", 1 << 14, 15, 1, nil, ""},
		{"memory just above", 1 << 14, 16, 1, ErrUnsafeParams, "scrypt N=16384 r=16 p=1 out of range: needs 32 MiB of memory, at most 32 MiB"},
		{"N=2^15 r=8, as openssl refuses", 1 << 15, 8, 1, ErrUnsafeParams, "scrypt N=32768 r=8 p=1 out of range: needs 32 MiB of memory, at most 32 MiB"},
		{"N=2^30 is out of range, not a non-power", 1 << 30, 8, 1, ErrUnsafeParams, "scrypt N=1073741824 r=8 p=1 out of range: needs 1 TiB of memory, at most 32 MiB"},
		{"N=2^62 r=2^40 cannot overflow", 1 << 62, 1 << 40, 1 << 40, ErrUnsafeParams, ""},
		{"N not a power of two", 1000, 8, 1, ErrUnsafeParams, "scrypt N=1000 is not a power of two of at least 2"},
	}
	for _, tt := range tests {
		err := CheckScryptCost(tt.n, tt.r, tt.p)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
		if tt.msg != "" && (err == nil || err.Error() != tt.msg) {
			t.Errorf("%s: message %v, want %q", tt.name, err, tt.msg)
		}
		if tt.n > 1<<20 {
			continue
		}
		data := scryptEdit(t, scryptParams{Salt: []byte("saltsalt"), N: tt.n, R: tt.r, P: tt.p})(decodeForEdit(t, mustMarshal(t, testKeys()["ed25519"], testPass, fastPBKDF2)))
		if _, derr := DescribeKeyPEM(data); !errors.Is(derr, tt.want) || (derr == nil) != (tt.want == nil) {
			t.Errorf("%s: a key file with these parameters: %v, want %v", tt.name, derr, tt.want)
		}
	}
	for iter, want := range map[int]error{MaxPBKDF2Iterations: nil, MaxPBKDF2Iterations + 1: ErrUnsafeParams, 0: ErrUnsafeParams} {
		if err := CheckIterations(iter); !errors.Is(err, want) || (err == nil) != (want == nil) {
			t.Errorf("%d iterations: %v, want %v", iter, err, want)
		}
	}
}

// BenchmarkKDFWorstCase measures the most a key file within the bounds can
// cost: scrypt at MaxScryptWork and MaxScryptMemory together would exceed
// MaxScryptMemory, so each bound is measured at its worst, and PBKDF2 at
// MaxPBKDF2Iterations with each PRF. Reported figures are in README.md.
func BenchmarkKDFWorstCase(b *testing.B) {
	cases := []struct {
		name    string
		n, r, p int
	}{
		{"scrypt-work-N2^14-r8-p32", 1 << 14, 8, 32},
		{"scrypt-memory-N2^14-r15-p17", 1 << 14, 15, 17},
	}
	for _, c := range cases {
		if err := CheckScryptCost(c.n, c.r, c.p); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := scrypt.Key([]byte("pass"), []byte("saltsalt"), c.n, c.r, c.p, 32); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB/op")
		})
	}
	for name, h := range map[string]func() hash.Hash{"sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New} {
		b.Run("pbkdf2-"+name+"-10M", func(b *testing.B) {
			for b.Loop() {
				pbkdf2.Key(h, "pass", []byte("saltsalt"), MaxPBKDF2Iterations, 32)
			}
		})
	}
}
