package main

import (
	"fmt"
	"os"

	"github.com/tlskit/tlskit/pkg/certs"
)

// refuseExisting: temporary copy until keyflags.go on main provides it.
func refuseExisting(path string, force bool) error {
	if force || path == "-" {
		return nil
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, certs.ErrExists)
	}
	return nil
}
