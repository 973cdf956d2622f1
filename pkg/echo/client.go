package echo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
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

// Conn is an established client connection. It may hold bytes the server
// sent while Dial waited for the server's verdict on the client certificate.
type Conn struct {
	*tls.Conn
	auth  *clientAuth
	early []byte
	rtt   time.Duration // the TCP connect's, a round trip
}

// Read returns the bytes Dial kept first, then reads from the connection.
func (c *Conn) Read(b []byte) (int, error) {
	if len(c.early) > 0 {
		n := copy(b, c.early)
		c.early = c.early[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// Dial connects to cfg.Addr and completes a verified TLS handshake. Errors
// wrap ErrConnect when no TCP connection could be made and ErrHandshake when
// the handshake or verification failed; a verification failure also wraps
// the *tls.CertificateVerificationError with the x509 details, and a refused
// client certificate ErrClientCertRequired or ErrClientCertRejected.
//
// With TLS 1.3 a server judges the client certificate only after the
// client's handshake is done, so when the server asked for one, Dial waits
// for its verdict: a refusal is then a Dial error, not a later failed read.
func Dial(ctx context.Context, cfg ClientConfig) (*Conn, error) {
	auth := &clientAuth{certs: cfg.Certificates}
	tcfg, err := clientTLSConfig(cfg, auth)
	if err != nil {
		return nil, err
	}
	timeout := timeoutOr(cfg.Timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	start := time.Now()
	raw, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("%w to %s: %w", ErrConnect, cfg.Addr, dialCause(err, timeout))
	}
	c := &Conn{Conn: tls.Client(raw, tcfg), auth: auth, rtt: time.Since(start)}
	if err := c.HandshakeContext(ctx); err != nil {
		raw.Close()
		if why := whyHandshakeFailure(ctx, err, cfg); why != nil {
			return nil, fmt.Errorf("%w with %s: %w (%w)", ErrHandshake, cfg.Addr, why, err)
		}
		return nil, fmt.Errorf("%w with %s: %w", ErrHandshake, cfg.Addr, auth.explain(handshakeCause(err, timeout)))
	}
	if err := c.awaitVerdict(ctx); err != nil {
		raw.Close()
		return nil, fmt.Errorf("%w with %s: %w", ErrHandshake, cfg.Addr, err)
	}
	return c, nil
}

// whyHandshakeFailure looks into a bare handshake_failure alert, the answer
// of a server whose key crypto/tls cannot use; nil when that is not it.
func whyHandshakeFailure(ctx context.Context, err error, cfg ClientConfig) error {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" || op.Err.Error() != "tls: handshake failure" {
		return nil
	}
	return explainKeyType(ctx, cfg.Addr, serverName(cfg))
}

func timeoutOr(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultDialTimeout
	}
	return d
}

// dialCause drops the "dial tcp 127.0.0.1:1:" prefix of net.OpError, which
// would repeat the address the message already names, and says how long
// tlskit waited instead of "i/o timeout".
func dialCause(err error, timeout time.Duration) error {
	if isTimeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer within %s", timeout)
	}
	return unwrapOp(err)
}

// handshakeCause names a handshake timeout by how long tlskit waited,
// instead of "context deadline exceeded".
func handshakeCause(err error, timeout time.Duration) error {
	if isTimeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("the server did not finish the handshake within %s", timeout)
	}
	return unwrapOp(err)
}

func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil && op.Op != "remote error" {
		return op.Err
	}
	return err
}

func clientTLSConfig(cfg ClientConfig, auth *clientAuth) (*tls.Config, error) {
	c := baseConfig(cfg.MinVersion, cfg.NextProtos)
	c.RootCAs = cfg.RootCAs
	c.GetClientCertificate = auth.choose
	c.ClientSessionCache = auth
	c.InsecureSkipVerify = cfg.Insecure
	if !cfg.Insecure {
		c.VerifyConnection = checkKeySizes
	}
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
