package keys

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
)

// go-pkcs12 reports neither the algorithms of a file nor its iteration counts,
// and derives keys with whatever counts the file asks for. DescribeP12 walks
// the outer structure read-only, in bounded steps, to name the algorithms and
// to refuse absurd counts before go-pkcs12 runs. Bags inside an encrypted safe
// are out of its sight; they are reached only after the MAC has been checked
// with the user's password, so only someone who knows it can set their counts.

// Bounds on a PKCS#12 file's structure; real files have one or two safes and
// a handful of bags (a large Java truststore, a few hundred).
const (
	MaxP12File = 4 << 20
	maxP12Safe = 16
	maxP12Bags = 4096
)

// P12Profile values DescribeP12 reports beyond the ones tlskit writes.
const (
	P12LegacyRC2  = "legacy-rc2"  // certificates under 40-bit RC2: openssl 1.1's default, openssl 3 needs -legacy
	P12Modern2026 = "modern-2026" // PBMAC1: openssl 3.4, Java 26
)

// P12Info describes how a PKCS#12 file is protected, read without its
// password.
type P12Info struct {
	MAC           string          // "HMAC-SHA-256", "HMAC-SHA-1", "PBMAC1 ..."; "" for none
	MACIterations int             // key derivation iterations of the MAC
	Encryptions   []P12Encryption // every encryption visible from outside
	KeyBags       int             // key bags outside encrypted safes
	CertBags      int             // certificate bags outside encrypted safes
	TrustStore    bool            // visible certificates are all marked as Java trust anchors
	Profile       string          // P12Modern, P12Legacy, P12Passwordless, P12LegacyRC2, P12Modern2026 or ""
}

// P12Encryption is one encryption in a PKCS#12 file.
type P12Encryption struct {
	Of         string `json:"of"`        // "safe" (usually the certificates) or "key"
	Algorithm  string `json:"algorithm"` // "PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256", "pbeWithSHAAnd3-KeyTripleDES-CBC", ...
	Iterations int    `json:"iterations"`
}

var (
	oidDataContent      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedContent = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}
	oidKeyBag           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidJavaTrusted      = asn1.ObjectIdentifier{2, 16, 840, 1, 113894, 746875, 1, 1}
	oidPBMAC1           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 14}
)

var p12Names = map[string]string{
	"1.3.14.3.2.26":           "HMAC-SHA-1",
	"2.16.840.1.101.3.4.2.1":  "HMAC-SHA-256",
	"2.16.840.1.101.3.4.2.2":  "HMAC-SHA-384",
	"2.16.840.1.101.3.4.2.3":  "HMAC-SHA-512",
	"1.2.840.113549.1.12.1.3": "pbeWithSHAAnd3-KeyTripleDES-CBC",
	"1.2.840.113549.1.12.1.5": "pbeWithSHAAnd128BitRC2-CBC",
	"1.2.840.113549.1.12.1.6": "pbeWithSHAAnd40BitRC2-CBC",
}

type p12PFX struct {
	Version  int
	AuthSafe p12ContentInfo
	MacData  p12MacData `asn1:"optional"`
}

type p12ContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"tag:0,explicit,optional"`
}

type p12MacData struct {
	Mac struct {
		Algorithm pkix.AlgorithmIdentifier
		Digest    []byte
	}
	MacSalt    []byte
	Iterations int `asn1:"optional,default:1"`
}

type p12EncryptedData struct {
	Version int
	Info    struct {
		ContentType asn1.ObjectIdentifier
		Algorithm   pkix.AlgorithmIdentifier
		Content     asn1.RawValue `asn1:"tag:0,optional"`
	}
}

type p12SafeBag struct {
	ID         asn1.ObjectIdentifier
	Value      asn1.RawValue `asn1:"tag:0,explicit"`
	Attributes []struct {
		ID     asn1.ObjectIdentifier
		Values asn1.RawValue `asn1:"set"`
	} `asn1:"set,optional"`
}

type pbeParams struct {
	Salt       []byte
	Iterations int
}

// IsP12 reports whether data looks like a PKCS#12 file (a DER PFX, version 3).
func IsP12(data []byte) bool {
	var pfx p12PFX
	_, err := asn1.Unmarshal(data, &pfx)
	return err == nil && pfx.Version == 3 && pfx.AuthSafe.ContentType.Equal(oidDataContent)
}

// DescribeP12 reports how a PKCS#12 file is protected and which profile it
// matches, without a password. Errors wrap ErrMalformed, ErrUnsupported or
// ErrUnsafeParams (an iteration count over 10,000,000, which decoding would
// spend minutes on).
func DescribeP12(data []byte) (P12Info, error) {
	if len(data) > MaxP12File {
		return P12Info{}, keyErrorf(ErrMalformed, "malformed PKCS#12 file: over %d MiB", MaxP12File>>20)
	}
	var pfx p12PFX
	if err := unmarshalAll(data, &pfx, "PKCS#12 file"); err != nil {
		return P12Info{}, err
	}
	if pfx.Version != 3 || !pfx.AuthSafe.ContentType.Equal(oidDataContent) {
		return P12Info{}, keyErrorf(ErrUnsupported, "unsupported PKCS#12 file: version %d, content %s (want 3, data)",
			pfx.Version, pfx.AuthSafe.ContentType)
	}
	var info P12Info
	if err := info.readMAC(pfx.MacData); err != nil {
		return P12Info{}, err
	}
	if err := info.readAuthSafe(pfx.AuthSafe.Content.Bytes); err != nil {
		return P12Info{}, err
	}
	info.Profile = info.profile()
	return info, nil
}

func (info *P12Info) readMAC(mac p12MacData) error {
	alg := mac.Mac.Algorithm
	if len(alg.Algorithm) == 0 {
		return nil
	}
	info.MAC, info.MACIterations = p12Name(alg.Algorithm), mac.Iterations
	if alg.Algorithm.Equal(oidPBMAC1) {
		var params struct{ KDF, MAC pkix.AlgorithmIdentifier }
		if err := unmarshalAll(alg.Parameters.FullBytes, &params, "PBMAC1 parameters"); err != nil {
			return err
		}
		kdf, err := pbes2AlgorithmInfo(params.KDF, params.MAC)
		if err != nil {
			return err
		}
		info.MAC, info.MACIterations = "PBMAC1 "+kdf.kdfName(), kdf.pbkdf2.Iterations
	}
	return checkP12Iterations(info.MACIterations, "MAC")
}

func checkP12Iterations(n int, what string) error {
	if n < 1 || n > MaxPBKDF2Iterations {
		return keyErrorf(ErrUnsafeParams, "PKCS#12 %s iteration count %d out of range (1..%d)", what, n, MaxPBKDF2Iterations)
	}
	return nil
}

// readAuthSafe reads the content of the outer data: an OCTET STRING holding
// the sequence of safes.
func (info *P12Info) readAuthSafe(content []byte) error {
	var octets []byte
	if err := unmarshalAll(content, &octets, "PKCS#12 authenticated safe"); err != nil {
		return err
	}
	var safes []p12ContentInfo
	if err := unmarshalAll(octets, &safes, "PKCS#12 authenticated safe"); err != nil {
		return err
	}
	if len(safes) == 0 || len(safes) > maxP12Safe {
		return keyErrorf(ErrMalformed, "malformed PKCS#12 file: %d safes (want 1..%d)", len(safes), maxP12Safe)
	}
	for _, safe := range safes {
		if err := info.readSafe(safe); err != nil {
			return err
		}
	}
	return nil
}

func (info *P12Info) readSafe(safe p12ContentInfo) error {
	switch {
	case safe.ContentType.Equal(oidDataContent):
		var bags []byte
		if err := unmarshalAll(safe.Content.Bytes, &bags, "PKCS#12 safe"); err != nil {
			return err
		}
		return info.readBags(bags)
	case safe.ContentType.Equal(oidEncryptedContent):
		var ed p12EncryptedData
		if err := unmarshalAll(safe.Content.Bytes, &ed, "PKCS#12 encrypted safe"); err != nil {
			return err
		}
		return info.addEncryption("safe", ed.Info.Algorithm)
	}
	return keyErrorf(ErrUnsupported, "unsupported PKCS#12 safe of type %s (only data and encrypted data)", safe.ContentType)
}

func (info *P12Info) readBags(der []byte) error {
	var bags []p12SafeBag
	if err := unmarshalAll(der, &bags, "PKCS#12 safe contents"); err != nil {
		return err
	}
	if info.KeyBags+info.CertBags+len(bags) > maxP12Bags {
		return keyErrorf(ErrMalformed, "malformed PKCS#12 file: more than %d bags", maxP12Bags)
	}
	for _, bag := range bags {
		if err := info.readBag(bag); err != nil {
			return err
		}
	}
	return nil
}

func (info *P12Info) readBag(bag p12SafeBag) error {
	switch {
	case bag.ID.Equal(oidKeyBag):
		info.KeyBags++
	case bag.ID.Equal(oidShroudedKeyBag):
		info.KeyBags++
		var epki encryptedPrivateKeyInfo
		if err := unmarshalAll(bag.Value.Bytes, &epki, "PKCS#12 shrouded key"); err != nil {
			return err
		}
		return info.addEncryption("key", epki.Algorithm)
	case bag.ID.Equal(oidCertBag):
		info.CertBags++
		info.TrustStore = (info.CertBags == 1 || info.TrustStore) && hasTrustAttribute(bag)
	}
	return nil
}

func hasTrustAttribute(bag p12SafeBag) bool {
	for _, a := range bag.Attributes {
		if a.ID.Equal(oidJavaTrusted) {
			return true
		}
	}
	return false
}

// addEncryption names a PKCS#12 PBE or PBES2 algorithm and bounds its count.
func (info *P12Info) addEncryption(of string, alg pkix.AlgorithmIdentifier) error {
	e := P12Encryption{Of: of, Algorithm: p12Name(alg.Algorithm)}
	if alg.Algorithm.Equal(oidPBES2) {
		var params pbes2Params
		if err := unmarshalAll(alg.Parameters.FullBytes, &params, "PBES2 parameters"); err != nil {
			return err
		}
		p, err := pbes2AlgorithmInfo(params.KDF, params.Scheme)
		if err != nil {
			return err
		}
		e.Algorithm = fmt.Sprintf("PBES2 %s, %s", p.cipherName(), p.kdfName())
		e.Iterations = p.pbkdf2.Iterations
		if !p.kdfOID.Equal(oidPBKDF2) {
			return keyErrorf(ErrUnsupported, "unsupported PKCS#12 key derivation %s", p.kdfName())
		}
	} else if _, known := p12Names[alg.Algorithm.String()]; known {
		var params pbeParams
		if err := unmarshalAll(alg.Parameters.FullBytes, &params, "PKCS#12 PBE parameters"); err != nil {
			return err
		}
		e.Iterations = params.Iterations
	} else {
		return keyErrorf(ErrUnsupported, "unsupported PKCS#12 encryption %s", algorithmName(alg.Algorithm))
	}
	info.Encryptions = append(info.Encryptions, e)
	return checkP12Iterations(e.Iterations, of+" encryption")
}

// pbes2AlgorithmInfo reads a PBES2 (or PBMAC1) KDF and scheme without
// judging them.
func pbes2AlgorithmInfo(kdf, scheme pkix.AlgorithmIdentifier) (*pbes2Info, error) {
	info := &pbes2Info{kdfOID: kdf.Algorithm}
	if err := info.parseScheme(scheme); err != nil {
		return nil, err
	}
	return info, info.parseKDF(kdf)
}

func p12Name(oid asn1.ObjectIdentifier) string {
	if name, ok := p12Names[oid.String()]; ok {
		return name
	}
	return algorithmName(oid)
}

// profile names the go-pkcs12 encoder (or openssl default) whose choices
// the file matches.
func (info *P12Info) profile() string {
	algs := map[string]bool{}
	for _, e := range info.Encryptions {
		algs[e.Algorithm] = true
	}
	only := func(names ...string) bool {
		for _, n := range names {
			delete(algs, n)
		}
		return len(algs) == 0
	}
	const aes = "PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256"
	switch {
	case info.MAC == "" && len(info.Encryptions) == 0:
		return P12Passwordless
	case info.MAC == "HMAC-SHA-256" && only(aes):
		return P12Modern
	case strings.HasPrefix(info.MAC, "PBMAC1") && only(aes):
		return P12Modern2026
	case info.MAC != "HMAC-SHA-1":
		return ""
	case algs["pbeWithSHAAnd40BitRC2-CBC"] && only("pbeWithSHAAnd40BitRC2-CBC", "pbeWithSHAAnd3-KeyTripleDES-CBC"):
		return P12LegacyRC2
	case only("pbeWithSHAAnd3-KeyTripleDES-CBC"):
		return P12Legacy
	}
	return ""
}
