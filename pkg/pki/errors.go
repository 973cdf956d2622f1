package pki

import "errors"

// Sentinel errors. Every error of this package wraps one of them or an error
// of pkg/certs, pkg/keys or pkg/safefile, and names the file it is about.
var (
	// ErrForeignFile: a file in a bootstrap directory was not made by tlskit
	// bootstrap, or was changed since.
	ErrForeignFile = errors.New("file not made by tlskit bootstrap, or corrupted")
	// ErrMalformed: a manifest.json is not valid JSON.
	ErrMalformed = errors.New("malformed or corrupted data")
	// ErrUnsupported: a manifest.json of another format or version.
	ErrUnsupported = errors.New("unsupported format or algorithm")
	// ErrStaleFixtures: a fixture case directory whose certificates that
	// must verify are no longer valid.
	ErrStaleFixtures = errors.New("fixture certificates out of date")
)
