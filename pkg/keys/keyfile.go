package keys

import (
	"crypto"
	"errors"
	"fmt"
	"os"

	"github.com/tlskit/tlskit/pkg/safefile"
)

// KeyFileMode is the mode of every private key file tlskit writes.
const KeyFileMode = safefile.PrivateMode

// maxKeyFile bounds a private key file: real keys are a few KiB, so anything
// bigger is a wrong file (or /dev/zero) and is refused before it fills memory.
const maxKeyFile = 1 << 20

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
	f, mode, err := safefile.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	data, err := safefile.ReadLimit(f, path, maxKeyFile, "a private key")
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
