package safefile

import (
	"errors"
	"os"
)

// Sentinel errors; every error of this package wraps one of them, a
// fs.ErrInvalid or an *fs.PathError, and names the file it is about.
var (
	// ErrExists: the output exists and overwriting was not asked for.
	ErrExists = errors.New("file exists")
	// ErrTooLarge: an input is over the size bound of what it should hold.
	ErrTooLarge = errors.New("input too large")
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
