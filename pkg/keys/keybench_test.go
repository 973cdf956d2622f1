package keys

import "testing"

var benchEncryptions = []struct {
	name string
	enc  Encryption
}{
	{"pbkdf2-default", Encryption{}},
	{"pbkdf2-1000", fastPBKDF2},
	{"scrypt", Encryption{KDF: "scrypt"}},
}

func BenchmarkMarshalKeyPEM(b *testing.B) {
	key := testKeys()["ecdsa"]
	for _, e := range benchEncryptions {
		b.Run(e.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := MarshalKeyPEM(key, testPass, e.enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseKeyPEM(b *testing.B) {
	key := testKeys()["ecdsa"]
	pass := passFunc(string(testPass))
	for _, e := range benchEncryptions {
		data := mustMarshal(b, key, testPass, e.enc)
		b.Run(e.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ParseKeyPEM(data, pass); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
