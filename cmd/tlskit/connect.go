package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/echo"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/urfave/cli/v2"
)

func connectCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "connect",
		Usage:     "connect to a TLS server, show the session, and echo (replaces openssl s_client)",
		UsageText: "tlskit connect [options] HOST:PORT",
		Description: `Connects, verifies the server against the system roots plus --ca files, and
prints a summary of the session on stderr (--json: one JSON object on stdout).
Then it pipes stdin to the server and the server to stdout, half-closing at
the end of stdin; or, with --message TEXT, sends TEXT and checks the echo.

` + exitCodeHelp,
		Flags:  connectFlags(),
		Action: func(c *cli.Context) error { return e.connect(c) },
	}
}

func connectFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringSliceFlag{Name: "ca", Usage: "also trust the CA certificates in `FILE` (repeatable)"},
		&cli.StringFlag{Name: "servername", Usage: "`NAME` to verify and send as SNI (default: the host)"},
		&cli.BoolFlag{Name: "insecure", Usage: "do not verify the server certificate (testing only)"},
		&cli.StringFlag{Name: "cert", Usage: "client certificate `FILE` for mutual TLS (with --key)"},
	}
	flags = append(flags, keyReadFlags("key", "")...)
	return append(flags,
		&cli.StringSliceFlag{Name: "alpn", Usage: "offer ALPN `PROTO` (repeatable)"},
		&cli.StringFlag{Name: "min-tls", Value: "1.2", Usage: "lowest TLS `VERSION`: 1.2 or 1.3"},
		&cli.DurationFlag{Name: "timeout", Value: echo.DefaultDialTimeout, Usage: "limit connect plus handshake, and the echo of --message, to `TIME` each"},
		&cli.BoolFlag{Name: "json", Usage: "print the session summary as one JSON object on stdout"},
		&cli.BoolFlag{Name: "showcerts", Usage: "write the server's certificate chain as PEM to stdout"},
		&cli.StringFlag{Name: "message", Usage: "send `TEXT`, read the echo, exit 5 unless identical"},
	)
}

func (e *env) connect(c *cli.Context) error {
	cfg, err := e.clientConfig(c)
	if err != nil {
		return err
	}
	if cfg.Insecure {
		warnf(e.stderr, "--insecure: the server certificate is not verified")
	}
	conn, err := echo.Dial(context.Background(), cfg)
	if err != nil {
		return dialError(err, cfg.Addr)
	}
	defer conn.Close()
	sum := echo.Summarize(conn, cfg)
	if err := e.showSession(c, conn, sum); err != nil {
		return err
	}
	if c.IsSet("message") {
		return rejectedCode(e.exchange(c, conn, sum))
	}
	return rejectedCode(echo.Pipe(conn, e.stdin, e.stdout))
}

// rejectedCode gives exit code 4 to a session the server rejected after the
// client's side of the handshake (a TLS 1.3 client certificate, for one).
func rejectedCode(err error) error {
	if errors.Is(err, echo.ErrHandshake) {
		return withCode(exitHandshake, err)
	}
	return err
}

func (e *env) clientConfig(c *cli.Context) (echo.ClientConfig, error) {
	addr, err := connectAddr(c)
	if err != nil {
		return echo.ClientConfig{}, err
	}
	minTLS, err := echo.ParseVersion(c.String("min-tls"))
	if err != nil {
		return echo.ClientConfig{}, usageError("", "--min-tls: %w", err)
	}
	cfg := echo.ClientConfig{
		Addr: addr, ServerName: c.String("servername"), Insecure: c.Bool("insecure"),
		NextProtos: c.StringSlice("alpn"), MinVersion: minTLS, Timeout: c.Duration("timeout"),
	}
	if cfg.RootCAs, err = trustedRoots(c.StringSlice("ca")); err != nil {
		return cfg, err
	}
	cfg.Certificates, err = e.clientCertificates(c)
	return cfg, err
}

func connectAddr(c *cli.Context) (string, error) {
	if c.NArg() != 1 {
		return "", usageError("run 'tlskit connect --help' for usage", "connect takes one HOST:PORT argument")
	}
	addr := c.Args().First()
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return "", usageError("write the address as HOST:PORT, e.g. localhost:4433", "%q is not HOST:PORT", addr)
	}
	return addr, nil
}

// trustedRoots is the system pool plus the certificates of each --ca file.
func trustedRoots(files []string) (*x509.CertPool, error) {
	if len(files) == 0 {
		return nil, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	for _, f := range files {
		if err := addCerts(pool, f); err != nil {
			return nil, err
		}
	}
	return pool, nil
}

func (e *env) clientCertificates(c *cli.Context) ([]tls.Certificate, error) {
	certFile, keyFile := c.String("cert"), c.String("key")
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, usageError("pass both --cert FILE and --key FILE for mutual TLS", "--cert and --key go together")
	}
	pass, err := e.passinFor(c.String(flagPassin), keyFile)
	if err != nil {
		return nil, err
	}
	kp := &keyPair{certFile: certFile, keyFile: keyFile, opts: keys.ReadKeyOptions{
		Passphrase: pass, AllowInsecurePerms: c.Bool(flagAllowInsecure)}}
	cert, err := kp.load()
	if err != nil {
		return nil, err
	}
	return []tls.Certificate{*cert}, nil
}

// dialError maps a failed Dial to its exit code, explaining verification
// failures.
func dialError(err error, addr string) error {
	var cve *tls.CertificateVerificationError
	switch {
	case errors.Is(err, echo.ErrConnect):
		return withCode(exitConnect, err)
	case errors.As(err, &cve):
		msg, hint := certs.ExplainVerifyError(cve.Err)
		if hint == "" {
			hint = verifyHint(cve.Err)
		}
		return withCode(exitHandshake, fmt.Errorf("verifying %s: %s", addr, msg), nonEmpty(hint)...)
	case errors.Is(err, echo.ErrHandshake):
		return withCode(exitHandshake, err)
	}
	return err
}

// verifyHint is the fix for the common verification failures.
func verifyHint(err error) string {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	switch {
	case errors.As(err, &ua):
		return "pass --ca FILE with the certificate of the CA that issued it"
	case errors.As(err, &he):
		return "pass --servername NAME with one of the names it is valid for"
	}
	return ""
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// connectReport is the --json output: the session plus the echo check.
type connectReport struct {
	echo.Summary
	Echo        *string `json:"echo,omitempty"`
	EchoMatches *bool   `json:"echo_matches,omitempty"`
}

// showSession prints the summary (unless --json with --message, which waits
// for the echo) and the chain with --showcerts.
func (e *env) showSession(c *cli.Context, conn *tls.Conn, sum echo.Summary) error {
	switch {
	case !c.Bool("json"):
		printSummary(e.stderr, sum)
	case !c.IsSet("message"):
		if err := json.NewEncoder(e.stdout).Encode(connectReport{Summary: sum}); err != nil {
			return err
		}
	}
	if c.Bool("showcerts") {
		for _, cert := range conn.ConnectionState().PeerCertificates {
			if _, err := e.stdout.Write(certs.EncodePEM("CERTIFICATE", cert.Raw)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *env) exchange(c *cli.Context, conn *tls.Conn, sum echo.Summary) error {
	msg := c.String("message")
	if msg == "" {
		return usageError("", "--message needs a non-empty TEXT")
	}
	// A server that does not echo (or not all of it) must not hang a script.
	if d := c.Duration("timeout"); d > 0 {
		conn.SetDeadline(time.Now().Add(d))
	}
	got, err := echo.Exchange(conn, []byte(msg))
	if c.Bool("json") {
		s, same := string(got), err == nil
		if jerr := json.NewEncoder(e.stdout).Encode(connectReport{Summary: sum, Echo: &s, EchoMatches: &same}); jerr != nil {
			return jerr
		}
	} else if len(got) > 0 {
		e.stdout.Write(withNewline(got))
	}
	if errors.Is(err, echo.ErrEchoDiffers) {
		return withCode(exitEcho, err)
	}
	return err
}

// withNewline ends b with a newline, so that an echo prints as a line.
func withNewline(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\n")) {
		return b
	}
	return append(b, '\n')
}
