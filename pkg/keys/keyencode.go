package keys

import (
	"crypto"
	"encoding/pem"
	"strings"

	"github.com/youmark/pkcs8"
)

// DefaultIterations is the PBKDF2 iteration count for new keys (OWASP's figure
// for PBKDF2-HMAC-SHA256).
const DefaultIterations = 600000

// scrypt parameters for new keys. openssl 3.0 refuses to derive keys needing
// more than 32 MiB (128*N*r bytes) unless told otherwise, so N=2^14, r=8 is the
// largest cost every openssl can read; it is also what openssl -scrypt writes.
const (
	scryptN = 1 << 14
	scryptR = 8
	scryptP = 1
)

// saltSize follows NIST SP 800-132's recommendation of at least 128 bits.
const saltSize = 16

// Encryption says how MarshalKeyPEM encrypts a key.
type Encryption struct {
	KDF        string // "pbkdf2" (default) or "scrypt"
	Iterations int    // PBKDF2 only; 0 means DefaultIterations
}

// MarshalKeyPEM encodes key as PKCS#8 PEM. With a nil passphrase the key is
// not encrypted ("PRIVATE KEY"); otherwise it is PBES2 with AES-256-CBC
// ("ENCRYPTED PRIVATE KEY"), readable by openssl. The passphrase must pass
// CheckNewPassphrase.
func MarshalKeyPEM(key crypto.Signer, passphrase []byte, enc Encryption) ([]byte, error) {
	if passphrase == nil {
		return marshalPlain(key)
	}
	if err := CheckNewPassphrase(passphrase); err != nil {
		return nil, err
	}
	opts, err := enc.opts()
	if err != nil {
		return nil, err
	}
	// AES-256-CBC, never youmark/pkcs8's GCM ciphers: openssl cannot read those.
	der, err := pkcs8.MarshalPrivateKey(key, passphrase, &pkcs8.Opts{Cipher: pkcs8.AES256CBC, KDFOpts: opts})
	if err != nil {
		return nil, keyErrorf(ErrUnsupported, "cannot encode %T as PKCS#8: %v", key, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}), nil
}

func marshalPlain(key crypto.Signer) ([]byte, error) {
	der, err := pkcs8.MarshalPrivateKey(key, nil, nil)
	if err != nil {
		return nil, keyErrorf(ErrUnsupported, "cannot encode %T as PKCS#8: %v", key, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

func (enc Encryption) opts() (pkcs8.KDFOpts, error) {
	switch strings.ToLower(enc.KDF) {
	case "", "pbkdf2":
		return enc.pbkdf2Opts()
	case "scrypt":
		if err := CheckScryptCost(scryptN, scryptR, scryptP); err != nil {
			return nil, err // keys tlskit writes must be keys tlskit reads back
		}
		return pkcs8.ScryptOpts{SaltSize: saltSize, CostParameter: scryptN, BlockSize: scryptR,
			ParallelizationParameter: scryptP}, nil
	}
	return nil, keyErrorf(ErrUnsupported, "unknown key derivation function %q (want pbkdf2 or scrypt)", enc.KDF)
}

func (enc Encryption) pbkdf2Opts() (pkcs8.KDFOpts, error) {
	iter := enc.Iterations
	if iter == 0 {
		iter = DefaultIterations
	}
	// Keys tlskit writes must be keys tlskit reads back.
	if err := CheckIterations(iter); err != nil {
		return nil, err
	}
	return pkcs8.PBKDF2Opts{SaltSize: saltSize, IterationCount: iter, HMACHash: crypto.SHA256}, nil
}
