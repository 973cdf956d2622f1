package main

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

// browserMaxDays is the longest validity browsers accept for a TLS server
// certificate (CA/Browser Forum baseline requirements, 398 days).
const browserMaxDays = 398

func selfsignCommand(e *env) *cli.Command {
	flags := append(keyReadFlags("key", defaultKeyFile),
		&cli.StringFlag{Name: "csr", Value: "server.csr", Usage: "certificate signing request `FILE`"},
		&cli.IntFlag{Name: "days", Value: 365, Usage: "validity in days"},
		&cli.StringFlag{Name: "out", Value: "server.crt", Usage: "write the certificate to `FILE` (- for stdout)"},
		&cli.BoolFlag{Name: "force", Usage: "replace an existing output file"},
		outformFlag(),
		explainFlag,
	)
	return &cli.Command{
		Name:      "selfsign",
		Usage:     "sign a request with its own key: an X.509 v3 certificate (openssl x509 -req -signkey)",
		UsageText: "tlskit selfsign [--csr server.csr] [--key server.key] [--days 365] [--out server.crt]",
		Description: "Unlike the openssl recipe, the certificate is version 3 and keeps the request's\n" +
			"subject alternative names, so Go and browsers accept it.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return e.selfsign(c) },
	}
}

func (e *env) selfsign(c *cli.Context) error {
	days, out := c.Int("days"), c.String("out")
	asDER, err := e.outform(c, out)
	if err != nil {
		return err
	}
	if err := checkSelfsign(c, out); err != nil {
		return err
	}
	csr, key, err := e.selfsignInputs(c)
	if err != nil {
		return err
	}
	if c.Bool("explain") {
		e.explainSelfsign(c, csr, key, days)
	}
	der, err := certs.SelfSign(csr, key, certs.LeafOptions{Days: days})
	if err != nil {
		return signError(err, c.String("key"), c.String("csr"))
	}
	if err := e.writeOutput(out, certs.Encode("CERTIFICATE", der, asDER), c.Bool("force")); err != nil {
		return err
	}
	e.describeNewCert(out, der, days)
	return nil
}

// checkSelfsign refuses misused flags and an output that cannot be written
// before any file is read or passphrase asked.
func checkSelfsign(c *cli.Context, out string) error {
	if c.Args().Present() {
		return usageError("the request goes in --csr", "unexpected argument %q", c.Args().First())
	}
	if err := notEmpty(c, "csr", "key", "out"); err != nil {
		return err
	}
	if err := checkDaysFlags(c, "days"); err != nil {
		return err
	}
	return checkOutput(out, c.Bool("force"), map[string]string{"key": c.String("key"), "csr": c.String("csr")})
}

// selfsignInputs reads the request, then the key (asking for its passphrase
// only once the request is known to be good).
func (e *env) selfsignInputs(c *cli.Context) (*x509.CertificateRequest, crypto.Signer, error) {
	csr, err := certs.ReadCSRFile(c.String("csr"))
	if errors.Is(err, certs.ErrNotCSR) {
		return nil, nil, withHint(err, "--csr takes the request written by 'tlskit csr'; the key goes in --key")
	}
	if err != nil {
		return nil, nil, err
	}
	key, err := e.loadKey(c, "key")
	return csr, key, err
}

func (e *env) explainSelfsign(c *cli.Context, csr *x509.CertificateRequest, key crypto.Signer, days int) {
	subject, sans := csrNames(csr)
	_, isRSA := key.(*rsa.PrivateKey)
	printExplain(e.stderr, explainSelfsign(c.String("key"), c.String(flagPassin), subject, sans,
		days, certs.UsageBoth, isRSA, c.String("out")))
}

// signError names the files involved in a failed signature.
func signError(err error, keyFile, csrFile string) error {
	if errors.Is(err, certs.ErrKeyMismatch) {
		return withHint(fmt.Errorf("%s does not match the public key in %s", keyFile, csrFile),
			"sign with the key the request was made from (--key)")
	}
	return fmt.Errorf("%s: %w", csrFile, err)
}

func (e *env) describeNewCert(out string, der []byte, days int) {
	if days > browserMaxDays {
		warnf(e.stderr, "%d days is longer than the %d days browsers accept for server certificates", days, browserMaxDays)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil || out == "-" {
		return
	}
	noticef(e.stderr, "wrote %s (%s; names: %s; valid until %s)", out, certs.DN(cert.RawSubject, cert.Subject),
		strings.Join(certSANs(cert).Strings(), ", "), cert.NotAfter.UTC().Format(time.DateOnly))
}

func certSANs(cert *x509.Certificate) certs.SANs {
	return certs.SANs{DNSNames: cert.DNSNames, IPs: cert.IPAddresses, Emails: cert.EmailAddresses, URIs: cert.URIs}
}
