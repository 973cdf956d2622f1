package echo

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// DefaultDialTimeout bounds dial plus handshake when ClientConfig.Timeout is zero.
const DefaultDialTimeout = 10 * time.Second

// ClientConfig configures Dial.
type ClientConfig struct {
	Addr         string            // HOST:PORT
	ServerName   string            // name to verify and send as SNI; default: the host part of Addr
	RootCAs      *x509.CertPool    // nil means the system roots
	Insecure     bool              // skip verification (the Summary still reports what it would say)
	Certificates []tls.Certificate // client certificates for mutual TLS
	NextProtos   []string          // ALPN protocols to offer
	MinVersion   uint16            // tls.VersionTLS12 (default) or tls.VersionTLS13
	Timeout      time.Duration     // dial plus handshake
}

// Dial connects to cfg.Addr and completes a verified TLS handshake. Errors
// wrap ErrConnect when no TCP connection could be made and ErrHandshake when
// the handshake or verification failed; a verification failure also wraps
// the *tls.CertificateVerificationError with the x509 details.
func Dial(ctx context.Context, cfg ClientConfig) (*tls.Conn, error) {
	tcfg, err := clientTLSConfig(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeoutOr(cfg.Timeout))
	defer cancel()
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("%w to %s: %w", ErrConnect, cfg.Addr, unwrapOp(err))
	}
	tc := tls.Client(raw, tcfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, fmt.Errorf("%w with %s: %w", ErrHandshake, cfg.Addr, unwrapOp(err))
	}
	return tc, nil
}

func timeoutOr(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultDialTimeout
	}
	return d
}

// unwrapOp drops the "dial tcp 127.0.0.1:1:" prefix of net.OpError, which
// would repeat the address the message already names.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

func clientTLSConfig(cfg ClientConfig) (*tls.Config, error) {
	c := baseConfig(cfg.MinVersion, cfg.NextProtos)
	c.RootCAs = cfg.RootCAs
	c.Certificates = cfg.Certificates
	c.InsecureSkipVerify = cfg.Insecure
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return nil, fmt.Errorf("address %q: %w", cfg.Addr, err)
	}
	c.ServerName = serverName(cfg)
	return c, nil
}

// serverName is the name the client verifies: ServerName, else the host.
func serverName(cfg ClientConfig) string {
	if cfg.ServerName != "" {
		return cfg.ServerName
	}
	host, _, _ := net.SplitHostPort(cfg.Addr)
	return host
}

// Pipe copies in to conn and conn to out. At the end of in it half-closes
// conn (close_notify) and keeps reading until the server is done, as the
// echo server closes only after echoing everything. Pipe returns when the
// server has closed; a Read on in may still be pending then.
func Pipe(conn *tls.Conn, in io.Reader, out io.Writer) error {
	sent := make(chan error, 1)
	go func() {
		_, err := io.Copy(conn, in)
		if err == nil {
			err = conn.CloseWrite()
		}
		sent <- err
	}()
	_, err := io.Copy(out, conn)
	if err != nil {
		return fmt.Errorf("reading from server: %w", rejected(err))
	}
	select {
	case err := <-sent:
		if err != nil {
			return fmt.Errorf("sending to server: %w", err)
		}
	default:
	}
	return nil
}

// Exchange sends msg, reads back len(msg) bytes and returns them; the error
// wraps ErrEchoDiffers when they differ, the server closed early or the
// conn's deadline passed first, and ErrHandshake when the server rejected
// the session with an alert.
func Exchange(conn *tls.Conn, msg []byte) ([]byte, error) {
	if _, err := conn.Write(msg); err != nil {
		return nil, fmt.Errorf("sending to server: %w", rejected(err))
	}
	got := make([]byte, len(msg))
	n, err := io.ReadFull(conn, got)
	got = got[:n]
	if isTimeout(err) {
		return got, fmt.Errorf("%w: received %d of %d bytes before the deadline", ErrEchoDiffers, n, len(msg))
	}
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return got, fmt.Errorf("reading from server: %w", rejected(err))
	}
	if err != nil {
		return got, fmt.Errorf("%w: the server closed after %d of %d bytes", ErrEchoDiffers, n, len(msg))
	}
	if !bytes.Equal(got, msg) {
		return got, fmt.Errorf("%w: sent %q, received %q", ErrEchoDiffers, msg, got)
	}
	return got, nil
}

// rejected marks an alert received after the handshake as a handshake
// failure: with TLS 1.3 a server refuses a client certificate only after the
// client has finished its side of the handshake. crypto/tls reports received
// alerts as a net.OpError with Op "remote error".
func rejected(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		return fmt.Errorf("%w: %w", ErrHandshake, err)
	}
	return err
}
