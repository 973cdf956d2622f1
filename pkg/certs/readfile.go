package certs

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Bounds on what is read from a user's file: real keys and requests are a few
// KiB and a large CA bundle a few hundred, so anything bigger is a wrong file
// (or /dev/zero) and is refused before it fills memory.
const (
	maxKeyFile  = 1 << 20
	maxCertFile = 16 << 20
)

// readBounded reads at most limit bytes of the regular file at path, and
// returns its mode for the caller's checks. A directory fails as an
// *fs.PathError and an oversized file with ErrMalformed, both naming path.
func readBounded(path string, limit int64, what string) ([]byte, os.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if fi.IsDir() {
		return nil, 0, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, 0, err
	}
	if int64(len(data)) > limit {
		return nil, 0, keyErrorf(ErrMalformed, "%s: too large for %s (over %d KiB)", path, what, limit>>10)
	}
	return data, fi.Mode(), nil
}

// readPEMFile reads a file of certificates or requests and decodes it with parse;
// errors name the file.
func readPEMFile[T any](path, what string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	data, _, err := readBounded(path, maxCertFile, what)
	if err != nil {
		return zero, err
	}
	v, err := parse(data)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
