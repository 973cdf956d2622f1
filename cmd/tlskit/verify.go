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
	if err != nil {
		return err
	}
	roots, err := certs.ReadCertFile(c.String("ca"))
	if err != nil {
		return err
	}
	opts := certs.VerifyOptions{Roots: roots, Host: c.String("host"), Purpose: purpose}
	failed := 0
	for _, name := range c.Args().Slice() {
		ok, err := e.verifyFile(name, opts)
		if err != nil {
			return err
		}
		if !ok {
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

// verifyFile prints "NAME: OK", or one error line (and hint) per problem.
func (e *env) verifyFile(name string, opts certs.VerifyOptions) (bool, error) {
	chain, err := certs.ReadCertFile(name)
	if err != nil {
		return false, err
	}
	probs := certs.VerifyChain(chain, opts)
	if len(probs) == 0 {
		fmt.Fprintf(e.stdout, "%s: OK\n", name)
		return true, nil
	}
	for _, p := range probs {
		fmt.Fprintf(e.stderr, "tlskit: error: %s: %s\n", name, oneLine(p.Message))
		if p.Hint != "" {
			fmt.Fprintf(e.stderr, "tlskit: hint: %s\n", p.Hint)
		}
	}
	return false, nil
}
