package safefile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxPublicFile bounds certificates, requests and public keys: a real bundle is
// at most a few hundred KiB, so 16 MiB is a wrong file.
const MaxPublicFile = 16 << 20

// Open opens path for reading and returns the mode of the file it has open
// (not of the path, so it cannot be swapped between check and read). Only
// regular files and pipes are opened: a directory fails as an *fs.PathError
// naming path, a device or socket with ErrNotRegular, before it is opened
// (opening a device can act on it). The open does not block: a FIFO that no
// one writes to reads as empty at once instead of hanging, while a pipe with
// a writer (tlskit inspect <(cat ca.pem)) is read to its end.
func Open(path string) (*os.File, os.FileMode, error) {
	if fi, err := os.Stat(path); err == nil {
		if err := checkInput(path, fi.Mode()); err != nil {
			return nil, 0, err
		}
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkInput(path, fi.Mode())
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Mode(), nil
}

// checkInput accepts regular files and pipes.
func checkInput(path string, mode fs.FileMode) error {
	switch {
	case mode.IsDir():
		return &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
	case mode.IsRegular() || mode&fs.ModeNamedPipe != 0:
		return nil
	}
	return notRegularError(path, mode, "give a file or a pipe")
}

// ReadLimit reads r, named name in errors, to its end; more than limit bytes
// fails with ErrTooLarge, saying the input is too large for what.
func ReadLimit(r io.Reader, name string, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		msg := fmt.Sprintf("%s: malformed or corrupted data: over %d MiB, too large for %s", name, limit>>20, what)
		return nil, &kindError{msg: msg, kind: ErrTooLarge}
	}
	return data, nil
}

// ReadFile reads a whole file of at most limit bytes, refusing directories
// and devices (see Open).
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	f, _, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLimit(f, path, limit, what)
}
