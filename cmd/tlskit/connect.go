package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/echo"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/urfave/cli/v2"
	xterm "golang.org/x/term"
)

func connectCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "connect",
		Usage:     "connect to a TLS server, show the session, and echo (replaces openssl s_client)",
		UsageText: "tlskit connect [options] HOST:PORT",
		ArgsUsage: "HOST:PORT",
		Description: `Connects, verifies the server against the system roots plus --ca files, and
prints a summary of the session on stderr. Then it pipes stdin to the server
and the server to stdout, half-closing at the end of stdin; or, with
--message TEXT, sends TEXT and checks the echo. --json prints one JSON
document on stdout instead (the session, and the echo of --message) and does
not pipe stdin.`,
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
		durationFlag("timeout", echo.DefaultDialTimeout, "limit connect plus handshake, and the echo of --message, to `DURATION` each"),
		&cli.BoolFlag{Name: "json", Usage: "print the session (and the echo of --message) as one JSON document on stdout; stdin is not piped"},
		&cli.BoolFlag{Name: "showcerts", Usage: "write the server's certificate chain as PEM to stdout"},
		&cli.StringFlag{Name: "message", Usage: "send `TEXT`, read the echo, exit 5 unless identical"},
		expiresWithinFlag,
	)
}

func (e *env) connect(c *cli.Context) error {
	within, err := expiresWithin(c)
	if err != nil {
		return err
	}
	cfg, err := e.clientConfig(c)
	if err != nil {
		return err
	}
	if cfg.Insecure {
		warnf(e.stderr, "--insecure: the server certificate is not verified")
	}
	conn, err := echo.Dial(context.Background(), cfg)
	if err != nil {
		return dialError(err, cfg)
	}
	defer conn.Close()
	sum := echo.Summarize(conn, cfg)
	useDN(sum.Chain, conn.ConnectionState().PeerCertificates)
	gate := e.expiryGate(conn.ConnectionState(), cfg.Addr, within, formatDuration(within))
	switch {
	case c.IsSet("message"):
		return gate(e.exchange(c, conn, sum))
	case c.Bool("json"):
		// One JSON document on stdout: the session, not the echo.
		return gate(e.printJSON(c, conn, connectReport{Summary: sum}))
	}
	if err := e.showSession(c, conn, sum); err != nil {
		return err
	}
	return gate(e.pipe(conn))
}

// pipe copies stdin to the server and the server to stdout. What is left
// of a piped input when the server closes early is counted for the
// message; a person at a terminal is not made to wait for that.
func (e *env) pipe(conn *echo.Conn) error {
	drain := echo.DefaultDrain
	if inputIsTerminal(e.stdin) {
		drain = 0
	}
	_, err := echo.Pipe(conn, e.stdin, e.stdout, drain)
	return sessionError(err)
}

// sessionError gives the exit codes of what can go wrong after the
// handshake: 4 for a session the server rejected (a TLS 1.3 client
// certificate), 5 for an echo that differs, 8 for a server that closed
// before the input ended.
func sessionError(err error) error {
	switch {
	case errors.Is(err, echo.ErrHandshake):
		return withCode(exitHandshake, err, handshakeHint(err))
	case errors.Is(err, echo.ErrEchoDiffers):
		return withCode(exitEcho, err)
	case errors.Is(err, echo.ErrCutShort):
		return withCode(exitCutShort, err)
	}
	return err
}

// clientCertHint is the fix for a server that refused the client certificate.
func clientCertHint(err error) string {
	switch {
	case errors.Is(err, echo.ErrClientCertRejected):
		return "the server does not accept this certificate: check that its CA is the one the server trusts for clients, and that it is valid for client authentication"
	case errors.Is(err, echo.ErrClientCertRequired):
		return "pass --cert FILE and --key FILE with a client certificate the server trusts"
	}
	return ""
}

// handshakeHint adds to clientCertHint what the server's alert tells: a
// protocol_version alert means it speaks only versions below tlskit's.
func handshakeHint(err error) string {
	if h := clientCertHint(err); h != "" {
		return h
	}
	// crypto/tls reports a received alert as a net.OpError "remote error"
	// whose alert type is unexported: only its text tells which.
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" && op.Err != nil && op.Err.Error() == "tls: protocol version not supported" {
		return "the server speaks none of the TLS versions tlskit offers (1.2 and 1.3, or 1.3 alone with --min-tls 1.3): it likely speaks only TLS 1.0 or 1.1, which tlskit refuses as insecure"
	}
	return ""
}

func inputIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && xterm.IsTerminal(int(f.Fd()))
}

func (e *env) clientConfig(c *cli.Context) (echo.ClientConfig, error) {
	addr, err := connectAddr(c)
	if err == nil {
		err = checkConnectFlags(c)
	}
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
	return parseAddr(c.Args().First(), "")
}

// checkConnectFlags refuses flag values and combinations that would fail
// only after connecting, or be silently ignored.
func checkConnectFlags(c *cli.Context) error {
	switch {
	case c.Duration("timeout") <= 0:
		return usageError("such as --timeout 10s", "--timeout %s: the timeout must be more than 0", formatDuration(c.Duration("timeout")))
	case c.String("key") == "" && c.IsSet(flagPassin):
		return usageError("--passin is for the key of --cert and --key", "--%s has no use without --key", flagPassin)
	case c.String("key") == "" && c.IsSet(flagAllowInsecure):
		return usageError("--allow-insecure-key-perms is for the key of --cert and --key", "--%s has no use without --key", flagAllowInsecure)
	}
	return checkALPN(c)
}

// checkALPN refuses an --alpn protocol TLS cannot carry (1 to 255 bytes).
func checkALPN(c *cli.Context) error {
	for _, p := range c.StringSlice("alpn") {
		if len(p) > 255 {
			return usageError("ALPN protocol names are short, such as h2 or http/1.1", "--alpn: a protocol name is at most 255 bytes, not %d", len(p))
		}
	}
	return nil
}

// caFileHint adds to an error reading a --ca file that is not a
// certificate what --ca takes.
func caFileHint(err error) error {
	if errors.Is(err, certs.ErrNotCertificate) {
		return withHint(err, "--ca takes the certificate of the issuing CA (PEM or DER), not a key or a request")
	}
	return err
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
			return nil, caFileHint(err)
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
	kp := &keyPair{spinner: e, certFile: certFile, keyFile: keyFile, opts: keys.ReadKeyOptions{
		Passphrase: pass, AllowInsecurePerms: c.Bool(flagAllowInsecure)}}
	cert, err := kp.load()
	if err != nil {
		return nil, err
	}
	return []tls.Certificate{*cert}, nil
}

// dialError maps a failed Dial to its exit code, explaining verification
// failures.
func dialError(err error, cfg echo.ClientConfig) error {
	var cve *tls.CertificateVerificationError
	switch {
	case errors.Is(err, echo.ErrConnect):
		return withCode(exitConnect, err)
	case errors.As(err, &cve):
		msg, hints := certs.ExplainServerChain(cve.Err, cve.UnverifiedCertificates, cfg.RootCAs)
		return withCode(exitHandshake, fmt.Errorf("verifying %s: %s", cfg.Addr, msg), hints...)
	case errors.Is(err, echo.ErrUnsupportedKey):
		return withCode(exitHandshake, err, "give the server an RSA key (rsaEncryption, as openssl genpkey -algorithm RSA makes) or an ECDSA or Ed25519 key, such as tlskit genkey makes")
	case errors.Is(err, echo.ErrWeakKey):
		return withCode(exitHandshake, err, "the server needs a larger key (RSA 2048 bits or more, or ECDSA); --insecure connects anyway")
	case errors.Is(err, echo.ErrHandshake):
		return withCode(exitHandshake, err, handshakeHint(err))
	}
	return err
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
	Chain       []connectCert `json:"chain"` // Summary.Chain with the names' RDN lists
	Echo        *string       `json:"echo,omitempty"`
	EchoMatches *bool         `json:"echo_matches,omitempty"`
}

// connectCert is a certificate of the chain in --json, with its names both
// as a string and as a list of attributes, as inspect --json gives them.
type connectCert struct {
	echo.CertSummary
	SubjectRDNs []certs.DNAttribute `json:"subject_rdns"`
	IssuerRDNs  []certs.DNAttribute `json:"issuer_rdns"`
}

// printJSON writes r as the one JSON document on stdout, with the
// certificates as PEM inside it for --showcerts.
func (e *env) printJSON(c *cli.Context, conn *echo.Conn, r connectReport) error {
	r.Chain = []connectCert{}
	for i, cert := range conn.ConnectionState().PeerCertificates {
		cc := connectCert{CertSummary: r.Summary.Chain[i],
			SubjectRDNs: certs.DNAttributes(certs.ParseDN(cert.RawSubject, cert.Subject)),
			IssuerRDNs:  certs.DNAttributes(certs.ParseDN(cert.RawIssuer, cert.Issuer))}
		if c.Bool("showcerts") {
			cc.PEM = string(certs.EncodePEM("CERTIFICATE", cert.Raw))
		}
		r.Chain = append(r.Chain, cc)
	}
	return json.NewEncoder(e.stdout).Encode(r)
}

// showSession prints the summary for people, and the chain as PEM on
// stdout with --showcerts.
func (e *env) showSession(c *cli.Context, conn *echo.Conn, sum echo.Summary) error {
	printSummary(e.stderr, sum)
	if !c.Bool("showcerts") {
		return nil
	}
	for _, cert := range conn.ConnectionState().PeerCertificates {
		if _, err := e.stdout.Write(certs.EncodePEM("CERTIFICATE", cert.Raw)); err != nil {
			return err
		}
	}
	return nil
}

// exchange sends --message and checks the echo, bounded by --timeout: a
// server that does not echo (or not all of it) must not hang a script.
func (e *env) exchange(c *cli.Context, conn *echo.Conn, sum echo.Summary) error {
	if !c.Bool("json") {
		if err := e.showSession(c, conn, sum); err != nil {
			return err
		}
	}
	msg := c.String("message") // not empty: see checkNotEmpty
	if d := c.Duration("timeout"); d > 0 {
		conn.SetDeadline(time.Now().Add(d))
	}
	got, err := echo.Exchange(conn, []byte(msg))
	if c.Bool("json") {
		s, same := string(got), err == nil
		if jerr := e.printJSON(c, conn, connectReport{Summary: sum, Echo: &s, EchoMatches: &same}); jerr != nil {
			return jerr
		}
	} else if len(got) > 0 {
		e.stdout.Write(withNewline(got))
	}
	return sessionError(err)
}

// withNewline ends b with a newline, so that an echo prints as a line.
func withNewline(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\n")) {
		return b
	}
	return append(b, '\n')
}
