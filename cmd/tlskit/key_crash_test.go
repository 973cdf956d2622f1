package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestKeyPasswdCrashAtEveryStep kills key passwd (SIGKILL, from a
// tlskit_crashtest binary) before each of its file steps in turn: after every
// kill the key opens with exactly one of the old and new passphrases and
// holds the same key, and a rerun with the old passphrase, if it is still the
// one, completes and leaves no temp file behind.
func TestKeyPasswdCrashAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs key passwd at every step")
	}
	requireOpenSSL(t)
	bin := buildCrashBinary(t)
	template := filepath.Join(t.TempDir(), "orig.key")
	if out, err := runCrash(bin, -1, "genkey", "--algorithm", "ecdsa", "--iter", "1000", "--passout", "pass:old-secret",
		"--out", template); err != nil {
		t.Fatalf("genkey: %v\n%s", err, out)
	}
	want := pubOf(t, template, "old-secret")
	args := []string{"key", "passwd", "--passin", "pass:old-secret", "--passout", "pass:new-secret", "--iter", "1000"}
	for n := 0; n < 50; n++ {
		dir := t.TempDir()
		key := filepath.Join(dir, "server.key")
		data, err := os.ReadFile(template)
		must(t, err)
		must(t, os.WriteFile(key, data, 0o400))
		out, err := runCrash(bin, n, append(args, key)...)
		if err == nil {
			checkRewritten(t, dir, key, want)
			return
		}
		if !killed(err) {
			t.Fatalf("step %d: key passwd failed without being killed: %v\n%s", n, err, out)
		}
		step := lastCrashLine(out)
		t.Logf("killed %s", step)
		oldOK, newOK := opens(key, "old-secret"), opens(key, "new-secret")
		if oldOK == newOK {
			t.Fatalf("killed %s: opens with old %v, new %v; want exactly one", step, oldOK, newOK)
		}
		if oldOK {
			if rerun, err := runCrash(bin, -1, append(args, key)...); err != nil {
				t.Fatalf("rerun after a kill %s: %v\n%s", step, err, rerun)
			}
		}
		checkRewritten(t, dir, key, want)
	}
	t.Fatal("key passwd still killed after 50 steps")
}

func opens(key, pass string) bool {
	return exec.Command("openssl", "pkey", "-in", key, "-passin", "pass:"+pass, "-noout").Run() == nil
}

func pubOf(t *testing.T, key, pass string) string {
	t.Helper()
	out, err := exec.Command("openssl", "pkey", "-in", key, "-passin", "pass:"+pass, "-pubout").CombinedOutput()
	if err != nil {
		t.Fatalf("openssl pkey %s: %v\n%s", key, err, out)
	}
	return string(out)
}

// checkRewritten: the key opens with the new passphrase, is the same key,
// mode 0400, and nothing else is in dir: a temp file exists only before the
// rename, and the rerun that follows such a kill removes it.
func checkRewritten(t *testing.T, dir, key, want string) {
	t.Helper()
	if got := pubOf(t, key, "new-secret"); got != want {
		t.Fatal("the rewritten file holds another key")
	}
	fi, err := os.Stat(key)
	must(t, err)
	if fi.Mode().Perm() != 0o400 {
		t.Errorf("%s: mode %04o, want 0400", key, fi.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	must(t, err)
	for _, e := range entries {
		if e.Name() != "server.key" {
			t.Errorf("%s left in %s", e.Name(), dir)
		}
	}
}
