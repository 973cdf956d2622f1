package echo

import "errors"

// Sentinel errors; callers branch on them with errors.Is.
var (
	// ErrConnect: the TCP connection could not be made (refused, timeout, DNS).
	ErrConnect = errors.New("could not connect")
	// ErrHandshake: the TLS handshake or the certificate verification failed.
	ErrHandshake = errors.New("TLS handshake failed")
	// ErrClientCertRequired: the server asked for a client certificate and
	// the client had none to send (wrapped with ErrHandshake).
	ErrClientCertRequired = errors.New("the server asked for a client certificate and none was sent")
	// ErrClientCertRejected: the server refused the client certificate sent
	// (wrapped with ErrHandshake).
	ErrClientCertRejected = errors.New("the server rejected the client certificate")
	// ErrWeakKey: the server's chain has a key too small to trust (wrapped
	// with ErrHandshake).
	ErrWeakKey = errors.New("the server's key is too small")
	// ErrUnsupportedKey: the server's certificate has a key type crypto/tls
	// cannot use, such as RSA-PSS (wrapped with ErrHandshake).
	ErrUnsupportedKey = errors.New("Go's TLS stack, and so tlskit, cannot use it")
	// ErrEchoDiffers: the bytes read back are not the bytes sent.
	ErrEchoDiffers = errors.New("echo differs")
	// ErrCutShort: the server closed the connection before the input ended.
	ErrCutShort = errors.New("the server closed the connection before the input ended")
	// ErrNoCertificate: a server was configured without a certificate.
	ErrNoCertificate = errors.New("no server certificate")
	// ErrBadVersion: a TLS version name tlskit does not accept.
	ErrBadVersion = errors.New("unsupported TLS version")
	// ErrNoFixtureTLS: NewFixtureServer was called without a TLS configuration.
	ErrNoFixtureTLS = errors.New("fixture server without a TLS configuration")
)
