package keys

import (
	"crypto/aes"
	"crypto/des"
	"crypto/x509/pkix"
	"encoding/asn1"

	"github.com/youmark/pkcs8"
)

// Limits on what an encrypted key file may ask of us. youmark/pkcs8 takes the
// parameters from the file as they are, so a hostile file could make it run
// for hours or allocate gigabytes; these bounds are checked before it runs.
const (
	maxIterations = 10_000_000
	maxScryptN    = 1 << 20
	maxScryptR    = 32
	maxScryptP    = 16
	maxScryptMem  = 1 << 30 // 128*N*r bytes
	maxSaltLen    = 1024
)

var (
	oidPBES2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt         = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
	oidHMACWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
)

// pbes2Cipher is a CBC cipher youmark/pkcs8 can decrypt.
type pbes2Cipher struct {
	name      string
	oid       asn1.ObjectIdentifier
	blockSize int
	keySize   int
	impl      pkcs8.Cipher
}

var pbes2Ciphers = []pbes2Cipher{
	{"AES-128-CBC", asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}, aes.BlockSize, 16, pkcs8.AES128CBC},
	{"AES-192-CBC", asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}, aes.BlockSize, 24, pkcs8.AES192CBC},
	{"AES-256-CBC", asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}, aes.BlockSize, 32, pkcs8.AES256CBC},
	{"DES-EDE3-CBC", asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}, des.BlockSize, 24, pkcs8.TripleDESCBC},
}

// Names for algorithms tlskit recognises but cannot decrypt, so that errors and
// DescribeKeyPEM can say what a file uses.
var otherAlgorithmNames = map[string]string{
	"2.16.840.1.101.3.4.1.6":  "AES-128-GCM",
	"2.16.840.1.101.3.4.1.26": "AES-192-GCM",
	"2.16.840.1.101.3.4.1.46": "AES-256-GCM",
	"1.2.840.113549.2.8":      "hmacWithSHA224",
	"1.2.840.113549.2.10":     "hmacWithSHA384",
	"1.2.840.113549.2.11":     "hmacWithSHA512",
	"1.2.840.113549.1.5.3":    "PBES1 (pbeWithMD5AndDES-CBC)",
	"1.2.840.113549.1.5.10":   "PBES1 (pbeWithSHA1AndDES-CBC)",
	"1.2.840.113549.1.12.1.3": "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC",
	"1.2.840.113549.1.12.1.6": "PKCS#12 pbeWithSHAAnd40BitRC2-CBC",
}

func algorithmName(oid asn1.ObjectIdentifier) string {
	if name := otherAlgorithmNames[oid.String()]; name != "" {
		return name
	}
	return oid.String()
}

type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

type scryptParams struct {
	Salt      []byte
	N, R, P   int
	KeyLength int `asn1:"optional"`
}

// pbes2Info is what an encrypted PKCS#8 key says about its own protection.
// Reading and describing a key share it, so both see the same file the same way.
type pbes2Info struct {
	cipher    *pbes2Cipher // nil when tlskit cannot decrypt the scheme
	cipherOID asn1.ObjectIdentifier
	iv        []byte
	dataLen   int
	kdfOID    asn1.ObjectIdentifier
	prfOID    asn1.ObjectIdentifier // PBKDF2 only; nil means the default, SHA-1
	pbkdf2    pbkdf2Params
	scrypt    scryptParams
}

// unmarshalAll decodes exactly one DER value into v.
func unmarshalAll(der []byte, v any, what string) error {
	rest, err := asn1.Unmarshal(der, v)
	if err != nil {
		return keyErrorf(ErrMalformed, "malformed %s", what)
	}
	if len(rest) != 0 {
		return keyErrorf(ErrMalformed, "malformed %s: trailing data", what)
	}
	return nil
}

// parsePBES2 decodes an EncryptedPrivateKeyInfo without judging its
// parameters; see validate.
func parsePBES2(der []byte) (*pbes2Info, error) {
	var epki encryptedPrivateKeyInfo
	if err := unmarshalAll(der, &epki, "encrypted private key"); err != nil {
		return nil, err
	}
	if !epki.Algorithm.Algorithm.Equal(oidPBES2) {
		return nil, keyErrorf(ErrUnsupported, "unsupported key encryption %s (only PBES2 is supported)",
			algorithmName(epki.Algorithm.Algorithm))
	}
	var params pbes2Params
	if err := unmarshalAll(epki.Algorithm.Parameters.FullBytes, &params, "PBES2 parameters"); err != nil {
		return nil, err
	}
	info := &pbes2Info{dataLen: len(epki.Data), kdfOID: params.KDF.Algorithm}
	if err := info.parseScheme(params.Scheme); err != nil {
		return nil, err
	}
	return info, info.parseKDF(params.KDF)
}

func (info *pbes2Info) parseScheme(scheme pkix.AlgorithmIdentifier) error {
	info.cipherOID = scheme.Algorithm
	for i := range pbes2Ciphers {
		if pbes2Ciphers[i].oid.Equal(scheme.Algorithm) {
			info.cipher = &pbes2Ciphers[i]
		}
	}
	if info.cipher == nil {
		return nil
	}
	return unmarshalAll(scheme.Parameters.FullBytes, &info.iv, "cipher parameters")
}

func (info *pbes2Info) parseKDF(kdf pkix.AlgorithmIdentifier) error {
	switch {
	case kdf.Algorithm.Equal(oidPBKDF2):
		if err := unmarshalAll(kdf.Parameters.FullBytes, &info.pbkdf2, "PBKDF2 parameters"); err != nil {
			return err
		}
		info.prfOID = info.pbkdf2.PRF.Algorithm
	case kdf.Algorithm.Equal(oidScrypt):
		return unmarshalAll(kdf.Parameters.FullBytes, &info.scrypt, "scrypt parameters")
	}
	return nil
}

// cipherName and kdfName name the algorithms the way openssl does.
func (info *pbes2Info) cipherName() string {
	if info.cipher != nil {
		return info.cipher.name
	}
	return algorithmName(info.cipherOID)
}

func (info *pbes2Info) kdfName() string {
	switch {
	case info.kdfOID.Equal(oidScrypt):
		return "scrypt"
	case !info.kdfOID.Equal(oidPBKDF2):
		return algorithmName(info.kdfOID)
	case len(info.prfOID) == 0 || info.prfOID.Equal(oidHMACWithSHA1):
		return "PBKDF2-HMAC-SHA1"
	case info.prfOID.Equal(oidHMACWithSHA256):
		return "PBKDF2-HMAC-SHA256"
	}
	return "PBKDF2 with " + algorithmName(info.prfOID)
}

// validate checks everything youmark/pkcs8 trusts blindly: it panics on an IV
// that is not one block or ciphertext that is not whole blocks, and derives
// keys with whatever cost the file asks for.
func (info *pbes2Info) validate() error {
	if info.cipher == nil {
		return keyErrorf(ErrUnsupported, "unsupported key encryption cipher %s", info.cipherName())
	}
	bs := info.cipher.blockSize
	if len(info.iv) != bs {
		return keyErrorf(ErrMalformed, "malformed encrypted key: %d-byte IV for %s (want %d)", len(info.iv), info.cipher.name, bs)
	}
	if info.dataLen == 0 || info.dataLen%bs != 0 {
		return keyErrorf(ErrMalformed, "malformed encrypted key: %d bytes of ciphertext is not a whole number of %d-byte blocks",
			info.dataLen, bs)
	}
	switch {
	case info.kdfOID.Equal(oidPBKDF2):
		return info.validatePBKDF2()
	case info.kdfOID.Equal(oidScrypt):
		return info.validateScrypt()
	}
	return keyErrorf(ErrUnsupported, "unsupported key derivation function %s", info.kdfName())
}

func (info *pbes2Info) validatePBKDF2() error {
	p := info.pbkdf2
	prfSHA1 := len(info.prfOID) == 0 || info.prfOID.Equal(oidHMACWithSHA1)
	if !prfSHA1 && !info.prfOID.Equal(oidHMACWithSHA256) {
		return keyErrorf(ErrUnsupported, "unsupported key derivation function %s", info.kdfName())
	}
	if err := checkKeyLength(p.KeyLength, info.cipher.keySize); err != nil {
		return err
	}
	// youmark/pkcs8 ignores keyLength and would then misread the PRF after it.
	if p.KeyLength != 0 && !prfSHA1 {
		return keyErrorf(ErrUnsupported, "unsupported PBKDF2 parameters: explicit key length with %s", info.kdfName())
	}
	if p.Iterations < 1 || p.Iterations > maxIterations {
		return keyErrorf(ErrUnsafeParams, "PBKDF2 iteration count %d out of range (1..%d)", p.Iterations, maxIterations)
	}
	return checkSalt(p.Salt)
}

func (info *pbes2Info) validateScrypt() error {
	p := info.scrypt
	if p.N < 2 || p.N > maxScryptN || p.N&(p.N-1) != 0 {
		return keyErrorf(ErrUnsafeParams, "scrypt N=%d is not a power of two in 2..%d", p.N, maxScryptN)
	}
	if p.R < 1 || p.R > maxScryptR || p.P < 1 || p.P > maxScryptP || 128*p.N*p.R > maxScryptMem {
		return keyErrorf(ErrUnsafeParams, "scrypt r=%d p=%d out of range (r 1..%d, p 1..%d, at most %d MiB)",
			p.R, p.P, maxScryptR, maxScryptP, maxScryptMem>>20)
	}
	if err := checkKeyLength(p.KeyLength, info.cipher.keySize); err != nil {
		return err
	}
	return checkSalt(p.Salt)
}

func checkKeyLength(got, want int) error {
	if got != 0 && got != want {
		return keyErrorf(ErrMalformed, "malformed encrypted key: key length %d, cipher needs %d", got, want)
	}
	return nil
}

func checkSalt(salt []byte) error {
	if len(salt) == 0 || len(salt) > maxSaltLen {
		return keyErrorf(ErrUnsafeParams, "salt length %d out of range (1..%d)", len(salt), maxSaltLen)
	}
	return nil
}
