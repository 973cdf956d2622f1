package keys

import "fmt"

// Bounds on the cost of deriving a key from a passphrase. One set serves both
// sides: the keys tlskit writes (--iter, the scrypt cost) and the encrypted
// keys it reads, so tlskit never writes a key it would refuse to read, and a
// hostile file cannot make it spin or fill memory. Each is checked before
// any derivation runs. Measured worst case (go test -bench KDFWorstCase
// ./pkg/keys, see README): about 3 s of one core and 32 MiB per attempt.
const (
	// MaxPBKDF2Iterations bounds PBKDF2 iteration counts: 16 times
	// DefaultIterations.
	MaxPBKDF2Iterations = 10_000_000
	// MaxScryptMemory bounds what scrypt allocates, 128*r*(N+p+2) bytes,
	// at openssl's default limit: a key openssl cannot read either needs
	// no support.
	MaxScryptMemory = 32 << 20
	// MaxScryptWork bounds scrypt's work, N*r*p: 32 times tlskit's own
	// N=2^14, r=8, p=1, about as long as MaxPBKDF2Iterations.
	MaxScryptWork = 1 << 22
)

// CheckIterations refuses a PBKDF2 iteration count out of 1..MaxPBKDF2Iterations
// (ErrUnsafeParams).
func CheckIterations(iter int) error {
	if iter < 1 || iter > MaxPBKDF2Iterations {
		return keyErrorf(ErrUnsafeParams, "PBKDF2 iteration count %d out of range (1..%d)", iter, MaxPBKDF2Iterations)
	}
	return nil
}

// CheckScryptCost refuses scrypt parameters that are invalid or cost more
// than MaxScryptMemory or MaxScryptWork (ErrUnsafeParams).
func CheckScryptCost(n, r, p int) error {
	switch {
	case n < 2 || n&(n-1) != 0:
		return keyErrorf(ErrUnsafeParams, "scrypt N=%d is not a power of two of at least 2", n)
	case r < 1 || p < 1:
		return keyErrorf(ErrUnsafeParams, "scrypt r=%d p=%d: both must be at least 1", r, p)
	}
	// Checked one factor at a time, so that the products cannot overflow.
	const maxFactor = MaxScryptMemory / 128
	if n > maxFactor || r > maxFactor || p > MaxScryptWork || 128*r*(n+p+2) > MaxScryptMemory {
		return keyErrorf(ErrUnsafeParams, "scrypt N=%d r=%d p=%d out of range: needs %s of memory, at most %d MiB",
			n, r, p, scryptMemory(n, r, p), MaxScryptMemory>>20)
	}
	if n*r*p > MaxScryptWork {
		return keyErrorf(ErrUnsafeParams, "scrypt N=%d r=%d p=%d out of range: N*r*p is %d, at most %d",
			n, r, p, n*r*p, MaxScryptWork)
	}
	return nil
}

// scryptMemory says how much memory 128*r*(N+p+2) bytes is, without overflow.
func scryptMemory(n, r, p int) string {
	mib := 128 * float64(r) * (float64(n) + float64(p) + 2) / (1 << 20)
	if mib >= 1<<20 {
		return fmt.Sprintf("%.0f TiB", mib/(1<<20))
	}
	return fmt.Sprintf("%.0f MiB", mib)
}
