package safefile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func TestWriteFileAtomicMode(t *testing.T) {
	for _, umask := range []int{0, 0o077, 0o022} {
		dir := t.TempDir()
		path := filepath.Join(dir, "server.key")
		old := syscall.Umask(umask)
		err := WriteFileAtomic(path, []byte("secret"), PrivateMode, false)
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o400 {
			t.Errorf("umask %04o: mode %04o, want 0400", umask, fi.Mode().Perm())
		}
		assertDirHolds(t, dir, "server.key")
	}
}

func TestWriteFileAtomicRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.key")
	original := []byte("original contents\n")
	if err := os.WriteFile(path, original, 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, []byte("new"), PrivateMode, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("error = %v, want ErrExists", err)
	}
	assertContents(t, path, original, 0o644)
	assertDirHolds(t, dir, "server.key")
}

// The link step alone must refuse an existing file, for when it appears after
// the early check.
func TestPlaceRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.key")
	original := []byte("original")
	if err := os.WriteFile(path, original, 0o600); err != nil {
		t.Fatal(err)
	}
	tmp, err := writeTemp(path, []byte("new"), PrivateMode)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(tmp)
	if err := place(tmp, path, false); !errors.Is(err, ErrExists) {
		t.Fatalf("place error = %v, want ErrExists", err)
	}
	assertContents(t, path, original, 0o600)
}

func TestWriteFileAtomicOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.key")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("new"), PrivateMode, true); err != nil {
		t.Fatal(err)
	}
	assertContents(t, path, []byte("new"), 0o400)
	assertDirHolds(t, dir, "server.key")
}

func TestWriteFileAtomicFailures(t *testing.T) {
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      string
		overwrite bool
		want      error
	}{
		{"missing directory", filepath.Join(dir, "nope", "server.key"), false, fs.ErrNotExist},
		{"read-only directory", filepath.Join(readOnly, "server.key"), false, fs.ErrPermission},
		{"target is a directory", readOnly, false, syscall.EISDIR},
		{"overwrite a directory", readOnly, true, syscall.EISDIR},
		{"empty name", "", true, fs.ErrInvalid},
	}
	if os.Geteuid() == 0 {
		tests = slices.Delete(tests, 1, 2) // root writes anywhere
	}
	for _, tt := range tests {
		err := WriteFileAtomic(tt.path, []byte("x"), PrivateMode, tt.overwrite)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path != tt.path {
			t.Errorf("%s: error names %q, want %q", tt.name, pe.Path, tt.path)
		}
	}
	assertDirHolds(t, dir, "ro")
	assertDirHolds(t, readOnly)
}

// A directory that appears after the check makes the rename fail after the
// temp file is written: the temp file must go.
func TestWriteFileAtomicCleansUpAfterLateFailure(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "server.key")
	if err := os.Mkdir(target, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "inside"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeInPlace(target, []byte("x"), PrivateMode, true); err == nil {
		t.Fatal("overwriting a non-empty directory succeeded")
	}
	assertDirHolds(t, dir, "server.key")
}

func assertContents(t *testing.T, path string, want []byte, mode os.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || fi.Mode().Perm() != mode {
		t.Errorf("%s = %q mode %04o, want %q mode %04o", path, got, fi.Mode().Perm(), want, mode)
	}
}

// assertDirHolds checks that dir holds exactly names: no temp file left over.
func assertDirHolds(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}
