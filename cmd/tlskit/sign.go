package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

func signCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "sign",
		Usage:     "issue a certificate for a request, signed by a CA (openssl x509 -req -CA)",
		UsageText: "tlskit sign --ca ca.crt --ca-key ca.key --csr x.csr --out x.crt [--days N] [--server|--client|--both]",
		Description: "The certificate gets the request's subject and SANs, an AuthorityKeyId, and a validity\n" +
			"clipped to the CA's. A request whose signature does not verify is refused.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "ca", Value: "ca.crt", Usage: "CA certificate `FILE`"},
			&cli.StringFlag{Name: "csr", Usage: "certificate request `FILE`"},
			&cli.StringFlag{Name: "out", Usage: "write the certificate to `FILE` (- for stdout)"},
			&cli.IntFlag{Name: "days", Value: 365, Usage: "validity in `DAYS`"},
			&cli.BoolFlag{Name: "server", Usage: "for TLS servers only (serverAuth)"},
			&cli.BoolFlag{Name: "client", Usage: "for TLS clients only (clientAuth)"},
			&cli.BoolFlag{Name: "both", Usage: "for servers and clients (the default)"},
			outformFlag(),
			&cli.BoolFlag{Name: "fullchain", Usage: "write the certificate followed by the CA certificates of --ca that are not self-signed (the chain a server sends)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing --out file"},
			&cli.BoolFlag{Name: "explain", Usage: "print the equivalent openssl command on stderr first"},
		}, keyReadFlags("ca-key", "ca.key")...),
		Action: func(c *cli.Context) error { return e.sign(c) },
	}
}

func (e *env) sign(c *cli.Context) error {
	usage, err := checkSignFlags(c)
	if err != nil {
		return err
	}
	out := c.String("out")
	asDER, err := e.outform(c, out)
	if err != nil {
		return err
	}
	if asDER && c.Bool("fullchain") {
		return usageError("write the chain as PEM, or the certificate alone as DER", "--fullchain and --outform der exclude each other: a DER file holds one certificate")
	}
	if err := refuseExistingPath(out, c.Bool("force")); err != nil {
		return err
	}
	chain, csr, err := readSignInputs(c.String("ca"), c.String("csr"))
	if err != nil {
		return err
	}
	ca := chain[0]
	sans, err := certs.LeafNames(csr, usage)
	if err != nil {
		return withHint(fmt.Errorf("%s: %w", c.String("csr"), err),
			"make the request again with the host name: tlskit csr --san HOST, or sign it with --client")
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainForms(explainSign(c.String("ca"), c.String("ca-key"), c.String(flagPassin), c.String("csr"),
			c.Int("days"), usage, csr.PublicKeyAlgorithm == x509.RSA, sans.Strings(), out), asDER,
			"-inform", c.String("csr"), "-CAform", c.String("ca")))
	}
	caKey, err := e.loadKey(c, "ca-key")
	if err != nil {
		return err
	}
	der, err := certs.SignCSR(csr, ca, caKey, certs.LeafOptions{Days: c.Int("days"), Usage: usage, Issuers: chain[1:]})
	if err != nil {
		return signCSRError(err, c)
	}
	data := signedPEM(der, chain, c.Bool("fullchain"))
	if asDER {
		data = der
	}
	if err := e.writeOutput(out, data, c.Bool("force")); err != nil {
		return err
	}
	e.noticeSigned(out, csr, der)
	if c.Bool("fullchain") && out != "-" {
		e.noticeFullchain(chain)
	}
	return nil
}

// noticeFullchain says what --fullchain added after the certificate, and
// why nothing when the CA is a self-signed root.
func (e *env) noticeFullchain(chain []*x509.Certificate) {
	var added []string
	for _, c := range chain {
		if !certs.IsSelfSigned(c) {
			added = append(added, certs.DN(c.RawSubject, c.Subject))
		}
	}
	if len(added) == 0 {
		noticef(e.stderr, "--fullchain added no CA certificate: %s is a self-signed root, which clients must already trust",
			certs.DN(chain[0].RawSubject, chain[0].Subject))
		return
	}
	noticef(e.stderr, "--fullchain: the certificate is followed by %s", strings.Join(added, "; "))
}

func signCSRError(err error, c *cli.Context) error {
	switch {
	case errors.Is(err, certs.ErrKeyMismatch):
		return withHint(fmt.Errorf("%s: %w", c.String("ca-key"), err), "--ca-key must be the private key of the --ca certificate")
	case errors.Is(err, certs.ErrOutsideNames):
		return withHint(fmt.Errorf("%s: %w", c.String("csr"), err),
			"the request names a host the CA may not vouch for: drop it, or sign with another CA ('tlskit inspect "+c.String("ca")+"' shows the constraints)")
	}
	return err
}

// noticeSigned says what was written, and which names the certificate got
// from the request's Common Name when the request had none.
func (e *env) noticeSigned(out string, csr *x509.CertificateRequest, der []byte) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return
	}
	if got := certSANs(cert); len(csr.DNSNames)+len(csr.IPAddresses)+len(csr.EmailAddresses)+len(csr.URIs) == 0 && !got.Empty() {
		noticef(e.stderr, "the request has no subject alternative name: the certificate names its Common Name, %s",
			strings.Join(got.Strings(), ", "))
	}
	if out != "-" {
		noticef(e.stderr, "wrote %s (%s, valid until %s)", out, certs.DN(cert.RawSubject, cert.Subject), cert.NotAfter.UTC().Format(time.DateOnly))
	}
}

// signedPEM is the new certificate, followed with fullchain by the CA
// certificates a server sends with it: all of --ca but a self-signed root.
func signedPEM(der []byte, chain []*x509.Certificate, fullchain bool) []byte {
	out := certs.EncodePEM("CERTIFICATE", der)
	if !fullchain {
		return out
	}
	for _, c := range chain {
		if !certs.IsSelfSigned(c) {
			out = append(out, certs.EncodePEM("CERTIFICATE", c.Raw)...)
		}
	}
	return out
}

func checkSignFlags(c *cli.Context) (certs.Usage, error) {
	if err := firstErr(requireFlags(c, "csr", "out"), notEmpty(c, "ca", "ca-key"), checkDaysFlags(c, "days")); err != nil {
		return 0, err
	}
	n, usage := 0, certs.UsageBoth
	for _, f := range []struct {
		name string
		u    certs.Usage
	}{{"server", certs.UsageServer}, {"client", certs.UsageClient}, {"both", certs.UsageBoth}} {
		if c.Bool(f.name) {
			n, usage = n+1, f.u
		}
	}
	switch {
	case n > 1:
		return 0, usageError("choose one of them", "--server, --client and --both exclude each other")
	case c.Args().Present():
		return 0, usageError("the request goes in --csr", "unexpected argument %q", c.Args().First())
	}
	return usage, nil
}

// readSignInputs reads the CA certificate (the first in its file, which may
// be followed by its own issuers) and the request, whose signature
// ReadCSRFile checks.
func readSignInputs(caPath, csrPath string) ([]*x509.Certificate, *x509.CertificateRequest, error) {
	cas, err := certs.ReadCertFile(caPath)
	if err != nil {
		return nil, nil, err
	}
	if err := certs.CheckCACert(cas[0], time.Now()); err != nil {
		return nil, nil, signHints(err, caPath)
	}
	csr, err := certs.ReadCSRFile(csrPath)
	if err != nil {
		if errors.Is(err, certs.ErrBadSignature) {
			return nil, nil, withHint(err, "the request was altered or corrupted: make it again with 'tlskit csr'")
		}
		if errors.Is(err, certs.ErrUnsupported) {
			return nil, nil, withHint(err, "make the request from an RSA, ECDSA (P-256, P-384, P-521) or Ed25519 key: "+
				"tlskit genkey, then tlskit csr")
		}
		return nil, nil, err
	}
	return cas, csr, nil
}

// signHints names the file at fault: caPath, or the --ca-key file for a
// key that does not match.
func signHints(err error, caPath string) error {
	switch {
	case errors.Is(err, certs.ErrNotCA):
		return withHint(fmt.Errorf("%s: %w", caPath, err),
			"--ca takes a CA certificate (CA:TRUE), such as one made by 'tlskit ca init'")
	case errors.Is(err, certs.ErrInvalidDays):
		return withHint(fmt.Errorf("%s: %w", caPath, err), "make a new CA with 'tlskit ca init', or renew this one")
	}
	return err
}
