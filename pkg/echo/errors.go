package echo

import "errors"

// Sentinel errors; callers branch on them with errors.Is.
var (
	// ErrConnect: the TCP connection could not be made (refused, timeout, DNS).
	ErrConnect = errors.New("could not connect")
	// ErrHandshake: the TLS handshake or the certificate verification failed.
	ErrHandshake = errors.New("TLS handshake failed")
	// ErrEchoDiffers: the bytes read back are not the bytes sent.
	ErrEchoDiffers = errors.New("echo differs")
	// ErrNoCertificate: a server was configured without a certificate.
	ErrNoCertificate = errors.New("no server certificate")
	// ErrBadVersion: a TLS version name tlskit does not accept.
	ErrBadVersion = errors.New("unsupported TLS version")
	// ErrNoFixtureTLS: NewFixtureServer was called without a TLS configuration.
	ErrNoFixtureTLS = errors.New("fixture server without a TLS configuration")
)
