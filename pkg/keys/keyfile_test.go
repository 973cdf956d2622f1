package keys

import (
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func writeKeyFile(t *testing.T, name string, data []byte, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadKeyFile(t *testing.T) {
	key := testKeys()["ecdsa"]
	path := writeKeyFile(t, "server.key", mustMarshal(t, key, testPass, fastPBKDF2), 0o400)
	got, err := ReadKeyFile(path, ReadKeyOptions{Passphrase: passFunc(string(testPass))})
	if err != nil || !got.(equaler).Equal(key) {
		t.Fatalf("ReadKeyFile = %v, %v", got, err)
	}
}

func TestReadKeyFileErrors(t *testing.T) {
	key := testKeys()["ed25519"]
	encrypted := mustMarshal(t, key, testPass, fastPBKDF2)
	plain := mustMarshal(t, key, nil, Encryption{})
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		opts    ReadKeyOptions
		want    error
		wantMsg string
	}{
		{"missing", filepath.Join(dir, "none.key"), ReadKeyOptions{}, fs.ErrNotExist, ""},
		{"group readable", writeKeyFile(t, "server.key", plain, 0o644), ReadKeyOptions{}, ErrInsecurePerms,
			"%s is readable by group or others (mode 0644)"},
		{"group writable", writeKeyFile(t, "server.key", plain, 0o620), ReadKeyOptions{}, ErrInsecurePerms,
			"%s is accessible by group or others (mode 0620)"},
		{"wrong passphrase", writeKeyFile(t, "server.key", encrypted, 0o400),
			ReadKeyOptions{Passphrase: passFunc("wrong")}, ErrWrongPassphrase, "wrong passphrase for %s"},
		{"no pem", writeKeyFile(t, "server.key", []byte("hello"), 0o600), ReadKeyOptions{}, ErrNoPEM,
			"%s: no PEM data found"},
		{"no passphrase", writeKeyFile(t, "server.key", encrypted, 0o600), ReadKeyOptions{}, ErrNoPassphrase,
			"%s: the key is encrypted and no passphrase was given"},
	}
	for _, tt := range tests {
		_, err := ReadKeyFile(tt.path, tt.opts)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
			continue
		}
		if tt.wantMsg != "" && err.Error() != fmt.Sprintf(tt.wantMsg, tt.path) {
			t.Errorf("%s: message %q, want %q", tt.name, err, fmt.Sprintf(tt.wantMsg, tt.path))
		}
	}
}

func TestReadKeyFileAllowInsecurePerms(t *testing.T) {
	key := testKeys()["ed25519"]
	path := writeKeyFile(t, "server.key", mustMarshal(t, key, nil, Encryption{}), 0o644)
	got, err := ReadKeyFile(path, ReadKeyOptions{AllowInsecurePerms: true})
	if err != nil || !got.(equaler).Equal(key) {
		t.Fatalf("ReadKeyFile = %v, %v", got, err)
	}
}

func TestReadKeyFilePassesPassphraseErrorThrough(t *testing.T) {
	path := writeKeyFile(t, "server.key", mustMarshal(t, testKeys()["ed25519"], testPass, fastPBKDF2), 0o400)
	sentinel := errors.New("server.key is encrypted and there is no terminal")
	_, err := ReadKeyFile(path, ReadKeyOptions{Passphrase: func() ([]byte, error) { return nil, sentinel }})
	if err != sentinel {
		t.Errorf("error = %v, want exactly %v", err, sentinel)
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
		path := writeKeyFile(t, "server.key", pem.EncodeToMemory(&pem.Block{Type: tt.blockType, Bytes: []byte{1}}), 0o644)
		_, err := ReadKeyFile(path, ReadKeyOptions{})
		if !errors.Is(err, ErrNotPrivateKey) || err.Error() != fmt.Sprintf(tt.wantMsg, path) {
			t.Errorf("%s: error = %v, want ErrNotPrivateKey %q", tt.name, err, fmt.Sprintf(tt.wantMsg, path))
		}
	}
}
