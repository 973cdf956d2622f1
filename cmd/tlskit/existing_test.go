package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// When a later file cannot be written, writeAll puts back what it replaced
// and removes what it created.
func TestWriteAllRollsBack(t *testing.T) {
	dir := t.TempDir()
	old := []byte("the old key")
	if err := os.WriteFile(filepath.Join(dir, "ca.key"), old, 0o400); err != nil {
		t.Fatal(err)
	}
	err := writeAll(dir, []outFile{
		{"ca.key", []byte("new key"), 0o400},
		{"new.crt", []byte("new cert"), 0o644},
		{filepath.Join("missing", "ca.crt"), []byte("cert"), 0o644},
	}, true)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("error = %v, want fs.ErrNotExist", err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "ca.key"))
	if err != nil || !bytes.Equal(got, old) {
		t.Errorf("ca.key = %q, %v; want the old key back", got, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "new.crt")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("new.crt left behind: %v", err)
	}
}
