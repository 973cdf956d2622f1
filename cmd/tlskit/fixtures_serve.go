package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/tlskit/tlskit/pkg/pki"
	"github.com/urfave/cli/v2"
)

func fixturesServeCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "serve every TLS client test case (expired, wrong host, TLS 1.0, ...) on 127.0.0.1",
		UsageText: "tlskit fixtures serve [--dir DIR] [--sni-port PORT] [--log-format text|json] [--quiet]",
		Description: `Serves each case on its own port of 127.0.0.1, and all of them on one more
port chosen by SNI (NAME.localhost). The first line of stdout is one JSON
object: the CA file to trust, the client certificate, the index page, and
for each case its address, servername, URL, SNI URL, expected verdict and
why. Logs go to stderr: each client hello (what the client offered) and each
connection's end (its reason says whether the handshake failed).
HTTP requests get a page naming the case; the valid case's page lists every
case. Anything else is echoed. The cases are made at start in a temporary
directory, or kept in --dir (made there the first time, read after).
SIGINT/SIGTERM: stop.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "keep the fixture certificates in `DIR` (made there if absent)"},
			&cli.IntFlag{Name: "sni-port", Usage: "serve every case by SNI on `PORT` of 127.0.0.1 (0: any free port)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log `FORMAT`: text or json"},
			&cli.BoolFlag{Name: "quiet", Usage: "log warnings and errors only"},
		},
		Action: func(c *cli.Context) error { return e.fixturesServe(c) },
	}
}

// serveInfo is the first line of fixtures serve.
type serveInfo struct {
	CA         string              `json:"ca"`
	ClientCert string              `json:"client_cert"`
	ClientKey  string              `json:"client_key"`
	Index      string              `json:"index"`
	SNIAddr    string              `json:"sni_addr"`
	Cases      map[string]caseInfo `json:"cases"`
}

func (e *env) fixturesServe(c *cli.Context) error {
	if c.Args().Present() {
		return usageError("", "unexpected argument %q", c.Args().First())
	}
	port := c.Int("sni-port")
	if port < 0 || port > 65535 {
		return usageError("", "--sni-port %d: use a port from 0 to 65535", port)
	}
	log, err := e.newLogger(c.String("log-format"), c.Bool("quiet"))
	if err != nil {
		return err
	}
	// The signal handler is in place before the temporary directory exists,
	// so that a signal never leaves it behind.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	set, dir, cleanup, err := loadCaseSet(c.String("dir"))
	if err != nil {
		return err
	}
	defer cleanup()
	cs, err := startCases(ctx, set, dir, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), log)
	if err != nil {
		return err
	}
	if err := e.printServeInfo(cs); err != nil {
		stop()
		cs.wait()
		return err
	}
	if !c.Bool("quiet") {
		_, sniPort, _ := net.SplitHostPort(cs.sniAddr)
		noticef(e.stderr, "serving %d cases: trust %s, then open https://localhost:%s/ (stop with Ctrl-C)",
			len(set.Cases), cs.file(pki.CAFile), sniPort)
	}
	return cs.wait()
}

func (e *env) printServeInfo(cs *caseServers) error {
	_, sniPort, _ := net.SplitHostPort(cs.sniAddr)
	line, err := json.Marshal(serveInfo{CA: cs.file(pki.CAFile), ClientCert: cs.file(pki.ClientCertFile),
		ClientKey: cs.file(pki.ClientKeyFile), Index: "https://localhost:" + sniPort + "/",
		SNIAddr: cs.sniAddr, Cases: cs.info()})
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(append(line, '\n'))
	return err
}
