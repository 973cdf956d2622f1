package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainIntermediateRuns runs the openssl commands that
// ca init --intermediate --explain prints, and checks that openssl makes an
// intermediate with the same extensions as tlskit's, name constraints
// included, and that a leaf under either verifies.
func TestExplainIntermediateRuns(t *testing.T) {
	openssl, bash := peer(t, "openssl"), peer(t, "bash")
	dir := t.TempDir()
	t.Setenv("TOOLKIT_TEST_PASS", toolkitPass)
	in := func(name string) string { return filepath.Join(dir, name) }
	runTlskit(t, "ca", "init", "--cn", "Root", "--pathlen", "1", "--algorithm", "ecdsa", "--passout", "env:TOOLKIT_TEST_PASS",
		"--iter", "1000", "--out-cert", in("root.crt"), "--out-key", in("root.key"))
	_, stderr := runTlskit(t, "ca", "init", "--intermediate", "--ca", in("root.crt"), "--ca-key", in("root.key"),
		"--passin", "env:TOOLKIT_TEST_PASS", "--cn", "Inter", "--algorithm", "ecdsa", "--no-encrypt", "--explain",
		"--permit", "DNS:test,IP:127.0.0.0/8,IP:::1/128", "--exclude", "DNS:bad.test,IP:0.0.0.0/0",
		"--out-cert", in("t.crt"), "--out-key", in("t.key"), "--days", "30")
	for _, c := range explained(t, stderr) {
		c = strings.ReplaceAll(c, in("t."), "o.")
		c = strings.ReplaceAll(c, dir+"/", "")
		shell(t, bash, dir, "cd "+dir+" && "+c)
	}
	exts := "basicConstraints,keyUsage,nameConstraints,extendedKeyUsage"
	ours := extBlocks(opensslOK(t, dir, openssl, "x509", "-in", "t.crt", "-noout", "-ext", exts))
	theirs := extBlocks(opensslOK(t, dir, openssl, "x509", "-in", "o.crt", "-noout", "-ext", exts))
	if ours != theirs {
		t.Errorf("extensions differ:\ntlskit:\n%s\nopenssl:\n%s", ours, theirs)
	}
	mustHave(t, ours, "pathlen:0", "DNS:test", "IP:127.0.0.0/255.0.0.0", "Excluded", "DNS:bad.test")
	for _, inter := range []string{"t", "o"} {
		opensslOK(t, dir, openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
			"-keyout", inter+"-leaf.key", "-subj", "/CN=www.test", "-addext", "subjectAltName=DNS:www.test", "-out", inter+"-leaf.csr")
		runTlskit(t, "sign", "--ca", in(inter+".crt"), "--ca-key", in(inter+".key"), "--csr", in(inter+"-leaf.csr"),
			"--out", in(inter+"-leaf.crt"), "--server", "--fullchain")
		opensslOK(t, dir, openssl, "verify", "-CAfile", "root.crt", "-untrusted", inter+"-leaf.crt", "-verify_hostname", "www.test",
			inter+"-leaf.crt")
	}
}
