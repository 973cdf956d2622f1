package main

import (
	"errors"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
)

// libraryHints maps library errors to the fixes tlskit knows for them.
func libraryHints(err error) []string {
	switch {
	case errors.Is(err, safefile.ErrExists):
		return []string{"pass --force to replace it, or choose another output file"}
	case errors.Is(err, keys.ErrWeakKey):
		return []string{"use --bits 2048, 3072 or 4096"}
	case errors.Is(err, keys.ErrUnknownCurve):
		return []string{"use --curve P-256, P-384 or P-521"}
	case errors.Is(err, keys.ErrUnknownAlgorithm):
		return []string{"use --algorithm rsa, ecdsa or ed25519"}
	case errors.Is(err, keys.ErrBadPassSource):
		return []string{"use pass:TEXT, env:VAR, file:PATH, fd:N or stdin"}
	}
	if hint := foreignKeyHint(err, "KEY"); hint != "" {
		return []string{hint}
	}
	return nil
}
