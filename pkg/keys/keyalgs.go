package keys

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
)

// Key algorithms and curves that openssl, GnuTLS, Python cryptography and node
// write but tlskit cannot use for TLS: crypto/tls signs only with RSA
// (PKCS#1 v1.5 and PSS from an rsaEncryption key), ECDSA on P-256, P-384 and
// P-521, and Ed25519. Named so that a refusal says which key it is.
var foreignKeyAlgorithms = map[string]string{
	"1.3.101.110": "X25519", "1.3.101.111": "X448", "1.3.101.113": "Ed448",
	"1.2.840.10040.4.1": "DSA", "1.2.840.113549.1.1.10": "RSA-PSS",
	"1.2.840.113549.1.3.1": "DH", "1.2.840.10046.2.1": "DH (X9.42)", "1.2.156.10197.1.301": "SM2",
}

var foreignCurves = map[string]string{
	"1.3.132.0.10": "secp256k1", "1.3.132.0.33": "P-224",
	"1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1",
	"1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1", "1.2.156.10197.1.301": "SM2",
}

// tlsCurves are the ECDSA curves crypto/tls signs with.
var tlsCurves = map[string]bool{"P-256": true, "P-384": true, "P-521": true}

// oidName names oid from names, or spells the OID out.
func oidName(names map[string]string, oid asn1.ObjectIdentifier) string {
	if name, ok := names[oid.String()]; ok {
		return name
	}
	return "OID " + oid.String()
}

// unusableKeyError refuses a key tlskit recognises but cannot use.
func unusableKeyError(name string) error {
	return keyErrorf(ErrUnusableKey, "the key is %s, which tlskit cannot use for TLS", name)
}

// foreignPKCS8 names the algorithm of a PrivateKeyInfo that crypto/x509 does
// not load, or of an EC key on a curve crypto/tls does not use; ok is false
// for the algorithms tlskit uses and for DER that is not a PrivateKeyInfo.
func foreignPKCS8(der []byte) (info KeyInfo, ok bool) {
	var pki privateKeyInfo
	if rest, err := asn1.Unmarshal(der, &pki); err != nil || len(rest) != 0 {
		return KeyInfo{}, false
	}
	return foreignAlgorithm(pki.Algorithm, "PKCS#8")
}

// foreignAlgorithm names the key algorithm alg, from a PrivateKeyInfo or a
// SubjectPublicKeyInfo, when tlskit cannot use it.
func foreignAlgorithm(alg pkix.AlgorithmIdentifier, format string) (KeyInfo, bool) {
	switch {
	case alg.Algorithm.Equal(oidKeyEC):
		return foreignCurve(alg.Parameters.FullBytes, format)
	case alg.Algorithm.Equal(oidKeyRSA) || alg.Algorithm.Equal(oidKeyEd25519):
		return KeyInfo{}, false
	}
	return KeyInfo{Format: format, Algorithm: oidName(foreignKeyAlgorithms, alg.Algorithm), Unsupported: true}, true
}

// DescribeSPKI describes a DER SubjectPublicKeyInfo (a certificate's or a
// request's RawSubjectPublicKeyInfo). A key tlskit cannot use is named, with
// Unsupported set, where crypto/x509 would leave it unknown.
func DescribeSPKI(der []byte) PublicKeyInfo {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, err := asn1.Unmarshal(der, &spki); err == nil && len(rest) == 0 {
		if info, ok := foreignAlgorithm(spki.Algorithm, "SPKI"); ok {
			return PublicKeyInfo{Algorithm: info.Algorithm, Curve: info.Curve, Unsupported: true}
		}
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return PublicKeyInfo{Algorithm: "unknown", Unsupported: true}
	}
	return DescribePublicKey(pub)
}

// foreignCurve names the curve of EC parameters (a named curve OID) that is
// not one crypto/tls uses.
func foreignCurve(params []byte, format string) (KeyInfo, bool) {
	var curve asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(params, &curve); err != nil || len(rest) != 0 {
		return KeyInfo{}, false
	}
	name := oidName(foreignCurves, curve)
	if tlsCurves[name] || isTLSCurveOID(curve) {
		return KeyInfo{}, false
	}
	return KeyInfo{Format: format, Algorithm: "ECDSA", Curve: name, Unsupported: true}, true
}

var tlsCurveOIDs = []asn1.ObjectIdentifier{
	{1, 2, 840, 10045, 3, 1, 7}, {1, 3, 132, 0, 34}, {1, 3, 132, 0, 35}, // P-256, P-384, P-521
}

func isTLSCurveOID(oid asn1.ObjectIdentifier) bool {
	for _, c := range tlsCurveOIDs {
		if c.Equal(oid) {
			return true
		}
	}
	return false
}

// sec1Key is the outer SEC1 ECPrivateKey structure (RFC 5915), read to name
// a curve crypto/x509 does not know.
type sec1Key struct {
	Version    int
	PrivateKey []byte
	Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	PublicKey  asn1.BitString        `asn1:"optional,explicit,tag:1"`
}

// foreignSEC1 names the curve of a SEC1 key that crypto/x509 cannot load or
// crypto/tls cannot use.
func foreignSEC1(der []byte) (KeyInfo, bool) {
	var k sec1Key
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) != 0 || len(k.Curve) == 0 {
		return KeyInfo{}, false
	}
	params, err := asn1.Marshal(k.Curve)
	if err != nil {
		return KeyInfo{}, false
	}
	return foreignCurve(params, "SEC1")
}

// foreignKeyError is the refusal of der, a decoded key of the given PEM type,
// when it is of an algorithm tlskit recognises but cannot use; nil otherwise.
func foreignKeyError(pemType string, der []byte) error {
	if info, ok := foreignKey(pemType, der); ok {
		return unusableKeyError(PublicKeyInfo{Algorithm: info.Algorithm, Curve: info.Curve}.String())
	}
	return nil
}

// foreignKey describes der, a decoded key of the given PEM type, when it is
// of an algorithm tlskit recognises but cannot use.
func foreignKey(pemType string, der []byte) (KeyInfo, bool) {
	switch pemType {
	case "PRIVATE KEY":
		return foreignPKCS8(der)
	case "EC PRIVATE KEY":
		return foreignSEC1(der)
	}
	return KeyInfo{}, false
}

// privateKeyInfo is the outer PKCS#8 structure, read to name the algorithm.
type privateKeyInfo struct {
	Version    int
	Algorithm  pkix.AlgorithmIdentifier
	PrivateKey []byte
}
