package main

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestKeyExplainCommandsRun runs the openssl commands that each key
// subcommand's --explain prints, and checks that openssl's output holds the
// same key as tlskit's, in the same form.
func TestKeyExplainCommandsRun(t *testing.T) {
	openssl, bash := peer(t, "openssl"), peer(t, "bash")
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("TOOLKIT_TEST_PASS", toolkitPass)
	t.Setenv("TOOLKIT_NEW_PASS", "another-passphrase")
	opensslOK(t, dir, openssl, "genpkey", "-algorithm", "RSA", "-aes256", "-pass", "env:TOOLKIT_TEST_PASS", "-out", "rsa.key")
	opensslOK(t, dir, openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key")
	pin := []string{"--passin", "env:TOOLKIT_TEST_PASS"}
	tests := []struct {
		name, out, inform string
		args              []string
	}{
		{"decrypt", "plain.key", "PEM", append([]string{"key", "decrypt"}, pin...)},
		{"encrypt", "enc.key", "PEM", []string{"key", "encrypt", "--passout", "env:TOOLKIT_NEW_PASS", "--iter", "1000"}},
		{"pkcs1 der", "rsa1.der", "DER", append(append([]string{"key", "convert"}, pin...), "--to", "pkcs1", "--outform", "der", "--no-encrypt")},
		{"sec1", "ec1.pem", "PEM", []string{"key", "convert", "--to", "sec1", "--no-encrypt"}},
		{"pkcs8 der", "ec8.der", "DER", []string{"key", "convert", "--outform", "der", "--no-encrypt"}},
		{"pub der", "pub.der", "", append(append([]string{"key", "pub"}, pin...), "--outform", "der")},
	}
	for _, tt := range tests {
		in := "rsa.key"
		if strings.Contains(tt.name, "sec1") || strings.Contains(tt.name, "pkcs8") || tt.name == "encrypt" {
			in = "ec.key"
		}
		args := append(slices.Clone(tt.args), "--explain", "--out", "t-"+tt.out, in)
		_, stderr := runTlskit(t, args...)
		cmd := strings.ReplaceAll(explained(t, stderr)[0], "t-"+tt.out, "o-"+tt.out)
		shell(t, bash, dir, cmd)
		if tt.inform == "" {
			sameFile(t, "t-"+tt.out, "o-"+tt.out)
			continue
		}
		for _, f := range []string{"t-" + tt.out, "o-" + tt.out} {
			if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o400 {
				t.Errorf("%s: %s mode %v, %v; want 0400", tt.name, f, fi.Mode(), err)
			}
		}
		pubOf := func(f string) string {
			return opensslOK(t, dir, openssl, "pkey", "-inform", tt.inform, "-in", f, "-passin", "env:TOOLKIT_NEW_PASS", "-pubout")
		}
		if a, b := pubOf("t-"+tt.out), pubOf("o-"+tt.out); a != b {
			t.Errorf("%s: tlskit's and openssl's outputs hold different keys", tt.name)
		}
		sameFirstLine(t, "t-"+tt.out, "o-"+tt.out)
	}
}

// TestKeyPasswdAndMatchExplainRun runs key passwd's and key match's openssl
// equivalents: the rewritten key opens with the new passphrase only, and the
// comparison succeeds or fails where key match exits 0 or 5.
func TestKeyPasswdAndMatchExplainRun(t *testing.T) {
	openssl, bash := peer(t, "openssl"), peer(t, "bash")
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("TOOLKIT_TEST_PASS", toolkitPass)
	t.Setenv("TOOLKIT_NEW_PASS", "another-passphrase")
	pin := []string{"--passin", "env:TOOLKIT_TEST_PASS"}
	runTlskit(t, "genkey", "--algorithm", "ecdsa", "--passout", "env:TOOLKIT_TEST_PASS", "--iter", "1000", "--out", "t.key")
	runTlskit(t, append(append([]string{"key", "encrypt"}, pin...), "--passout", "env:TOOLKIT_TEST_PASS", "--iter", "1000", "--out", "o.key", "t.key")...)
	runTlskit(t, "genkey", "--algorithm", "ecdsa", "--no-encrypt", "--out", "other.key")
	runTlskit(t, append(append([]string{"key", "decrypt"}, pin...), "--out", "plain.key", "t.key")...)
	opensslOK(t, dir, openssl, "req", "-x509", "-new", "-key", "plain.key", "-subj", "/CN=match.test", "-days", "1", "-out", "t.crt")

	_, stderr := runTlskit(t, append(append([]string{"key", "match"}, pin...), "--explain", "t.key", "t.crt")...)
	shell(t, bash, dir, explained(t, stderr)[0])
	var errOut bytes.Buffer
	if code := run([]string{"tlskit", "key", "match", "--explain", "other.key", "t.crt"}, nil, &bytes.Buffer{}, &errOut); code != exitEcho {
		t.Fatalf("key match of another key: exit %d, want %d\n%s", code, exitEcho, errOut.String())
	}
	if out, err := exec.Command(bash, "-c", explained(t, errOut.String())[0]).CombinedOutput(); err == nil {
		t.Errorf("the explained comparison of another key succeeded:\n%s", out)
	}

	_, stderr = runTlskit(t, append(append([]string{"key", "passwd"}, pin...), "--explain", "--passout", "env:TOOLKIT_NEW_PASS", "--iter", "1000", "t.key")...)
	cmd := strings.ReplaceAll(explained(t, stderr)[0], "t.key", "o.key")
	shell(t, bash, dir, cmd)
	if fi, err := os.Stat("o.key"); err != nil || fi.Mode().Perm() != 0o400 {
		t.Errorf("o.key after openssl: mode %v, %v; want 0400", fi.Mode(), err)
	}
	if _, err := os.Stat("o.key.new"); err == nil {
		t.Error("o.key.new left behind")
	}
	pub := func(f, pass string) string {
		return opensslOK(t, dir, openssl, "pkey", "-in", f, "-passin", pass, "-pubout")
	}
	if pub("o.key", "env:TOOLKIT_NEW_PASS") != pub("t.key", "env:TOOLKIT_NEW_PASS") {
		t.Error("openssl's and tlskit's rewritten keys differ")
	}
	if _, err := testOpenSSLRun(openssl, dir, "pkey", "-in", "o.key", "-passin", "env:TOOLKIT_TEST_PASS", "-noout"); err == nil {
		t.Error("the old passphrase still opens openssl's rewritten key")
	}
}

func testOpenSSLRun(openssl, dir string, args ...string) ([]byte, error) {
	cmd := exec.Command(openssl, args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	da, errA := os.ReadFile(a)
	db, errB := os.ReadFile(b)
	if errA != nil || errB != nil || !bytes.Equal(da, db) {
		t.Errorf("%s and %s differ (%v, %v)", a, b, errA, errB)
	}
}

// sameFirstLine checks two PEM files begin with the same PEM type (DER files
// compare their first bytes harmlessly).
func sameFirstLine(t *testing.T, a, b string) {
	t.Helper()
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	la, _, _ := bytes.Cut(da, []byte("\n"))
	lb, _, _ := bytes.Cut(db, []byte("\n"))
	if bytes.HasPrefix(la, []byte("-----")) && !bytes.Equal(la, lb) {
		t.Errorf("%s begins %q, %s begins %q", a, la, b, lb)
	}
}
