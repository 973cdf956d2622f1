package certs

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// maxKeyFile bounds a private key file: real keys are a few KiB, so anything
// bigger is a wrong file (or /dev/zero) and is refused before it fills memory.
const maxKeyFile = 1 << 20

// openFile opens path for reading and returns the mode of the file it has
// open (not of the path, so it cannot be swapped between check and read). A
// directory fails as an *fs.PathError naming path.
func openFile(path string) (*os.File, os.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		err = &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Mode(), nil
}

// readLimit reads r, named name in errors, to its end; more than limit bytes
// fails with ErrMalformed, saying the input is too large for what.
func readLimit(r io.Reader, name string, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w: over %d MiB, too large for %s", name, ErrMalformed, limit>>20, what)
	}
	return data, nil
}

// readPEMFile reads a certificate or request file and decodes it with parse;
// errors name the file.
func readPEMFile[T any](path string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	data, err := ReadPublicFile(path)
	if err != nil {
		return zero, err
	}
	v, err := parse(data)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
