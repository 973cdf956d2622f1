package certs

import (
	"crypto"
	"errors"
	"fmt"
	"os"
)

// KeyFileMode is the mode of every private key file tlskit writes.
const KeyFileMode os.FileMode = 0o400

// ReadKeyOptions controls ReadKeyFile.
type ReadKeyOptions struct {
	Passphrase         PassphraseFunc
	AllowInsecurePerms bool // accept a key file that group or others can read
}

// ReadKeyFile reads and decodes a private key file. Errors name the file and
// wrap the same errors as ParseKeyPEM, ErrInsecurePerms or an *fs.PathError;
// an error from opts.Passphrase is returned as it is. A file holding no
// private key (a certificate or request given by mistake) is reported as such
// before its mode is judged, since only key material needs a private mode.
func ReadKeyFile(path string, opts ReadKeyOptions) (crypto.Signer, error) {
	data, mode, err := readPrivateFile(path)
	if err != nil {
		return nil, err
	}
	if _, err := findKeyBlock(data); err != nil {
		return nil, fileError(path, err)
	}
	if perm := mode.Perm(); perm&0o077 != 0 && !opts.AllowInsecurePerms {
		return nil, insecurePermsError(path, perm)
	}
	key, err := ParseKeyPEM(data, opts.Passphrase)
	if err != nil {
		return nil, fileError(path, err)
	}
	return key, nil
}

func readPrivateFile(path string) ([]byte, os.FileMode, error) {
	f, mode, err := openFile(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	data, err := readLimit(f, path, maxKeyFile, "a private key")
	return data, mode, err
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
