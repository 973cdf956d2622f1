package main

import (
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// TestP12ExplainCommandsRun runs the commands that p12 export, truststore
// and import --explain print, and checks that what openssl and keytool make
// has the profile and contents of tlskit's own file.
func TestP12ExplainCommandsRun(t *testing.T) {
	bash := peer(t, "bash")
	peer(t, "openssl")
	peer(t, "keytool")
	dir := p12TestPKI(t)
	t.Chdir(dir)
	exports := map[string][]string{
		keys.P12Modern:       {"--passout", "env:TOOLKIT_TEST_PASS"},
		keys.P12Legacy:       {"--profile", "legacy", "--passout", "env:TOOLKIT_TEST_PASS"},
		keys.P12Passwordless: {"--no-password"},
	}
	for profile, flags := range exports {
		args := append([]string{"p12", "export", "--explain", "--key", "leaf.key", "--cert", "leaf.crt", "--chain", "ca.crt",
			"--out", "t-" + profile + ".p12"}, flags...)
		_, stderr := runTlskit(t, args...)
		shell(t, bash, dir, strings.ReplaceAll(explained(t, stderr)[0], "t-"+profile, "o-"+profile))
		sameP12(t, "t-"+profile+".p12", "o-"+profile+".p12", profile)
	}
	stores := map[string][]string{
		keys.P12Modern:       {"--passout", "env:TOOLKIT_TEST_PASS"},
		keys.P12Legacy:       {"--profile", "legacy", "--passout", "env:TOOLKIT_TEST_PASS"},
		keys.P12Passwordless: {"--no-password"},
	}
	for profile, flags := range stores {
		out := "t-trust-" + profile + ".p12"
		_, stderr := runTlskit(t, append([]string{"p12", "truststore", "--explain", "--out", out, "ca.crt"}, flags...)...)
		shell(t, bash, dir, strings.ReplaceAll(explained(t, stderr)[0], "t-trust", "o-trust"))
		sameP12(t, out, strings.Replace(out, "t-trust", "o-trust", 1), profile)
	}

	legacy := filepath.Join(dir, "rc2.p12")
	opensslOK(t, dir, peer(t, "openssl"), "pkcs12", "-export", "-legacy", "-inkey", "leaf.key", "-in", "leaf.crt",
		"-certfile", "ca.crt", "-passout", "env:TOOLKIT_TEST_PASS", "-out", legacy)
	_, stderr := runTlskit(t, "p12", "import", "--explain", "--passin", "env:TOOLKIT_TEST_PASS", "--passout", "env:TOOLKIT_TEST_PASS",
		"--iter", "1000", "--out-key", "t.key", "--out-cert", "t.crt", "--out-chain", "t-chain.crt", "rc2.p12")
	for _, cmd := range explained(t, stderr) {
		shell(t, bash, dir, strings.NewReplacer("t.key", "o.key", "t.crt", "o.crt", "t-chain", "o-chain").Replace(cmd))
	}
	for _, pair := range [][2]string{{"t.crt", "o.crt"}, {"t-chain.crt", "o-chain.crt"}} {
		if a, b := certsIn(t, pair[0]), certsIn(t, pair[1]); a != b {
			t.Errorf("%s and %s hold different certificates", pair[0], pair[1])
		}
	}
	tk, ok := keysIn(t, "t.key"), keysIn(t, "o.key")
	if !keys.PublicKeysEqual(tk.Public(), ok.Public()) {
		t.Error("the imported keys differ")
	}
}

func sameP12(t *testing.T, ours, theirs, profile string) {
	t.Helper()
	pass := func() ([]byte, error) { return []byte(toolkitPass), nil }
	for _, f := range []string{ours, theirs} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		info, err := keys.DescribeP12(data)
		if err != nil || info.Profile != profile {
			t.Errorf("%s: profile %q (%v), want %q", f, info.Profile, err, profile)
		}
		if _, err := keys.DecodeP12(data, pass); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func certsIn(t *testing.T, file string) string {
	t.Helper()
	list, err := certs.ReadCertFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, c := range list {
		subjects = append(subjects, string(c.Raw))
	}
	return strings.Join(subjects, "|")
}

func keysIn(t *testing.T, file string) crypto.Signer {
	t.Helper()
	key, err := keys.ReadKeyFile(file, keys.ReadKeyOptions{Passphrase: func() ([]byte, error) { return []byte(toolkitPass), nil }})
	if err != nil {
		t.Fatal(err)
	}
	return key
}
