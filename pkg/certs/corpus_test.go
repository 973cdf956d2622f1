package certs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/keys"
)

// corpusDir holds keys, requests and certificates made by openssl, certtool,
// Python cryptography, node and keytool (testdata/README.md says how), so that
// reading them is tested without those tools installed.
const corpusDir = "../../testdata"

const corpusPass = "tlskit-test"

// corpusCase is what reading one corpus file must give: a key of algorithm
// want, a certificate or request with Common Name want, or err with the exact
// message msg.
type corpusCase struct {
	want string
	err  error
	msg  string
}

func refusedKey(name string) corpusCase {
	return corpusCase{err: keys.ErrUnusableKey, msg: "the key is " + name + ", which tlskit cannot use for TLS"}
}

func undecryptable(scheme string) corpusCase {
	return corpusCase{err: keys.ErrUnsupportedEncryption,
		msg: "the key is encrypted with " + scheme + ", which tlskit cannot decrypt"}
}

var corpusKeys = map[string]corpusCase{
	"certtool-ec-3des-pkcs12.key":  undecryptable("PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC"),
	"certtool-ed25519.key":         {want: "Ed25519"},
	"certtool-rsa-aes256.key":      {want: "RSA 2048"},
	"node-ec-des-ede3.key":         {want: "ECDSA P-256"},
	"node-ec-p521-sec1.key":        {want: "ECDSA P-521"},
	"node-ed25519-aes128.key":      {want: "Ed25519"},
	"node-rsa-aes256.key":          {want: "RSA 2048"},
	"node-rsa-pss-enc.key":         refusedKey("RSA-PSS"),
	"node-x25519.key":              refusedKey("X25519"),
	"openssl-ec-camellia256.key":   undecryptable("Camellia-256-CBC"),
	"openssl-ec-pbe-sha1-3des.key": undecryptable("PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC"),
	"openssl-ec-pbkdf2-sha384.key": {want: "ECDSA P-256"},
	"openssl-ec-pbkdf2-sha512.key": {want: "ECDSA P-256"},
	"openssl-ed448-enc.key":        refusedKey("Ed448"),
	"openssl-ed448.key":            refusedKey("Ed448"),
	"openssl-p224-sec1.key":        refusedKey("ECDSA P-224"),
	"openssl-p224.key":             refusedKey("ECDSA P-224"),
	"openssl-rsa-pss-enc.key":      refusedKey("RSA-PSS"),
	"openssl-rsa-pss.key":          refusedKey("RSA-PSS"),
	"openssl-secp256k1-enc.key":    refusedKey("ECDSA secp256k1"),
	"openssl-secp256k1-sec1.key":   refusedKey("ECDSA secp256k1"),
	"openssl-secp256k1.key":        refusedKey("ECDSA secp256k1"),
	"openssl-x25519-enc.key":       refusedKey("X25519"),
	"openssl-x25519.key":           refusedKey("X25519"),
	"openssl-x448.key":             refusedKey("X448"),
	"python-ec-p384-enc.key":       {want: "ECDSA P-384"},
	"python-ed25519.key":           {want: "Ed25519"},
	"python-rsa-pkcs1.key":         {want: "RSA 2048"},
}

var corpusCerts = map[string]corpusCase{
	"certtool-ec.crt":      {want: "certtool.example.com"},
	"keytool-ec.crt":       {want: "keytool.example.com"},
	"keytool-ec.crt.der":   {want: "keytool.example.com"},
	"openssl-ec.crt.der":   {want: "www.example.com"},
	"python-ec-p384.crt":   {want: "python.example.com"},
	"certtool-ec.csr":      {want: "certtool.example.com"},
	"keytool-ec.csr":       {want: "keytool.example.com"},
	"openssl-ec.csr.der":   {want: "www.example.com"},
	"openssl-ec-nosan.csr": {want: "nosan.example.com"},
	"python-ec-p384.csr":   {want: "python.example.com"},
	"openssl-rsa-pss.csr": {err: ErrUnsupported, msg: "unsupported format or algorithm: the request's key is RSA-PSS, " +
		"which tlskit cannot check or issue a certificate for"},
}

func TestCorpusKeys(t *testing.T) {
	for name, tt := range corpusKeys {
		data := readCorpus(t, name)
		key, err := keys.ParseKeyPEM(data, func() ([]byte, error) { return []byte(corpusPass), nil })
		got := ""
		if err == nil {
			got = keys.DescribePublicKey(key.Public()).String()
		}
		tt.check(t, name, got, err)
		// inspect describes every key, even one tlskit cannot load.
		if _, err := Inspect(data, time.Now()); err != nil {
			t.Errorf("%s: Inspect: %v", name, err)
		}
	}
}

func TestCorpusCertsAndRequests(t *testing.T) {
	for name, tt := range corpusCerts {
		path := filepath.Join(corpusDir, name)
		var cn string
		var err error
		if strings.Contains(name, ".csr") {
			csr, cerr := ReadCSRFile(path)
			if err = cerr; err == nil {
				cn = csr.Subject.CommonName
			}
		} else {
			chain, cerr := ReadCertFile(path)
			if err = cerr; err == nil {
				cn = chain[0].Subject.CommonName
			}
		}
		if err != nil {
			err = errors.Unwrap(err) // drop the file name ReadCSRFile adds
		}
		tt.check(t, name, cn, err)
		if _, err := Inspect(readCorpus(t, name), time.Now()); err != nil {
			t.Errorf("%s: Inspect: %v", name, err)
		}
	}
}

func (tt corpusCase) check(t *testing.T, name, got string, err error) {
	t.Helper()
	switch {
	case tt.err == nil && err != nil:
		t.Errorf("%s: %v, want %s", name, err, tt.want)
	case tt.err == nil && got != tt.want:
		t.Errorf("%s: got %q, want %q", name, got, tt.want)
	case tt.err != nil && (!errors.Is(err, tt.err) || err.Error() != tt.msg):
		t.Errorf("%s: error %v,\nwant %q (%v)", name, err, tt.msg, tt.err)
	}
}

func readCorpus(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCorpusComplete fails when a file is added to testdata/ without an
// expected outcome here (PKCS#12 files have their own test).
func TestCorpusComplete(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		_, isKey := corpusKeys[name]
		_, isCert := corpusCerts[name]
		switch {
		case isKey || isCert:
			n++
		case strings.HasSuffix(name, ".key") || strings.Contains(name, ".crt") || strings.Contains(name, ".csr"):
			t.Errorf("%s has no expected outcome in corpus_test.go", name)
		}
	}
	if n != len(corpusKeys)+len(corpusCerts) {
		t.Errorf("found %d of the %d corpus files", n, len(corpusKeys)+len(corpusCerts))
	}
}
