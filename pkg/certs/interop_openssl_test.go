package certs

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/tlskit/tlskit/internal/testkit"
)

// TestOpenSSLReadsCSRAndSelfSigned covers the recipe: openssl
// verifies the CSR, shows its subject and SANs, and accepts the self-signed
// certificate as its own trust anchor for its CN.
func TestOpenSSLReadsCSRAndSelfSigned(t *testing.T) {
	for _, kind := range []string{"rsa", "p384", "ed25519"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			key := testkit.Key(t, kind)
			testkit.WriteKey(t, dir, "server.key", key)
			subj := `/C=US/ST=California/L=San Francisco/O=Acme, Inc./CN=www.example.com+OU=Web/emailAddress=admin@example.com`
			csr := testCSR(t, key, subj, "www.example.com,example.com", "IP:192.0.2.10")
			testkit.WriteFile(t, dir, "server.csr", EncodePEM("CERTIFICATE REQUEST", csr.Raw))
			out := testkit.OpenSSL(t, dir, "req", "-in", "server.csr", "-noout", "-verify", "-text", "-nameopt", "RFC2253")
			testkit.MustContain(t, "openssl req -text", out,
				"verify OK", // openssl 3 prints "Certificate request self-signature verify OK"
				`emailAddress=admin@example.com,CN=www.example.com+OU=Web,O=Acme\, Inc.,L=San Francisco,ST=California,C=US`,
				"DNS:www.example.com, DNS:example.com, IP Address:192.0.2.10")

			// The string types openssl itself writes for these attributes.
			out = testkit.OpenSSL(t, dir, "asn1parse", "-in", "server.csr")
			testkit.MustContain(t, "openssl asn1parse", out, "PRINTABLESTRING   :US", "UTF8STRING        :Acme, Inc.",
				"IA5STRING         :admin@example.com")

			der, err := SelfSign(csr, key, LeafOptions{Days: 365})
			if err != nil {
				t.Fatal(err)
			}
			testkit.WriteFile(t, dir, "server.crt", EncodePEM("CERTIFICATE", der))
			out = testkit.OpenSSL(t, dir, "verify", "-CAfile", "server.crt", "-verify_hostname", "www.example.com", "server.crt")
			testkit.MustContain(t, "openssl verify", out, "server.crt: OK")
			out = testkit.OpenSSL(t, dir, "x509", "-in", "server.crt", "-noout", "-text")
			testkit.MustContain(t, "openssl x509 -text", out, "Version: 3 (0x2)", "CA:FALSE",
				"TLS Web Server Authentication, TLS Web Client Authentication",
				"X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier", "IP Address:192.0.2.10")
		})
	}
}

// TestOpenSSLVerifiesCASignedLeaf checks tlskit's CA and leaves through
// openssl's own chain building, host and purpose checks.
func TestOpenSSLVerifiesCASignedLeaf(t *testing.T) {
	dir := t.TempDir()
	caKey := testkit.Key(t, "p384")
	caDER, err := CreateCA(caKey, CAOptions{CommonName: "tlskit Test CA", Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	ca := parseCert(t, caDER)
	testkit.WriteFile(t, dir, "ca.crt", EncodePEM("CERTIFICATE", caDER))
	out := testkit.OpenSSL(t, dir, "x509", "-in", "ca.crt", "-noout", "-text")
	testkit.MustContain(t, "openssl x509 -text (CA)", out, "CA:TRUE, pathlen:0", "Certificate Sign, CRL Sign",
		"Digital Signature", "X509v3 Subject Key Identifier", "Subject: CN = tlskit Test CA")

	for _, u := range []struct {
		usage     Usage
		name      string
		good, bad string
	}{
		{UsageServer, "server", "sslserver", "sslclient"},
		{UsageClient, "client", "sslclient", "sslserver"},
		{UsageBoth, "both", "sslserver", ""},
	} {
		t.Run(u.name, func(t *testing.T) {
			csr := testCSR(t, testkit.Key(t, "rsa"), "/CN=api.example.com", "api.example.com,192.0.2.5")
			der, err := SignCSR(csr, ca, caKey, LeafOptions{Days: 365, Usage: u.usage})
			if err != nil {
				t.Fatal(err)
			}
			leaf := u.name + ".crt"
			testkit.WriteFile(t, dir, leaf, EncodePEM("CERTIFICATE", der))
			out := testkit.OpenSSL(t, dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "api.example.com",
				"-purpose", u.good, leaf)
			testkit.MustContain(t, "openssl verify", out, leaf+": OK")
			testkit.OpenSSL(t, dir, "verify", "-CAfile", "ca.crt", "-verify_ip", "192.0.2.5", leaf)
			if u.bad != "" {
				if out, err := testkit.OpenSSLRun(t, dir, "verify", "-CAfile", "ca.crt", "-purpose", u.bad, leaf); err == nil {
					t.Errorf("openssl verify -purpose %s accepted a %s certificate:\n%s", u.bad, u.name, out)
				}
			}
			if out, err := testkit.OpenSSLRun(t, dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "other.example.com", leaf); err == nil {
				t.Errorf("openssl verify accepted a wrong host name:\n%s", out)
			}
			out = testkit.OpenSSL(t, dir, "x509", "-in", leaf, "-noout", "-text")
			testkit.MustContain(t, "openssl x509 -text (leaf)", out, "Issuer: CN = tlskit Test CA", "CA:FALSE",
				"Digital Signature, Key Encipherment", "X509v3 Authority Key Identifier")
		})
	}
}

// TestSignOpenSSLRequest parses a CSR made by openssl req (with a multi-valued
// RDN, an escaped '/', emailAddress and -addext SANs) and issues
// certificates for it that openssl verifies.
func TestSignOpenSSLRequest(t *testing.T) {
	for _, alg := range [][]string{{"RSA", "-pkeyopt", "rsa_keygen_bits:2048"},
		{"EC", "-pkeyopt", "ec_paramgen_curve:P-256"}, {"ED25519"}} {
		t.Run(alg[0], func(t *testing.T) {
			dir := t.TempDir()
			testkit.OpenSSL(t, dir, append([]string{"genpkey", "-out", "o.key", "-algorithm"}, alg...)...)
			testkit.OpenSSL(t, dir, "req", "-new", "-key", "o.key", "-out", "o.csr",
				"-subj", `/C=DE/O=Acme\/Labs/CN=openssl.example.com+OU=Ops/emailAddress=ops@example.com`,
				"-addext", "subjectAltName=DNS:openssl.example.com,IP:127.0.0.1,email:ops@example.com")
			csr, err := ReadCSRFile(filepath.Join(dir, "o.csr"))
			if err != nil {
				t.Fatal(err)
			}
			// DER sorts the values of a multi-valued RDN by their encoding.
			if got := rawSubjectString(t, csr.RawSubject); got !=
				"2.5.4.6=DE/2.5.4.10=Acme/Labs/2.5.4.11=Ops+2.5.4.3=openssl.example.com/1.2.840.113549.1.9.1=ops@example.com" {
				t.Errorf("subject = %s", got)
			}
			key := readPKCS8(t, filepath.Join(dir, "o.key"))
			der, err := SelfSign(csr, key, LeafOptions{Days: 10})
			if err != nil {
				t.Fatal(err)
			}
			testkit.WriteFile(t, dir, "o.crt", EncodePEM("CERTIFICATE", der))
			testkit.OpenSSL(t, dir, "verify", "-CAfile", "o.crt", "-verify_hostname", "openssl.example.com", "-verify_ip", "127.0.0.1", "o.crt")
			out := testkit.OpenSSL(t, dir, "x509", "-in", "o.crt", "-noout", "-subject", "-ext", "subjectAltName")
			testkit.MustContain(t, "openssl x509", out, "OU = Ops + CN = openssl.example.com", `O = Acme/Labs`,
				"DNS:openssl.example.com, email:ops@example.com, IP Address:127.0.0.1")

			caKey := testkit.Key(t, "p256")
			caDER, err := CreateCA(caKey, CAOptions{CommonName: "Interop CA", Days: 10})
			if err != nil {
				t.Fatal(err)
			}
			leafDER, err := SignCSR(csr, parseCert(t, caDER), caKey, LeafOptions{Days: 10})
			if err != nil {
				t.Fatal(err)
			}
			testkit.WriteFile(t, dir, "ca.crt", EncodePEM("CERTIFICATE", caDER))
			testkit.WriteFile(t, dir, "leaf.crt", EncodePEM("CERTIFICATE", leafDER))
			testkit.OpenSSL(t, dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "openssl.example.com", "leaf.crt")
		})
	}
}

func readPKCS8(t *testing.T, path string) crypto.Signer {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("%s: no PEM", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return k.(crypto.Signer)
}

// TestSignWithOpenSSLCA issues a leaf from a CA that openssl made, as for an
// organisation that already has one.
func TestSignWithOpenSSLCA(t *testing.T) {
	dir := t.TempDir()
	testkit.OpenSSL(t, dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key")
	testkit.OpenSSL(t, dir, "req", "-x509", "-new", "-key", "ca.key", "-subj", "/O=Acme/CN=Acme Root", "-days", "30",
		"-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
		"-out", "ca.crt")
	cas, err := ReadCertFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	csr := testCSR(t, testkit.Key(t, "ed25519"), "/CN=svc.example.com", "svc.example.com")
	der, err := SignCSR(csr, cas[0], readPKCS8(t, filepath.Join(dir, "ca.key")), LeafOptions{Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	leaf := parseCert(t, der)
	if !leaf.NotAfter.Equal(cas[0].NotAfter) {
		t.Errorf("NotAfter %v not clipped to the CA's %v", leaf.NotAfter, cas[0].NotAfter)
	}
	testkit.WriteFile(t, dir, "svc.crt", EncodePEM("CERTIFICATE", der))
	out := testkit.OpenSSL(t, dir, "verify", "-CAfile", "ca.crt", "-verify_hostname", "svc.example.com", "svc.crt")
	testkit.MustContain(t, "openssl verify", out, "svc.crt: OK")
	_, err = SignCSR(csr, cas[0], testkit.Key(t, "p256"), LeafOptions{Days: 1})
	testkit.CheckErr(t, err, ErrKeyMismatch)
}
