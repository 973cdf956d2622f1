package main

import (
	"fmt"
	"os"

	"github.com/tlskit/tlskit/pkg/certs"
)

// refuseExistingPath fails early, before prompts or slow work, when path
// exists and force is off; the final atomic write still refuses on its own.
func refuseExistingPath(path string, force bool) error {
	if force || path == "-" {
		return nil
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, certs.ErrExists)
	}
	return nil
}
