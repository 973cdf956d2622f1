package main

import (
	"crypto/x509"
	"fmt"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

func verifyCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check that a certificate chains to a CA and fits a host and purpose (openssl verify)",
		UsageText: "tlskit verify --ca FILE [--host NAME] [--purpose server|client] CERT...",
		ArgsUsage: "CERT...",
		Description: "CERT holds the leaf certificate, optionally followed by intermediates. Prints \"CERT: OK\"\n" +
			"and exits 0 when valid; otherwise prints one error line per problem (dates, trust, host name,\n" +
			"purpose) with what the certificate is valid for, and exits 4 (verification failed).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ca", Usage: "trusted CA certificates `FILE` (PEM)"},
			&cli.StringFlag{Name: "host", Usage: "DNS name or IP `NAME` the certificate must be valid for"},
			&cli.StringFlag{Name: "purpose", Usage: "`USE` the certificate must allow: server or client"},
		},
		Action: func(c *cli.Context) error { return e.verify(c) },
	}
}

func (e *env) verify(c *cli.Context) error {
	if err := requireFlags(c, "ca"); err != nil {
		return err
	}
	if !c.Args().Present() {
		return usageError("name the certificate file to check", "no certificate to verify")
	}
	purpose, err := parsePurpose(c.String("purpose"))
	if err == nil && c.IsSet("host") {
		_, err = parseHosts([]string{c.String("host")})
	}
	if err != nil {
		return err
	}
	roots, err := certs.ReadCertFile(c.String("ca"))
	if err != nil {
		return err
	}
	// Every file is read before any verdict is printed: an unreadable one
	// stops the command with no partial output.
	chains, err := readChains(c.Args().Slice())
	if err != nil {
		return err
	}
	opts := certs.VerifyOptions{Roots: roots, Host: c.String("host"), Purpose: purpose}
	failed := 0
	for i, name := range c.Args().Slice() {
		if !e.verifyChain(name, chains[i], opts) {
			failed++
		}
	}
	if failed > 0 {
		return withCode(exitHandshake, fmt.Errorf("verification failed for %s", plural(failed, "certificate")))
	}
	return nil
}

func parsePurpose(s string) (x509.ExtKeyUsage, error) {
	switch s {
	case "":
		return x509.ExtKeyUsageAny, nil
	case "server":
		return x509.ExtKeyUsageServerAuth, nil
	case "client":
		return x509.ExtKeyUsageClientAuth, nil
	}
	return 0, usageError("use --purpose server or --purpose client", "unknown --purpose %q", s)
}

func readChains(names []string) ([][]*x509.Certificate, error) {
	chains := make([][]*x509.Certificate, len(names))
	for i, name := range names {
		var err error
		if chains[i], err = certs.ReadCertFile(name); err != nil {
			return nil, err
		}
	}
	return chains, nil
}

// verifyChain prints "NAME: OK", or one error line (and hint) per problem.
func (e *env) verifyChain(name string, chain []*x509.Certificate, opts certs.VerifyOptions) bool {
	probs := certs.VerifyChain(chain, opts)
	if len(probs) == 0 {
		fmt.Fprintf(e.stdout, "%s: OK\n", name)
		return true
	}
	for _, p := range probs {
		fmt.Fprintf(e.stderr, "tlskit: error: %s: %s\n", name, oneLine(p.Message))
		if p.Hint != "" {
			fmt.Fprintf(e.stderr, "tlskit: hint: %s\n", p.Hint)
		}
	}
	return false
}
