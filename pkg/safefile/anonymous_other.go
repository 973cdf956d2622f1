//go:build !linux

package safefile

import (
	"errors"
	"os"
)

var errNoAnonymous = errors.New("no O_TMPFILE")

// createAnonymous: only Linux has O_TMPFILE.
func createAnonymous(string, []byte, os.FileMode) error { return errNoAnonymous }
