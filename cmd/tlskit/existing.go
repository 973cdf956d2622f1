package main

import "github.com/tlskit/tlskit/pkg/certs"

// refuseExistingPath fails early, before prompts or slow work, when path
// cannot be written (see certs.CheckOutputPath); "-" is stdout.
func refuseExistingPath(path string, force bool) error {
	if path == "-" {
		return nil
	}
	return certs.CheckOutputPath(path, force)
}
