package main

import (
	"crypto/x509"
	"errors"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

func bundleCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "bundle",
		Usage:     "order loose certificates into a chain: the leaf, then each issuer (cat, done right)",
		UsageText: "tlskit bundle [--out FILE] [--with-root] CERT...",
		ArgsUsage: "CERT...",
		Description: "Reads every certificate of the files given, in any order, and writes the chain a server\n" +
			"sends: the leaf first, then its issuer, and so on. The self-signed root is left out unless\n" +
			"--with-root is given: clients must already trust it. A set with two leaves, or with a\n" +
			"certificate outside the leaf's chain, is refused.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Value: "-", Usage: "write the chain to `FILE` (- for stdout)"},
			&cli.BoolFlag{Name: "with-root", Usage: "end the chain with its self-signed root when it is among the files"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing --out file"},
		},
		Action: func(c *cli.Context) error { return e.bundle(c) },
	}
}

func (e *env) bundle(c *cli.Context) error {
	if err := notEmpty(c, "out"); err != nil {
		return err
	}
	if !c.Args().Present() {
		return usageError("name the certificate files, e.g. tlskit bundle server.crt intermediate.crt", "no certificate files")
	}
	out := c.String("out")
	if err := refuseExistingPath(out, c.Bool("force")); err != nil {
		return err
	}
	loaded, err := readChains(c.Args().Slice())
	if err != nil {
		return err
	}
	var all []*x509.Certificate
	for _, l := range loaded {
		all = append(all, l...)
	}
	chain, err := certs.OrderChain(all, c.Bool("with-root"))
	if errors.Is(err, certs.ErrNoChain) {
		return withHint(err, "give the leaf and the CA certificates above it, and nothing else")
	}
	if err != nil {
		return err
	}
	var data []byte
	for _, cert := range chain {
		data = append(data, certs.EncodePEM("CERTIFICATE", cert.Raw)...)
	}
	if err := e.writeOutput(out, data, c.Bool("force")); err != nil {
		return err
	}
	e.describeBundle(out, chain)
	return nil
}

// describeBundle names what the chain holds and where it ends.
func (e *env) describeBundle(out string, chain []*x509.Certificate) {
	top := chain[len(chain)-1]
	where := "stdout"
	if out != "-" {
		where = out
	}
	noticef(e.stderr, "wrote %s: %s for %s, issued by %s", where, plural(len(chain), "certificate"), certs.DN(chain[0].RawSubject, chain[0].Subject), certs.DN(top.RawIssuer, top.Issuer))
	if len(chain) > 1 && certs.IsSelfSigned(top) {
		noticef(e.stderr, "the chain ends with its root %s (--with-root)", certs.DN(top.RawSubject, top.Subject))
	}
}
