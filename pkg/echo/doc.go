// Package echo is tlskit's TLS echo server and client.
//
// The server echoes every byte a client sends, in order, over TLS with the
// Mozilla intermediate profile set explicitly, and protects itself against
// clients that stall, flood or misbehave: a handshake deadline, an idle
// deadline, a cap on concurrent connections, no large buffer held while a
// connection is idle, and an accept loop that backs off on errors.
//
// The package never prints: it reports through the *slog.Logger it is given
// and returns errors. Signals and exit codes belong to the caller.
package echo
