package pki

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/keys"
)

// A key left without its certificate is completed when the journal of the
// interrupted run vouches for it, and refused otherwise: another key in its
// place, or no journal.
func TestJournalVouchesOnlyItsOwnKey(t *testing.T) {
	now := time.Now()
	req := bootstrapReq(now)
	dir := bootstrapDir(t, req)
	remove(ServerCertFile)(t, dir)
	keyData := readAll(t, dir)[ServerKeyFile]
	writeJournal(t, dir, map[string]string{ServerKeyFile: contentHash([]byte(keyData))})

	plan := planDir(t, dir, req)
	if a := actions(plan); a["server"] != ActionCreate || a["ca"] != ActionKeep {
		t.Fatalf("plan %v, want server created for the vouched key", a)
	}
	if _, err := ApplyBootstrap(dir, plan); err != nil {
		t.Fatal(err)
	}
	after := readAll(t, dir)
	if after[ServerKeyFile] != keyData {
		t.Error("the vouched key was replaced, not completed")
	}
	if _, ok := after[JournalFile]; ok || planDir(t, dir, req).Changes() {
		t.Error("journal left behind, or the result is not consistent")
	}

	remove(ServerCertFile)(t, dir)
	writeJournal(t, dir, map[string]string{ServerKeyFile: contentHash([]byte("another key"))})
	if _, err := planDirErr(dir, req); !errors.Is(err, ErrForeignFile) {
		t.Errorf("key the journal does not vouch for: %v, want ErrForeignFile", err)
	}
	remove(JournalFile)(t, dir)
	if _, err := planDirErr(dir, req); !errors.Is(err, ErrForeignFile) {
		t.Errorf("no journal: %v, want ErrForeignFile", err)
	}
	writeJournal(t, dir, nil)
	replaceWith(JournalFile, "{not json")(t, dir)
	if _, err := planDirErr(dir, req); !errors.Is(err, ErrForeignFile) {
		t.Errorf("corrupt journal: %v, want ErrForeignFile", err)
	}
}

func writeJournal(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	data, err := json.Marshal(journal{Format: journalFormat, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, JournalFile))
	if err := os.WriteFile(filepath.Join(dir, JournalFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A bootstrap that fails on its first file removes the directories it made.
// The first file fails here because its path is too long for the system
// while the directory's own path is not.
func TestApplyBootstrapRemovesDirItMade(t *testing.T) {
	base := t.TempDir()
	dir := longDir(base, 4090)
	req := bootstrapReq(time.Now())
	req.Passphrase, req.Encryption = nil, keys.Encryption{}
	plan, err := PlanBootstrap(DirState{}, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ApplyBootstrap(dir, plan); err == nil {
		t.Fatal("ApplyBootstrap succeeded with a too long path")
	}
	entries, err := os.ReadDir(base)
	if err != nil || len(entries) != 0 {
		t.Errorf("%s holds %v after the failed run, want nothing (%v)", base, entries, err)
	}
}

// longDir returns a directory path under base of exactly n bytes.
func longDir(base string, n int) string {
	dir := base
	for len(dir) < n-250 {
		dir = filepath.Join(dir, strings.Repeat("d", 200))
	}
	return filepath.Join(dir, strings.Repeat("e", n-len(dir)-1))
}

// WriteCaseDir fails half way when a later, longer file name is too long for
// the system: it removes the files it wrote (unencrypted keys among them)
// and the directory it made.
func TestWriteCaseDirRemovesWhatItWrote(t *testing.T) {
	set, err := MakeCases(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	dir := longDir(base, 4095-len("/"+CAFile)) // ca.crt fits, longer names do not
	if err := WriteCaseDir(dir, set); err == nil {
		t.Fatal("WriteCaseDir succeeded with a too long path")
	}
	if entries, err := os.ReadDir(base); err != nil || len(entries) != 0 {
		t.Errorf("%s holds %v after the failed write, want nothing (%v)", base, entries, err)
	}
}
