package keys

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"testing"
)

func TestMarshalKeyRoundTrip(t *testing.T) {
	tests := []struct {
		alg, format, pemType string
	}{
		{"rsa", FormatPKCS8, "PRIVATE KEY"},
		{"rsa", FormatPKCS1, "RSA PRIVATE KEY"},
		{"ecdsa", FormatSEC1, "EC PRIVATE KEY"},
		{"ecdsa", FormatPKCS8, "PRIVATE KEY"},
		{"ed25519", FormatPKCS8, "PRIVATE KEY"},
	}
	for _, tt := range tests {
		key := testKeys()[tt.alg]
		data, err := MarshalKey(key, tt.format, false)
		if err != nil {
			t.Fatalf("%s as %s: %v", tt.alg, tt.format, err)
		}
		block, _ := pem.Decode(data)
		if block == nil || block.Type != tt.pemType {
			t.Fatalf("%s as %s: PEM type is not %q:\n%s", tt.alg, tt.format, tt.pemType, data)
		}
		der, err := MarshalKey(key, tt.format, true)
		if err != nil || string(der) != string(block.Bytes) {
			t.Errorf("%s as %s: DER differs from the PEM body (%v)", tt.alg, tt.format, err)
		}
		back, err := parsePlain(block.Type, block.Bytes)
		if err != nil || !back.(equaler).Equal(key) {
			t.Errorf("%s as %s: parsed back %v, %v", tt.alg, tt.format, back, err)
		}
	}
}

func TestMarshalKeyRefusesMismatch(t *testing.T) {
	tests := []struct {
		alg, format, want string
	}{
		{"ecdsa", FormatPKCS1, "PKCS#1 holds only RSA keys: this key is ECDSA P-384 (use sec1 or pkcs8)"},
		{"ed25519", FormatPKCS1, "PKCS#1 holds only RSA keys: this key is Ed25519 (use pkcs8)"},
		{"rsa", FormatSEC1, "SEC1 holds only ECDSA keys: this key is RSA 2048 (use pkcs1 or pkcs8)"},
		{"rsa", "pkcs12", `unknown key format "pkcs12" (want pkcs8, pkcs1 or sec1)`},
	}
	for _, tt := range tests {
		_, err := MarshalKey(testKeys()[tt.alg], tt.format, false)
		if !errors.Is(err, ErrUnsupported) || err.Error() != tt.want {
			t.Errorf("%s as %s: error %v, want ErrUnsupported %q", tt.alg, tt.format, err, tt.want)
		}
	}
}

func TestMarshalPublicKey(t *testing.T) {
	for alg, key := range testKeys() {
		data, err := MarshalPublicKey(key.Public(), false)
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(data)
		if block == nil || block.Type != "PUBLIC KEY" {
			t.Fatalf("%s: not a PUBLIC KEY PEM:\n%s", alg, data)
		}
		pub, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil || !PublicKeysEqual(key.Public(), pub) {
			t.Errorf("%s: public key parsed back as %v, %v", alg, pub, err)
		}
	}
	if _, err := MarshalPublicKey("not a key", true); !errors.Is(err, ErrUnsupported) {
		t.Errorf("error %v, want ErrUnsupported", err)
	}
}

func TestCheckKeyPair(t *testing.T) {
	k := testKeys()
	other, err := GenerateKey(KeySpec{Algorithm: "ecdsa", Curve: "P-384"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pub  any
		want string
	}{
		{"same", k["ecdsa"].Public(), ""},
		{"other algorithm", k["rsa"].Public(), "the key is ECDSA P-384, the certificate's key is RSA 2048"},
		{"same kind, other key", other.Public(), "both are ECDSA P-384 keys, but the certificate holds a different one"},
	}
	for _, tt := range tests {
		err := CheckKeyPair(k["ecdsa"], tt.pub, "the certificate")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (!errors.Is(err, ErrKeyMismatch) || err.Error() != tt.want):
			t.Errorf("%s: error %v, want ErrKeyMismatch %q", tt.name, err, tt.want)
		}
	}
}
