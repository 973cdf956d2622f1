package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlskit/tlskit/pkg/keys"
)

// TestTTYKeyPasswdPrompts changes a default key's passphrase on a terminal:
// the old one asked once, the new one twice, nothing echoed, and the key
// rewritten with the default 600,000 iterations.
func TestTTYKeyPasswdPrompts(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("tlskit", "genkey", "--algorithm", "ecdsa", "--passout", "pass:old-secret")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("genkey: %v\n%s", err, out)
	}
	s := startTTY(t, dir, "key", "passwd", "server.key")
	s.answer("Enter pass phrase for server.key:", 1, "old-secret")
	s.answer("Enter pass phrase for server.key (new):", 1, "new-secret")
	s.answer("Verifying - Enter pass phrase for server.key (new):", 1, "new-secret")
	scr := s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=0") || strings.Contains(scr, "old-secret") || strings.Contains(scr, "new-secret") {
		t.Fatalf("key passwd failed or echoed a passphrase:\n%s", scr)
	}
	path := filepath.Join(dir, "server.key")
	if info := describeFile(t, path); info.Iterations != keys.DefaultIterations {
		t.Errorf("rewritten with %d iterations, want %d", info.Iterations, keys.DefaultIterations)
	}
	if out, err := exec.Command("openssl", "pkey", "-in", path, "-passin", "pass:new-secret", "-noout").CombinedOutput(); err != nil {
		t.Fatalf("openssl cannot open the key with the new passphrase: %v\n%s", err, out)
	}
}

// TestTTYP12ExportAsksTwice: the PKCS#12 password, like a new key's, is
// asked twice on a terminal and never echoed.
func TestTTYP12ExportAsksTwice(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"genkey", "--algorithm", "ecdsa", "--no-encrypt"},
		{"csr", "--cn", "p12.test"},
		{"selfsign"},
	} {
		cmd := exec.Command("tlskit", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	s := startTTY(t, dir, "p12", "export")
	s.answer("Enter pass phrase for server.p12:", 1, "p12-secret")
	s.answer("Verifying - Enter pass phrase for server.p12:", 1, "p12-secret")
	scr := s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=0") || strings.Contains(scr, "p12-secret") {
		t.Fatalf("p12 export failed or echoed the password:\n%s", scr)
	}
	if out, err := exec.Command("openssl", "pkcs12", "-in", filepath.Join(dir, "server.p12"), "-passin", "pass:p12-secret",
		"-noout").CombinedOutput(); err != nil {
		t.Fatalf("openssl cannot open server.p12 with the password: %v\n%s", err, out)
	}
}
