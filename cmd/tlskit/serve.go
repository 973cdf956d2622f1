package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/echo"
	"github.com/urfave/cli/v2"
)

func serveCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "run a TLS echo server (replaces openssl s_server)",
		UsageText: "tlskit serve [--cert FILE] [--key FILE] [options] [HOST:PORT]",
		Description: `Echoes every byte each client sends, over TLS 1.2/1.3 with the Mozilla
intermediate profile (--min-tls 1.3 for modern). With port 0 the first line of
stdout is "listening on HOST:PORT". Logs go to stderr, one line per connection.
SIGINT/SIGTERM: stop accepting, let connections finish for --shutdown-timeout,
then exit 0 (a second signal closes them at once: exit 130 or 143). SIGHUP: reload --cert and --key
(a bad pair is logged, the old one kept).`,
		Flags:  serveFlags(),
		Action: func(c *cli.Context) error { return e.serve(c) },
	}
}

func serveFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "cert", Value: "server.crt", Usage: "certificate chain `FILE` (PEM, leaf first)"},
	}
	flags = append(flags, keyReadFlags("key", defaultKeyFile)...)
	return append(flags,
		&cli.StringFlag{Name: "addr", Value: defaultServeAddr, Usage: "listen on `HOST:PORT`, also given as the argument (a bare PORT: localhost:PORT; port 0: any free port)"},
		&cli.StringFlag{Name: "min-tls", Value: "1.2", Usage: "lowest TLS `VERSION`: 1.2 (intermediate) or 1.3 (modern)"},
		&cli.StringSliceFlag{Name: "alpn", Usage: "offer ALPN `PROTO` (repeatable, in preference order)"},
		&cli.StringFlag{Name: "client-ca", Usage: "require client certificates issued by the CAs in `FILE`"},
		durationFlag("handshake-timeout", echo.DefaultHandshakeTimeout, "drop clients that do not finish the handshake in `DURATION`"),
		durationFlag("idle-timeout", echo.DefaultIdleTimeout, "drop clients silent (or not reading) for `DURATION`"),
		&cli.IntFlag{Name: "max-conns", Value: echo.DefaultMaxConns, Usage: "serve at most `N` established clients at once; others wait"},
		&cli.IntFlag{Name: "max-handshakes", Value: echo.DefaultMaxHandshakes, Usage: "run at most `N` handshakes at once, apart from --max-conns; others wait"},
		&cli.IntFlag{Name: "max-handshakes-per-ip", Value: echo.DefaultMaxHandshakesPerSource, Usage: "refuse new clients from an address (IPv6: a /64) with `N` handshakes running (0: no limit)"},
		&cli.IntFlag{Name: "max-conns-per-ip", Value: echo.DefaultMaxConnsPerSource, Usage: "refuse new clients from an address (IPv6: a /64) with `N` connections open (0: no limit)"},
		durationFlag("session-lifetime", echo.DefaultSessionLifetime, "resume TLS sessions for at most `DURATION` (up to 7d); ticket keys rotate as often"),
		durationFlag("shutdown-timeout", echo.DefaultShutdownTimeout, "on SIGINT/SIGTERM, wait `DURATION` for clients to finish"),
		&cli.IntFlag{Name: "max-accept", Usage: "exit after serving `N` connections (0: no limit)"},
		&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log `FORMAT`: text or json"},
		&cli.BoolFlag{Name: "quiet", Usage: "log warnings and errors only"},
	)
}

func (e *env) serve(c *cli.Context) error {
	cfg, err := serveConfig(c)
	if err != nil {
		return err
	}
	if cfg.Logger, err = e.newLogger(c.String("log-format"), c.Bool("quiet")); err != nil {
		return err
	}
	kp, err := e.newKeyPair(c)
	if err != nil {
		return err
	}
	if cfg.Certificate, err = kp.load(); err != nil {
		return missingPairHint(err)
	}
	e.warnWeakKey(cfg.Certificate.Leaf)
	if cfg.ClientCAs, err = loadCAPool(c.String("client-ca")); errors.Is(err, certs.ErrNotCA) {
		return withHint(err, "--client-ca takes the certificates of the CAs that issue the client certificates (such as ca.crt), not a client or server certificate")
	}
	if err != nil {
		return err
	}
	return e.runServer(cfg, kp)
}

const defaultServeAddr = "localhost:4433"

// warnWeakKey warns about an RSA key that clients refuse: tlskit connect,
// curl, OpenSSL at Debian's default level and Python want 2048 bits.
func (e *env) warnWeakKey(leaf *x509.Certificate) {
	if k, ok := leaf.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < echo.MinRSABits {
		warnf(e.stderr, "the key of %s is %d-bit RSA: tlskit connect, curl, openssl and Python refuse keys under %d bits",
			leaf.Subject.String(), k.N.BitLen(), echo.MinRSABits)
	}
}

// missingPairHint tells a user with no certificate or key how to make them.
func missingPairHint(err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return withHint(err,
		"make a certificate and key first: tlskit bootstrap --dir pki --host localhost --no-encrypt, then tlskit serve --cert pki/server.crt --key pki/server.key",
		"or step by step: tlskit genkey, tlskit csr and tlskit selfsign (or sign with your CA)")
}

func serveConfig(c *cli.Context) (echo.Config, error) {
	addr, err := serveAddr(c)
	if err != nil {
		return echo.Config{}, err
	}
	minTLS, err := echo.ParseVersion(c.String("min-tls"))
	if err != nil {
		return echo.Config{}, usageError("", "--min-tls: %w", err)
	}
	if err := firstErr(checkLimits(c), checkTimeouts(c), checkALPN(c)); err != nil {
		return echo.Config{}, err
	}
	return echo.Config{
		Addr:                   addr,
		NextProtos:             c.StringSlice("alpn"),
		MinVersion:             minTLS,
		HandshakeTimeout:       c.Duration("handshake-timeout"),
		IdleTimeout:            c.Duration("idle-timeout"),
		MaxConns:               c.Int("max-conns"),
		MaxHandshakes:          c.Int("max-handshakes"),
		MaxHandshakesPerSource: orNoLimit(c.Int("max-handshakes-per-ip")),
		MaxConnsPerSource:      orNoLimit(c.Int("max-conns-per-ip")),
		SessionLifetime:        c.Duration("session-lifetime"),
		ShutdownTimeout:        c.Duration("shutdown-timeout"),
		MaxAccept:              c.Int("max-accept"),
	}, nil
}

// checkLimits refuses a limit the server would otherwise replace with its
// default.
func checkLimits(c *cli.Context) error {
	for _, name := range []string{"max-conns", "max-handshakes"} {
		if c.Int(name) < 1 {
			return usageError("", "--%s %d: must be at least 1", name, c.Int(name))
		}
	}
	for _, name := range []string{"max-handshakes-per-ip", "max-conns-per-ip", "max-accept"} {
		if c.Int(name) < 0 {
			return usageError("", "--%s %d: must be at least 0 (0: no limit)", name, c.Int(name))
		}
	}
	return nil
}

// orNoLimit maps the flags' 0 (no limit) to echo.Config's negative.
func orNoLimit(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// serveAddr is the listening address: --addr or the one argument, not both.
func serveAddr(c *cli.Context) (string, error) {
	switch {
	case c.NArg() > 1:
		return "", usageError("run 'tlskit serve --help' for usage", "serve takes at most one HOST:PORT argument, not %d", c.NArg())
	case c.NArg() == 1 && c.IsSet("addr"):
		return "", usageError("give the address once", "the address is given twice: --addr %s and %s", c.String("addr"), c.Args().First())
	case c.NArg() == 1:
		return parseAddr(c.Args().First(), "")
	}
	return parseAddr(c.String("addr"), "--addr")
}

// maxSessionLifetime is crypto/tls's own limit: it resumes no session older
// than 7 days, whatever tlskit allows.
const maxSessionLifetime = 7 * 24 * time.Hour

// checkTimeouts refuses a zero or negative timeout, which the server would
// otherwise silently replace with its default.
func checkTimeouts(c *cli.Context) error {
	for _, name := range []string{"handshake-timeout", "idle-timeout", "shutdown-timeout"} {
		if d := c.Duration(name); d <= 0 {
			return usageError("", "--%s %s: the timeout must be more than 0", name, formatDuration(d))
		}
	}
	if d := c.Duration("session-lifetime"); d <= 0 || d > maxSessionLifetime {
		return usageError("", "--session-lifetime %s: must be more than 0 and at most 7d (crypto/tls resumes no session older than 7 days)", formatDuration(d))
	}
	return nil
}

func (e *env) newLogger(format string, quiet bool) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if quiet {
		opts.Level = slog.LevelWarn
	}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		opts.ReplaceAttr = durationAsText
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, usageError("", "--log-format %q: use text or json", format)
}

// durationAsText writes durations in JSON logs as the text logs do ("3ms",
// "30s"), not as nanoseconds, so both formats carry the same fields.
func durationAsText(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.String(a.Key, a.Value.Duration().String())
	}
	return a
}

// runServer listens, prints the bound address, and serves until a signal or
// --max-accept ends it.
func (e *env) runServer(cfg echo.Config, kp *keyPair) error {
	srv, err := echo.NewServer(cfg)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return listenError(cfg.Addr, err)
	}
	fmt.Fprintf(e.stdout, "listening on %s\n", l.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopSignals, hard := e.stopOnSignals(srv, cfg, cancel)
	defer stopSignals()
	stopReload := reloadOnHangup(srv, kp, cfg.Logger)
	defer stopReload()
	if err := srv.Serve(ctx, l); err != nil {
		return err
	}
	if sig := hard(); sig != nil {
		return withCode(128+int(sig.(syscall.Signal)),
			fmt.Errorf("stopped by a second %s: open connections were closed at once", signalName(sig)))
	}
	cfg.Logger.Info("stopped")
	return nil
}

// stopOnSignals cancels the server's context on the first SIGINT or
// SIGTERM (a graceful shutdown) and closes every connection on the second.
// hard returns that second signal, if there was one; the exit code then is
// the shell's for a process killed by it (130, 143), as before tlskit
// caught it.
func (e *env) stopOnSignals(srv *echo.Server, cfg echo.Config, graceful func()) (stop func(), hard func() os.Signal) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	var second atomic.Value
	go func() {
		for n := 0; ; n++ {
			select {
			case sig := <-sigs:
				if n == 0 {
					e.noteGracefulStop(sig, srv.OpenConns(), cfg.ShutdownTimeout)
					graceful()
					continue
				}
				second.Store(sig)
				cfg.Logger.Warn("second signal: closing open connections now", "signal", signalName(sig), "open", srv.OpenConns())
				srv.Close()
				return
			case <-done:
				return
			}
		}
	}()
	stop = func() { signal.Stop(sigs); close(done) }
	hard = func() os.Signal {
		sig, _ := second.Load().(os.Signal)
		return sig
	}
	return stop, hard
}

// noteGracefulStop tells a person at a terminal who pressed Ctrl-C that the
// server is waiting for its clients, and how to stop waiting.
func (e *env) noteGracefulStop(sig os.Signal, open int, timeout time.Duration) {
	if sig == os.Interrupt && open > 0 && isTerminal(e.stderr) {
		noticef(e.stderr, "stopping: %d open connections have up to %s to finish; press Ctrl-C again to quit at once", open, timeout)
	}
}

func signalName(sig os.Signal) string {
	if sig == os.Interrupt {
		return "SIGINT"
	}
	return "SIGTERM"
}

// reloadOnHangup reloads the key pair into srv on each SIGHUP until the
// returned func is called.
func reloadOnHangup(srv *echo.Server, kp *keyPair, log *slog.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-hup:
				reload(srv, kp, log)
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(hup); close(done) }
}

func reload(srv *echo.Server, kp *keyPair, log *slog.Logger) {
	cert, err := kp.load()
	if err != nil {
		log.Error("reload failed: keeping the current certificate", "err", oneLine(err.Error()))
		return
	}
	if err := srv.SetCertificate(cert); err != nil {
		log.Error("reload failed: keeping the current certificate", "err", oneLine(err.Error()))
		return
	}
	log.Info("certificate reloaded", "subject", certs.DN(cert.Leaf.RawSubject, cert.Leaf.Subject),
		"not_after", cert.Leaf.NotAfter.UTC().Format(time.RFC3339))
}

func listenError(addr string, err error) error {
	err = fmt.Errorf("listen on %s: %w", addr, unwrapNetOp(err))
	if errors.Is(err, syscall.EADDRINUSE) {
		return withHint(err, "stop what listens there, or choose another --addr (port 0 picks a free one)")
	}
	return err
}

// unwrapNetOp keeps the cause of a listen error ("address already in use")
// without the repeated "listen tcp ADDR:" prefix.
func unwrapNetOp(err error) error {
	if op, ok := err.(*net.OpError); ok && op.Err != nil {
		return op.Err
	}
	return err
}
