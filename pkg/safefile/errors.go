package safefile

import (
	"errors"
	"io/fs"
	"os"
)

// Sentinel errors; every error of this package wraps one of them, a
// fs.ErrInvalid or an *fs.PathError, and names the file it is about.
var (
	// ErrExists: the output exists and overwriting was not asked for.
	ErrExists = errors.New("file exists")
	// ErrTooLarge: an input is over the size bound of what it should hold.
	ErrTooLarge = errors.New("input too large")
	// ErrNotRegular: the path names a device, socket, FIFO or symlink where
	// only a regular file will do (an input may also be a pipe).
	ErrNotRegular = errors.New("not a regular file")
)

// kindError has its own message and still matches a sentinel with errors.Is.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// PrivateMode is the mode of every file that holds private key material.
const PrivateMode os.FileMode = 0o400

// notRegularError says what path is instead of a regular file; why ends the
// message ("--force replaces only regular files").
func notRegularError(path string, mode fs.FileMode, why string) error {
	return &kindError{msg: path + ": is " + kindOf(mode) + ", not a regular file: " + why, kind: ErrNotRegular}
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}
