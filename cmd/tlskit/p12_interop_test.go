package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// p12Consumer opens a PKCS#12 file made by tlskit and reports whether it
// found what the file should hold: the key and its certificate, or, for a
// truststore, the trusted certificate.
type p12Consumer func(t *testing.T, dir, file, pass string, trust bool) bool

// TestP12Consumers makes each p12 profile with tlskit and has every real
// consumer read it. The table is the one in docs/keys.md: a consumer that
// starts or stops reading a profile fails this test.
func TestP12Consumers(t *testing.T) {
	dir := p12TestPKI(t)
	consumers := map[string]p12Consumer{
		"openssl": opensslP12(false), "openssl -legacy": opensslP12(true),
		"keytool": keytoolP12, "python": pythonP12, "certtool": certtoolP12,
	}
	all := map[string]bool{"openssl": true, "openssl -legacy": true, "keytool": true, "python": true, "certtool": true}
	tests := []struct {
		name  string
		args  []string
		trust bool
		reads map[string]bool
	}{
		{"modern", []string{"p12", "export", "--passout", "env:TOOLKIT_TEST_PASS"}, false, all},
		{"legacy", []string{"p12", "export", "--profile", "legacy", "--passout", "env:TOOLKIT_TEST_PASS"}, false, all},
		{"passwordless", []string{"p12", "export", "--no-password"}, false,
			map[string]bool{"openssl": true, "openssl -legacy": true, "python": true}},
		{"truststore", []string{"p12", "truststore", "--passout", "env:TOOLKIT_TEST_PASS", "ca.crt"}, true, all},
		{"truststore-passwordless", []string{"p12", "truststore", "--no-password", "ca.crt"}, true,
			map[string]bool{"openssl": true, "openssl -legacy": true, "keytool": true, "python": true}},
	}
	for _, tt := range tests {
		out := tt.name + ".p12"
		args := append(tt.args, "--out", filepath.Join(dir, out))
		if !tt.trust {
			args = append(args, "--key", filepath.Join(dir, "leaf.key"), "--cert", filepath.Join(dir, "leaf.crt"),
				"--chain", filepath.Join(dir, "ca.crt"))
		} else {
			args[len(args)-3] = filepath.Join(dir, "ca.crt")
		}
		runTlskit(t, args...)
		pass := toolkitPass
		if strings.Contains(tt.name, "passwordless") {
			pass = ""
		}
		for name, read := range consumers {
			if got := read(t, dir, out, pass, tt.trust); got != tt.reads[name] {
				t.Errorf("%s read by %s: %v, want %v", tt.name, name, got, tt.reads[name])
			}
		}
	}
}

// p12TestPKI makes a CA and a leaf (plain keys) with tlskit.
func p12TestPKI(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TOOLKIT_TEST_PASS", toolkitPass)
	at := func(f string) string { return filepath.Join(dir, f) }
	runTlskit(t, "ca", "init", "--algorithm", "ecdsa", "--no-encrypt", "--out-cert", at("ca.crt"), "--out-key", at("ca.key"))
	runTlskit(t, "genkey", "--algorithm", "ecdsa", "--no-encrypt", "--out", at("leaf.key"))
	runTlskit(t, "csr", "--key", at("leaf.key"), "--cn", "p12.test", "--out", at("leaf.csr"))
	runTlskit(t, "sign", "--ca", at("ca.crt"), "--ca-key", at("ca.key"), "--csr", at("leaf.csr"), "--out", at("leaf.crt"))
	return dir
}

func peerRun(t *testing.T, dir, bin string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(peer(t, bin), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

func opensslP12(legacy bool) p12Consumer {
	return func(t *testing.T, dir, file, pass string, trust bool) bool {
		args := []string{"pkcs12", "-info", "-in", file, "-passin", "pass:" + pass, "-nodes"}
		if legacy {
			args = append(args, "-legacy")
		}
		out, ok := peerRun(t, dir, "openssl", args...)
		return ok && strings.Contains(out, "BEGIN CERTIFICATE") && (trust || strings.Contains(out, "BEGIN PRIVATE KEY"))
	}
}

func keytoolP12(t *testing.T, dir, file, pass string, trust bool) bool {
	args := []string{"-list", "-storetype", "PKCS12", "-keystore", file}
	if pass != "" {
		args = append(args, "-storepass", pass)
	}
	out, ok := peerRun(t, dir, "keytool", args...)
	want := map[bool]string{false: "PrivateKeyEntry", true: "trustedCertEntry"}[trust]
	return ok && strings.Contains(out, want)
}

const pythonP12Script = `
import sys
from cryptography.hazmat.primitives.serialization import pkcs12
data = open(sys.argv[1], "rb").read()
key, cert, more = pkcs12.load_key_and_certificates(data, sys.argv[2].encode() or None)
trust = sys.argv[3] == "trust"
ok = (len(more) == 1 and cert is None and key is None) if trust else (key is not None and cert is not None)
sys.exit(0 if ok else 3)
`

func pythonP12(t *testing.T, dir, file, pass string, trust bool) bool {
	mode := map[bool]string{false: "key", true: "trust"}[trust]
	_, ok := peerRun(t, dir, "/usr/bin/python3", "-c", pythonP12Script, file, pass, mode)
	return ok
}

func certtoolP12(t *testing.T, dir, file, pass string, trust bool) bool {
	args := []string{"--p12-info", "--inder", "--infile", file, "--password", pass}
	out, ok := peerRun(t, dir, "certtool", args...)
	return ok && strings.Contains(out, "BEGIN CERTIFICATE") && (trust || strings.Contains(out, "Encrypted key"))
}

// TestP12NonASCIIPassword backs p12 export's warning: keytool cannot open a
// file whose password is not ASCII, while openssl can.
func TestP12NonASCIIPassword(t *testing.T) {
	dir := p12TestPKI(t)
	const pass = "pässwörd-1"
	runTlskit(t, "p12", "export", "--passout", "pass:"+pass, "--key", filepath.Join(dir, "leaf.key"),
		"--cert", filepath.Join(dir, "leaf.crt"), "--out", filepath.Join(dir, "u.p12"))
	if out, ok := peerRun(t, dir, "keytool", "-list", "-storetype", "PKCS12", "-keystore", "u.p12", "-storepass", pass); ok {
		t.Errorf("keytool opened a non-ASCII password file; drop the warning:\n%s", out)
	}
	if !opensslP12(false)(t, dir, "u.p12", pass, false) {
		t.Error("openssl cannot open the non-ASCII password file")
	}
}

// TestP12RC2Consumers checks who reads an RC2-40 file (openssl 3 -legacy's,
// from the corpus): everyone but openssl 3 without -legacy.
func TestP12RC2Consumers(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/p12")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"openssl": false, "openssl -legacy": true, "keytool": true, "python": true, "certtool": true}
	consumers := map[string]p12Consumer{
		"openssl": opensslP12(false), "openssl -legacy": opensslP12(true),
		"keytool": keytoolP12, "python": pythonP12, "certtool": certtoolP12,
	}
	for name, read := range consumers {
		if got := read(t, dir, "openssl-legacy-rc2.p12", "tlskit-test", false); got != want[name] {
			t.Errorf("RC2-40 file read by %s: %v, want %v", name, got, want[name])
		}
	}
}
