package keys

import (
	"crypto/aes"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509/pkix"
	"encoding/asn1"
	"hash"

	"github.com/youmark/pkcs8"
)

// maxSaltLen bounds the salt of an encrypted key file. youmark/pkcs8 takes
// the parameters from the file as they are, so a hostile file could make it
// run for hours or allocate gigabytes; this and the cost bounds of limits.go
// are checked before it runs.
const maxSaltLen = 1024

var (
	oidPBES2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidScrypt         = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11591, 4, 11}
	oidHMACWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
)

// pbkdf2PRFs are the PBKDF2 pseudo-random functions tlskit derives keys with:
// openssl's default (hmacWithSHA256), the RFC 8018 default (hmacWithSHA1),
// and those `openssl pkcs8 -v2prf` offers beyond them.
var pbkdf2PRFs = map[string]struct {
	name string
	hash func() hash.Hash
}{
	"1.2.840.113549.2.7":  {"PBKDF2-HMAC-SHA1", sha1.New},
	"1.2.840.113549.2.8":  {"PBKDF2-HMAC-SHA224", sha256.New224},
	"1.2.840.113549.2.9":  {"PBKDF2-HMAC-SHA256", sha256.New},
	"1.2.840.113549.2.10": {"PBKDF2-HMAC-SHA384", sha512.New384},
	"1.2.840.113549.2.11": {"PBKDF2-HMAC-SHA512", sha512.New},
}

// prfOID is the PRF a PBKDF2 AlgorithmIdentifier names; an absent one means
// the default, hmacWithSHA1.
func prfOID(prf pkix.AlgorithmIdentifier) string {
	if len(prf.Algorithm) == 0 {
		return oidHMACWithSHA1.String()
	}
	return prf.Algorithm.String()
}

// DeriveKey makes pbkdf2Params the PBKDF2 of youmark/pkcs8 (registered in
// init): its own reads only SHA-1 and SHA-256, and misreads the PRF after an
// explicit keyLength. validate has checked the PRF and the bounds.
func (p *pbkdf2Params) DeriveKey(password []byte, size int) ([]byte, error) {
	prf, ok := pbkdf2PRFs[prfOID(p.PRF)]
	if !ok {
		return nil, keyErrorf(ErrUnsupported, "unsupported PBKDF2 function %s", algorithmName(p.PRF.Algorithm))
	}
	return pbkdf2.Key(prf.hash, string(password), p.Salt, p.Iterations, size)
}

func init() {
	pkcs8.RegisterKDF(oidPBKDF2, func() pkcs8.KDFParameters { return new(pbkdf2Params) })
}

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
	"2.16.840.1.101.3.4.1.6":     "AES-128-GCM",
	"2.16.840.1.101.3.4.1.26":    "AES-192-GCM",
	"2.16.840.1.101.3.4.1.46":    "AES-256-GCM",
	"1.2.840.113549.2.12":        "hmacWithSHA512-224",
	"1.2.840.113549.2.13":        "hmacWithSHA512-256",
	"1.2.840.113549.1.5.3":       "PBES1 pbeWithMD5AndDES-CBC",
	"1.2.840.113549.1.5.10":      "PBES1 pbeWithSHA1AndDES-CBC",
	"1.2.840.113549.1.5.11":      "PBES1 pbeWithSHA1AndRC2-CBC",
	"1.2.840.113549.1.12.1.1":    "PKCS#12 pbeWithSHAAnd128BitRC4",
	"1.2.840.113549.1.12.1.2":    "PKCS#12 pbeWithSHAAnd40BitRC4",
	"1.2.840.113549.1.12.1.3":    "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC",
	"1.2.840.113549.1.12.1.4":    "PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC",
	"1.2.840.113549.1.12.1.5":    "PKCS#12 pbeWithSHAAnd128BitRC2-CBC",
	"1.2.840.113549.1.12.1.6":    "PKCS#12 pbeWithSHAAnd40BitRC2-CBC",
	"1.2.392.200011.61.1.1.1.2":  "Camellia-128-CBC",
	"1.2.392.200011.61.1.1.1.3":  "Camellia-192-CBC",
	"1.2.392.200011.61.1.1.1.4":  "Camellia-256-CBC",
	"1.2.840.113549.3.2":         "RC2-CBC",
	"1.3.14.3.2.7":               "DES-CBC",
	"1.2.410.200004.1.4":         "SEED-CBC",
	"2.16.840.1.101.3.4.1.3":     "AES-128-OFB",
	"1.2.840.113549.1.9.16.3.18": "ChaCha20-Poly1305",
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
// parameters; see validate. For a scheme other than PBES2 (PKCS#12 PBE,
// PBES1) it returns ErrUnsupportedEncryption with an info naming the scheme.
func parsePBES2(der []byte) (*pbes2Info, error) {
	var epki encryptedPrivateKeyInfo
	if err := unmarshalAll(der, &epki, "encrypted private key"); err != nil {
		return nil, err
	}
	if !epki.Algorithm.Algorithm.Equal(oidPBES2) {
		info := &pbes2Info{cipherOID: epki.Algorithm.Algorithm}
		return info, unsupportedEncryption(info.cipherName())
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
		return unmarshalAll(kdf.Parameters.FullBytes, &info.pbkdf2, "PBKDF2 parameters")
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
	case len(info.kdfOID) == 0:
		return ""
	case !info.kdfOID.Equal(oidPBKDF2):
		return algorithmName(info.kdfOID)
	}
	if prf, ok := pbkdf2PRFs[prfOID(info.pbkdf2.PRF)]; ok {
		return prf.name
	}
	return "PBKDF2 with " + algorithmName(info.pbkdf2.PRF.Algorithm)
}

// unsupportedEncryption refuses a key encryption tlskit cannot decrypt; the
// CLI adds the openssl command that converts the key to PBES2 with AES.
func unsupportedEncryption(name string) error {
	return keyErrorf(ErrUnsupportedEncryption, "the key is encrypted with %s, which tlskit cannot decrypt", name)
}

// validate checks everything youmark/pkcs8 trusts blindly: it panics on an IV
// that is not one block or ciphertext that is not whole blocks, and derives
// keys with whatever cost the file asks for.
func (info *pbes2Info) validate() error {
	if info.cipher == nil {
		return unsupportedEncryption(info.cipherName())
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
	return unsupportedEncryption(info.kdfName())
}

func (info *pbes2Info) validatePBKDF2() error {
	p := info.pbkdf2
	if _, ok := pbkdf2PRFs[prfOID(p.PRF)]; !ok {
		return unsupportedEncryption(info.kdfName())
	}
	if err := checkKeyLength(p.KeyLength, info.cipher.keySize); err != nil {
		return err
	}
	if err := CheckIterations(p.Iterations); err != nil {
		return err
	}
	return checkSalt(p.Salt)
}

func (info *pbes2Info) validateScrypt() error {
	p := info.scrypt
	if err := CheckScryptCost(p.N, p.R, p.P); err != nil {
		return err
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
