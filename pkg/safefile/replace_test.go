package safefile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

var errRejected = errors.New("rejected")

func TestReplaceChecked(t *testing.T) {
	accept := func([]byte) error { return nil }
	tests := []struct {
		name    string
		check   func([]byte) error
		want    error
		newData bool
	}{
		{"accepted", accept, nil, true},
		{"check fails", func([]byte) error { return errRejected }, errRejected, false},
		{"check sees the bytes on disk", func(b []byte) error {
			if !bytes.Equal(b, []byte("new key")) {
				return errRejected
			}
			return nil
		}, nil, true},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		path := filepath.Join(dir, "server.key")
		if err := os.WriteFile(path, []byte("old key"), 0o400); err != nil {
			t.Fatal(err)
		}
		err := ReplaceChecked(path, []byte("new key"), PrivateMode, tt.check)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
		want := []byte("old key")
		if tt.newData {
			want = []byte("new key")
		}
		assertContents(t, path, want, 0o400)
		assertDirHolds(t, dir, "server.key")
	}
}

func TestReplaceCheckedRefuses(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	accept := func([]byte) error { return nil }
	if err := ReplaceChecked(filepath.Join(dir, "missing.key"), []byte("x"), PrivateMode, accept); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: error = %v, want ErrNotExist", err)
	}
	if err := ReplaceChecked(sub, []byte("x"), PrivateMode, accept); err == nil {
		t.Error("replacing a directory succeeded")
	}
	assertDirHolds(t, dir, "sub")
	assertDirHolds(t, sub)
}

// A symlinked key is replaced where it lives; the link stays a link.
func TestReplaceCheckedFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.key")
	link := filepath.Join(dir, "server.key")
	if err := os.WriteFile(real, []byte("old"), 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.key", link); err != nil {
		t.Fatal(err)
	}
	if err := ReplaceChecked(link, []byte("new"), PrivateMode, func([]byte) error { return nil }); err != nil {
		t.Fatal(err)
	}
	assertContents(t, real, []byte("new"), 0o400)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symlink: %v %v", link, fi, err)
	}
	assertDirHolds(t, dir, "real.key", "server.key")
}
