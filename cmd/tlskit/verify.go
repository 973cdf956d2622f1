package main

import (
	"crypto/x509"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

func verifyCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "check that a certificate chains to a CA and fits a host and purpose (openssl verify, x509 -checkend)",
		UsageText: "tlskit verify [--ca FILE] [--host NAME] [--purpose server|client] [--expires-within 30d] [--json] " +
			"CERT...",
		ArgsUsage: "CERT...",
		Description: "CERT holds the leaf certificate, optionally followed by intermediates. Prints \"CERT: OK\"\n" +
			"and exits 0 when valid; otherwise prints one error line per problem (dates, trust, host name,\n" +
			"purpose) with what the certificate is valid for, and exits 4 (verification failed).\n" +
			"Without --ca, the system's roots are trusted. With --expires-within, a certificate of the\n" +
			"chain (leaf, intermediates, root) that expires within the window is named with its date,\n" +
			"and the exit code is 6 (unless a certificate is not valid: 4).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ca", Usage: "trust only the CA certificates in `FILE` (PEM or DER; default: the system roots)"},
			&cli.StringFlag{Name: "host", Usage: "DNS name or IP `NAME` the certificate must be valid for"},
			&cli.StringFlag{Name: "purpose", Usage: "`USE` the certificate must allow: server or client"},
			expiresWithinFlag,
			&cli.BoolFlag{Name: "json", Usage: "print the verdict of every CERT as JSON on stdout"},
		},
		Action: func(c *cli.Context) error { return e.verify(c) },
	}
}

// verifyResult is the verdict on one CERT, and its `verify --json` form.
type verifyResult struct {
	File     string           `json:"file"`
	Valid    bool             `json:"valid"`
	Problems []certs.Problem  `json:"problems"`
	Expiring []certs.Expiring `json:"expiring"`
}

func (e *env) verify(c *cli.Context) error {
	opts, within, err := verifyOptions(c)
	if err != nil {
		return err
	}
	// Every file is read before any verdict is printed: an unreadable one
	// stops the command with no partial output.
	chains, err := readChains(c.Args().Slice())
	if err != nil {
		return err
	}
	results := make([]verifyResult, len(chains))
	for i, name := range c.Args().Slice() {
		results[i] = checkChain(name, chains[i], opts, within)
	}
	if c.Bool("json") {
		if err := printJSON(e.stdout, map[string][]verifyResult{"files": results}); err != nil {
			return err
		}
	} else {
		e.printVerdicts(results, formatDuration(within))
	}
	return verifyExit(results, formatDuration(within))
}

// verifyOptions checks the flags (usage errors first) and reads --ca.
func verifyOptions(c *cli.Context) (certs.VerifyOptions, time.Duration, error) {
	if !c.Args().Present() {
		return certs.VerifyOptions{}, 0, usageError("name the certificate file to check", "no certificate to verify")
	}
	purpose, err := parsePurpose(c.String("purpose"))
	if err == nil && c.IsSet("host") {
		_, err = parseHosts([]string{c.String("host")})
	}
	within, werr := expiresWithin(c)
	if err = firstErr(err, werr); err != nil {
		return certs.VerifyOptions{}, 0, err
	}
	opts := certs.VerifyOptions{Host: c.String("host"), Purpose: purpose, SystemRoots: !c.IsSet("ca"), Now: time.Now()}
	if c.IsSet("ca") {
		if opts.Roots, err = certs.ReadCertFile(c.String("ca")); err != nil {
			return certs.VerifyOptions{}, 0, caFileHint(err)
		}
	}
	return opts, within, nil
}

func checkChain(name string, chain []*x509.Certificate, opts certs.VerifyOptions, within time.Duration) verifyResult {
	r := verifyResult{File: name, Problems: certs.VerifyChain(chain, opts), Expiring: []certs.Expiring{}}
	if r.Problems == nil {
		r.Problems = []certs.Problem{}
	}
	if within > 0 {
		r.Expiring = append(r.Expiring, certs.ExpiringWithin(certs.FullChain(chain, opts), opts.Now, within)...)
	}
	r.Valid = len(r.Problems) == 0
	return r
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

// printVerdicts prints "NAME: OK" on stdout for a CERT that passes, and one
// error line (and hint) per problem and per expiring certificate otherwise.
func (e *env) printVerdicts(results []verifyResult, window string) {
	for _, r := range results {
		if r.Valid && len(r.Expiring) == 0 {
			fmt.Fprintf(e.stdout, "%s: OK\n", r.File)
		}
		for _, p := range r.Problems {
			e.printProblem(r.File, p.Message, p.Hint)
		}
		e.printExpiring(r.File, r.Expiring, window)
	}
}

func (e *env) printProblem(name, msg, hint string) {
	fmt.Fprintf(e.stderr, "tlskit: error: %s: %s\n", name, oneLine(msg))
	if hint != "" {
		fmt.Fprintf(e.stderr, "tlskit: hint: %s\n", hint)
	}
}

// verifyExit is 4 when a certificate is not valid, else 6 when one expires
// within the window.
func verifyExit(results []verifyResult, window string) error {
	invalid, expiring := 0, 0
	for _, r := range results {
		if !r.Valid {
			invalid++
		}
		if len(r.Expiring) > 0 {
			expiring++
		}
	}
	switch {
	case invalid > 0:
		return withCode(exitHandshake, fmt.Errorf("verification failed for %s", plural(invalid, "certificate")))
	case expiring > 0:
		return withCode(exitExpiring, fmt.Errorf("a certificate expires within %s in %d of %s", window,
			expiring, plural(len(results), "file")))
	}
	return nil
}

func printJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
