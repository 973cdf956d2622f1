package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"sync"
	"testing"
)

// testKeys are generated once per test binary: RSA generation is slow.
var testKeys = sync.OnceValue(func() map[string]crypto.Signer {
	keys := map[string]crypto.Signer{}
	for name, spec := range map[string]KeySpec{
		"rsa":     {Algorithm: "rsa"},
		"ecdsa":   {Algorithm: "ecdsa", Curve: "P-384"},
		"ed25519": {Algorithm: "ed25519"},
	} {
		key, err := GenerateKey(spec)
		if err != nil {
			panic(err)
		}
		keys[name] = key
	}
	return keys
})

func TestGenerateKey(t *testing.T) {
	tests := []struct {
		spec  KeySpec
		check func(crypto.Signer) bool
	}{
		{KeySpec{}, isRSA(2048)},
		{KeySpec{Algorithm: "RSA", Bits: 3072}, isRSA(3072)},
		{KeySpec{Algorithm: "ecdsa"}, isCurve("P-256")},
		{KeySpec{Algorithm: "ECDSA", Curve: "p-384"}, isCurve("P-384")},
		{KeySpec{Algorithm: "ec", Curve: "P521"}, isCurve("P-521")},
		{KeySpec{Algorithm: "ecdsa", Curve: "prime256v1"}, isCurve("P-256")},
		{KeySpec{Algorithm: "Ed25519"}, func(k crypto.Signer) bool { _, ok := k.(ed25519.PrivateKey); return ok }},
	}
	for _, tt := range tests {
		key, err := GenerateKey(tt.spec)
		if err != nil {
			t.Fatalf("GenerateKey(%+v): %v", tt.spec, err)
		}
		if !tt.check(key) {
			t.Errorf("GenerateKey(%+v) = %T, wrong kind or size", tt.spec, key)
		}
	}
}

func TestGenerateKeyRSA4096(t *testing.T) {
	if testing.Short() {
		t.Skip("4096-bit RSA generation is slow")
	}
	key, err := GenerateKey(KeySpec{Bits: 4096})
	if err != nil || !isRSA(4096)(key) {
		t.Fatalf("GenerateKey(4096) = %T, %v", key, err)
	}
}

func TestGenerateKeyErrors(t *testing.T) {
	tests := []struct {
		spec KeySpec
		want error
	}{
		{KeySpec{Algorithm: "dsa"}, ErrUnknownAlgorithm},
		{KeySpec{Algorithm: "rsa", Bits: 1024}, ErrWeakKey},
		{KeySpec{Algorithm: "rsa", Bits: 512}, ErrWeakKey},
		{KeySpec{Algorithm: "rsa", Bits: 2500}, ErrUnsupported},
		{KeySpec{Algorithm: "rsa", Bits: 8192}, ErrUnsupported},
		{KeySpec{Algorithm: "ecdsa", Curve: "P-224"}, ErrUnknownCurve},
		{KeySpec{Algorithm: "ecdsa", Curve: "secp256k1"}, ErrUnknownCurve},
	}
	for _, tt := range tests {
		_, err := GenerateKey(tt.spec)
		if !errors.Is(err, tt.want) {
			t.Errorf("GenerateKey(%+v) error = %v, want %v", tt.spec, err, tt.want)
		}
	}
}

func isRSA(bits int) func(crypto.Signer) bool {
	return func(k crypto.Signer) bool {
		r, ok := k.(*rsa.PrivateKey)
		return ok && r.N.BitLen() == bits
	}
}

func isCurve(name string) func(crypto.Signer) bool {
	return func(k crypto.Signer) bool {
		e, ok := k.(*ecdsa.PrivateKey)
		return ok && e.Curve.Params().Name == name
	}
}

func TestKeySpecValidate(t *testing.T) {
	tests := []struct {
		spec KeySpec
		want error
	}{
		{KeySpec{}, nil},
		{KeySpec{Algorithm: "rsa", Bits: 4096}, nil},
		{KeySpec{Algorithm: "RSA", Bits: 1024}, ErrWeakKey},
		{KeySpec{Algorithm: "rsa", Bits: 3000}, ErrUnsupported},
		{KeySpec{Algorithm: "ecdsa", Curve: "P-999"}, ErrUnknownCurve},
		{KeySpec{Algorithm: "ec", Curve: "secp384r1"}, nil},
		{KeySpec{Algorithm: "ed25519"}, nil},
		{KeySpec{Algorithm: "dsa"}, ErrUnknownAlgorithm},
	}
	for _, tt := range tests {
		err := tt.spec.Validate()
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("%+v.Validate() = %v, want %v", tt.spec, err, tt.want)
		}
	}
}
