package echo

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults used for zero Config fields.
const (
	DefaultHandshakeTimeout       = 10 * time.Second
	DefaultIdleTimeout            = 5 * time.Minute
	DefaultMaxConns               = 10000
	DefaultMaxHandshakes          = 1000
	DefaultMaxHandshakesPerSource = 64
	DefaultMaxConnsPerSource      = 1000
	DefaultShutdownTimeout        = 30 * time.Second
	DefaultSessionLifetime        = 24 * time.Hour
)

// Config configures a Server. Zero durations and limits take the defaults
// above; a negative per-source limit means no limit.
type Config struct {
	Addr             string           // for ListenAndServe
	Certificate      *tls.Certificate // required; replace later with SetCertificate
	ClientCAs        *x509.CertPool   // when set, clients must present a certificate it verifies
	NextProtos       []string         // ALPN protocols, in preference order
	MinVersion       uint16           // tls.VersionTLS12 (default) or tls.VersionTLS13
	HandshakeTimeout time.Duration    // the whole handshake, from accept
	IdleTimeout      time.Duration    // with no byte read, or a write not accepted
	MaxConns         int              // established connections at once; over it, new clients wait
	// MaxHandshakes bounds the handshakes in progress, apart from MaxConns,
	// so that clients that never finish one cannot hold established slots;
	// at the limit, the accept loop waits.
	MaxHandshakes int
	// MaxHandshakesPerSource and MaxConnsPerSource bound what one client
	// address (IPv6: one /64) may have open; a connection over either is
	// closed at once, so that one source cannot starve the others.
	MaxHandshakesPerSource int
	MaxConnsPerSource      int
	// SessionLifetime is how long a session ticket can be resumed, and how
	// often the ticket keys are replaced.
	SessionLifetime time.Duration
	ShutdownTimeout time.Duration // grace period when Serve's context is cancelled
	MaxAccept       int           // when > 0, stop accepting after this many connections
	Logger          *slog.Logger  // nil discards
}

// Server is a TLS echo server. Create it with NewServer.
type Server struct {
	cfg   Config
	log   *slog.Logger
	tls   *tls.Config
	cert  atomic.Pointer[tls.Certificate]
	slots chan struct{} // established connections
	hands chan struct{} // handshakes in progress
	srcs  *sources
	keys  ticketKeys

	// warnings held back under a flood
	busyWarn, sourceWarn throttle

	mu        sync.Mutex
	quitting  bool
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	wg        sync.WaitGroup // one per connection goroutine
	quit      chan struct{}  // closed when shutdown begins

	fixture *Fixture // set only by NewFixtureServer
}

// NewServer checks cfg, fills in defaults and returns a server ready to Serve.
func NewServer(cfg Config) (*Server, error) {
	if cfg.Certificate == nil || len(cfg.Certificate.Certificate) == 0 {
		return nil, ErrNoCertificate
	}
	s := newServer(cfg)
	s.cert.Store(cfg.Certificate)
	s.tls = s.serverTLSConfig()
	if err := s.keys.init(s.tls, s.cfg.SessionLifetime); err != nil {
		return nil, err
	}
	return s, nil
}

// newServer fills in cfg's defaults and makes a server without its TLS
// configuration.
func newServer(cfg Config) *Server {
	cfg = withDefaults(cfg)
	return &Server{
		cfg:        cfg,
		log:        cfg.Logger,
		slots:      make(chan struct{}, cfg.MaxConns),
		hands:      make(chan struct{}, cfg.MaxHandshakes),
		srcs:       newSources(cfg.MaxHandshakesPerSource, cfg.MaxConnsPerSource),
		busyWarn:   throttle{interval: warnInterval},
		sourceWarn: throttle{interval: warnInterval},
		listeners:  make(map[net.Listener]struct{}),
		conns:      make(map[*conn]struct{}),
		quit:       make(chan struct{}),
	}
}

func withDefaults(cfg Config) Config {
	setDefault(&cfg.HandshakeTimeout, DefaultHandshakeTimeout)
	setDefault(&cfg.IdleTimeout, DefaultIdleTimeout)
	setDefault(&cfg.ShutdownTimeout, DefaultShutdownTimeout)
	setDefault(&cfg.SessionLifetime, DefaultSessionLifetime)
	setLimit(&cfg.MaxConns, DefaultMaxConns)
	setLimit(&cfg.MaxHandshakes, DefaultMaxHandshakes)
	if cfg.MaxHandshakesPerSource == 0 {
		cfg.MaxHandshakesPerSource = DefaultMaxHandshakesPerSource
	}
	if cfg.MaxConnsPerSource == 0 {
		cfg.MaxConnsPerSource = DefaultMaxConnsPerSource
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}

func setDefault(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

func setLimit(n *int, def int) {
	if *n <= 0 {
		*n = def
	}
}

func (s *Server) serverTLSConfig() *tls.Config {
	c := baseConfig(s.cfg.MinVersion, s.cfg.NextProtos)
	c.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		return s.cert.Load(), nil
	}
	if s.cfg.ClientCAs != nil {
		c.ClientCAs = s.cfg.ClientCAs
		c.ClientAuth = tls.RequireAndVerifyClientCert
	}
	if len(c.NextProtos) > 0 {
		c.GetConfigForClient = s.refuseOtherProtocols
	}
	return c
}

// noCommonProtocol is the only protocol of the configuration that refuses
// a client: a name no client offers.
const noCommonProtocol = "tlskit-no-common-protocol"

// refuseOtherProtocols refuses, with the no_application_protocol alert, a
// client whose ALPN protocols are none of the server's. crypto/tls does
// that itself except for one case it lets through on purpose: a server
// offering h2 accepts a client offering only http/1.1, without ALPN.
func (s *Server) refuseOtherProtocols(hello *tls.ClientHelloInfo) (*tls.Config, error) {
	if len(hello.SupportedProtos) == 0 {
		return nil, nil
	}
	for _, p := range hello.SupportedProtos {
		if slices.Contains(s.cfg.NextProtos, p) {
			return nil, nil
		}
	}
	refuse := s.tls.Clone()
	refuse.NextProtos = []string{noCommonProtocol}
	return refuse, nil
}

// SetCertificate replaces the certificate for new handshakes; connections
// already established keep theirs. It also replaces the session-ticket
// keys, so that no session made under the old certificate is resumed.
func (s *Server) SetCertificate(cert *tls.Certificate) error {
	if cert == nil || len(cert.Certificate) == 0 {
		return ErrNoCertificate
	}
	if err := s.keys.reset(); err != nil {
		return err
	}
	s.cert.Store(cert)
	return nil
}

// Certificate returns the certificate new handshakes use.
func (s *Server) Certificate() *tls.Certificate { return s.cert.Load() }

// ListenAndServe listens on cfg.Addr and serves until ctx is cancelled.
func (s *Server) ListenAndServe(ctx context.Context) error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, l)
}

// Serve accepts connections on l and echoes them. It returns after every
// connection has ended, when MaxAccept connections have been served, when
// Shutdown is called, or when ctx is cancelled, which shuts down gracefully
// within ShutdownTimeout. Serve closes l.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	if !s.addListener(l) {
		l.Close()
		return fmt.Errorf("serve %s: server is shut down", l.Addr())
	}
	s.log.Info("listening", "addr", l.Addr().String(), "profile", s.profileName(),
		"mtls", s.cfg.ClientCAs != nil, "alpn", s.cfg.NextProtos)
	acceptDone := make(chan error, 1)
	go func() { acceptDone <- s.acceptLoop(l) }()
	select {
	case err := <-acceptDone:
		if err != nil {
			s.log.Error("accept failed: closing connections", "err", err)
			s.closeAll()
		}
		s.waitConns(ctx)
		return err
	case <-ctx.Done():
		s.shutdownGracefully()
		return <-acceptDone
	}
}

// waitConns waits for the open connections to end, shutting down gracefully
// if ctx is cancelled meanwhile.
func (s *Server) waitConns(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.shutdownGracefully()
		<-done
	}
}

func (s *Server) shutdownGracefully() {
	s.log.Info("shutting down", "open", s.OpenConns(), "timeout", s.cfg.ShutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	s.Shutdown(ctx)
}

// Shutdown stops accepting, waits for open connections to end until ctx is
// done, then closes the rest and waits for their goroutines. It returns
// ctx.Err() when connections had to be closed.
func (s *Server) Shutdown(ctx context.Context) error {
	s.beginShutdown()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	if n := s.closeAll(); n > 0 {
		s.log.Warn("shutdown timeout: closing connections", "open", n)
	}
	<-done
	return ctx.Err()
}

func (s *Server) beginShutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quitting {
		return
	}
	s.quitting = true
	close(s.quit)
	for l := range s.listeners {
		l.Close()
	}
}

func (s *Server) addListener(l net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quitting {
		return false
	}
	s.listeners[l] = struct{}{}
	return true
}

func (s *Server) removeListener(l net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.listeners, l)
	l.Close()
}

// closeAll closes every open connection and returns how many there were.
func (s *Server) closeAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.forceClose()
	}
	return len(s.conns)
}

// Close stops accepting and closes every open connection at once; a
// graceful shutdown under way then ends. It returns how many it closed.
func (s *Server) Close() int {
	s.beginShutdown()
	return s.closeAll()
}

// OpenConns returns the number of connections being served.
func (s *Server) OpenConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}
