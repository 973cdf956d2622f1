package certs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
)

// Every reader of a user's file refuses a directory and a device, and an
// oversized file, with an error naming the file, instead of a wrong diagnosis
// or a hang.
func TestReadersRefuseNonFiles(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Fatalf("this test needs /dev/zero: %v", err)
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, nil, 0o600); err != nil || os.Truncate(big, safefile.MaxPublicFile+1) != nil {
		t.Fatal("cannot make a big file")
	}
	readers := map[string]func(string) error{
		"key": func(p string) error {
			_, err := keys.ReadKeyFile(p, keys.ReadKeyOptions{AllowInsecurePerms: true})
			return err
		},
		"csr":  func(p string) error { _, err := ReadCSRFile(p); return err },
		"cert": func(p string) error { _, err := ReadCertFile(p); return err },
	}
	tests := []struct {
		path    string
		want    error
		wantMsg map[string]string
	}{
		{dir, syscall.EISDIR, map[string]string{"key": "read " + dir + ": is a directory"}},
		{"/dev/zero", safefile.ErrNotRegular, map[string]string{
			"key": "/dev/zero: is a character device, not a regular file: give a file or a pipe",
		}},
		{big, safefile.ErrTooLarge, map[string]string{
			"key": big + ": malformed or corrupted data: over 1 MiB, too large for a private key",
			"csr": big + ": malformed or corrupted data: over 16 MiB, too large for a certificate, request or key",
		}},
	}
	for _, tt := range tests {
		for name, read := range readers {
			err := read(tt.path)
			if !errors.Is(err, tt.want) {
				t.Errorf("%s %s: error = %v, want %v", name, tt.path, err, tt.want)
			}
			if msg, ok := tt.wantMsg[name]; ok && (err == nil || err.Error() != msg) {
				t.Errorf("%s %s: message %v, want %q", name, tt.path, err, msg)
			}
		}
	}
}
