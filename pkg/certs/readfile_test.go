package certs

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
)

// Every reader of a user's file refuses a directory and an endless device
// with an error naming the file, instead of a wrong diagnosis or a hang.
func TestReadersRefuseNonFiles(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Fatalf("this test needs /dev/zero: %v", err)
	}
	dir := t.TempDir()
	readers := map[string]func(string) error{
		"key": func(p string) error {
			_, err := ReadKeyFile(p, ReadKeyOptions{AllowInsecurePerms: true})
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
		{"/dev/zero", ErrMalformed, map[string]string{
			"key": "/dev/zero: malformed or corrupted data: over 1 MiB, too large for a private key",
			"csr": "/dev/zero: malformed or corrupted data: over 16 MiB, too large for a certificate, request or key",
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

// A request or certificate given as a key is named for what it is, not for
// its mode: only key material needs a private mode.
func TestReadKeyFileNamesNonKeyBeforeMode(t *testing.T) {
	tests := []struct {
		name, blockType, wantMsg string
	}{
		{"request", "CERTIFICATE REQUEST", "%s: found a CERTIFICATE REQUEST, not a private key"},
		{"certificate", "CERTIFICATE", "%s: found a CERTIFICATE, not a private key"},
	}
	for _, tt := range tests {
		path := writeKeyFile(t, "server.key", EncodePEM(tt.blockType, []byte{1}), 0o644)
		_, err := ReadKeyFile(path, ReadKeyOptions{})
		if !errors.Is(err, ErrNotPrivateKey) || err.Error() != fmt.Sprintf(tt.wantMsg, path) {
			t.Errorf("%s: error = %v, want ErrNotPrivateKey %q", tt.name, err, fmt.Sprintf(tt.wantMsg, path))
		}
	}
}
