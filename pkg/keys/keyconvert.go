package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
)

// Unencrypted key formats MarshalKey writes.
const (
	FormatPKCS8 = "pkcs8"
	FormatPKCS1 = "pkcs1" // RSA only
	FormatSEC1  = "sec1"  // ECDSA only
)

// MarshalKey encodes key unencrypted in format (FormatPKCS8, FormatPKCS1 or
// FormatSEC1), as PEM or, with der, as raw DER. PKCS#1 holds only RSA keys
// and SEC1 only ECDSA keys; asking for another pairing fails with
// ErrUnsupported naming the key and the format that fits it. Encrypted output
// is MarshalKeyPEM's job: Go deprecates the legacy PEM encryption of PKCS#1
// and SEC1 as insecure by design, and DER has no place for PBES2 here.
func MarshalKey(key crypto.Signer, format string, der bool) ([]byte, error) {
	typ, body, err := marshalKeyDER(key, strings.ToLower(format))
	if err != nil || der {
		return body, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: body}), nil
}

func marshalKeyDER(key crypto.Signer, format string) (pemType string, der []byte, err error) {
	switch format {
	case FormatPKCS8:
		der, err = x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return "", nil, keyErrorf(ErrUnsupported, "cannot encode %s as PKCS#8: %v", keyName(key), err)
		}
		return "PRIVATE KEY", der, nil
	case FormatPKCS1:
		if k, ok := key.(*rsa.PrivateKey); ok {
			return "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k), nil
		}
	case FormatSEC1:
		if k, ok := key.(*ecdsa.PrivateKey); ok {
			der, err = x509.MarshalECPrivateKey(k)
			return "EC PRIVATE KEY", der, err
		}
	default:
		return "", nil, keyErrorf(ErrUnsupported, "unknown key format %q (want pkcs8, pkcs1 or sec1)", format)
	}
	return "", nil, formatMismatch(key, format)
}

func formatMismatch(key crypto.Signer, format string) error {
	holds := map[string]string{FormatPKCS1: "PKCS#1 holds only RSA keys", FormatSEC1: "SEC1 holds only ECDSA keys"}[format]
	fits := "pkcs8"
	switch key.(type) {
	case *rsa.PrivateKey:
		fits = "pkcs1 or pkcs8"
	case *ecdsa.PrivateKey:
		fits = "sec1 or pkcs8"
	}
	return keyErrorf(ErrUnsupported, "%s: this key is %s (use %s)", holds, keyName(key), fits)
}

// keyName names a key's algorithm and size, such as "RSA 2048" or "ECDSA P-256".
func keyName(key crypto.Signer) string {
	return DescribePublicKey(key.Public()).String()
}

// MarshalPublicKey encodes pub as a SubjectPublicKeyInfo, the form openssl
// pkey -pubout writes ("PUBLIC KEY" PEM), or as its DER with der.
func MarshalPublicKey(pub crypto.PublicKey, der bool) ([]byte, error) {
	body, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, keyErrorf(ErrUnsupported, "cannot encode %T as a public key: %v", pub, err)
	}
	if der {
		return body, nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: body}), nil
}
