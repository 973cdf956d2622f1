package certs

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"os"
)

// KeyFileMode is the mode of every private key file tlskit writes.
const KeyFileMode os.FileMode = 0o400

// maxKeyFile bounds how much of a key file is read: real keys are a few KiB.
const maxKeyFile = 1 << 20

// ReadKeyOptions controls ReadKeyFile.
type ReadKeyOptions struct {
	Passphrase         PassphraseFunc
	AllowInsecurePerms bool // accept a key file that group or others can read
}

// ReadKeyFile reads and decodes a private key file. Errors name the file and
// wrap the same errors as ParseKeyPEM, ErrInsecurePerms or an *fs.PathError;
// an error from opts.Passphrase is returned as it is.
func ReadKeyFile(path string, opts ReadKeyOptions) (crypto.Signer, error) {
	data, err := readPrivateFile(path, opts.AllowInsecurePerms)
	if err != nil {
		return nil, err
	}
	key, err := ParseKeyPEM(data, opts.Passphrase)
	if err != nil {
		return nil, fileError(path, err)
	}
	return key, nil
}

// readPrivateFile checks the mode of the file it has open, not of the path,
// so the file cannot be swapped between check and read.
func readPrivateFile(path string, allowInsecure bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read private key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read private key: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && !allowInsecure {
		return nil, insecurePermsError(path, perm)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read private key: %w", err)
	}
	if len(data) > maxKeyFile {
		return nil, keyErrorf(ErrMalformed, "%s: too large for a private key (over %d KiB)", path, maxKeyFile>>10)
	}
	return data, nil
}

func insecurePermsError(path string, perm os.FileMode) error {
	what := "readable"
	if perm&0o044 == 0 {
		what = "accessible"
	}
	return keyErrorf(ErrInsecurePerms, "%s is %s by group or others (mode %04o)", path, what, perm)
}

func fileError(path string, err error) error {
	var pe *passphraseErr
	switch {
	case errors.As(err, &pe):
		return pe.err
	case errors.Is(err, ErrWrongPassphrase):
		return keyErrorf(ErrWrongPassphrase, "wrong passphrase for %s", path)
	}
	return fmt.Errorf("%s: %w", path, err)
}
