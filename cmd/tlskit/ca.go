package main

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/urfave/cli/v2"
)

func caCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "ca",
		Usage: "manage a certificate authority",
		Subcommands: []*cli.Command{{
			Name:  "init",
			Usage: "create a CA key and certificate (CA:TRUE) for signing with 'tlskit sign'",
			UsageText: "tlskit ca init [--out-cert ca.crt] [--out-key ca.key] [--cn NAME] [--days N] [--pathlen N]\n" +
				"   [--permit NAME ...] [--exclude NAME ...] [--passout SRC | --no-encrypt]\n" +
				"tlskit ca init --intermediate --ca root.crt --ca-key root.key [--passin SRC] --out-cert inter.crt --out-key inter.key ...",
			Description: "Writes the key like genkey (encrypted by default, mode 0400, atomically) and a CA certificate\n" +
				"with keyCertSign and cRLSign: self-signed, or with --intermediate signed by the --ca CA.\n" +
				"Both files are written, or neither.",
			Flags:  caInitFlags(),
			Action: func(c *cli.Context) error { return e.caInit(c) },
		}},
	}
}

func caInitFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "out-cert", Value: "ca.crt", Usage: "write the CA certificate to `FILE`"},
		&cli.StringFlag{Name: "out-key", Value: "ca.key", Usage: "write the CA key to `FILE`"},
		&cli.StringFlag{Name: "cn", Value: "tlskit CA", Usage: "common `NAME` of the CA"},
		&cli.IntFlag{Name: "days", Value: 3650, Usage: "validity in `DAYS`"},
		&cli.StringFlag{Name: "algorithm", Value: "rsa", Usage: "key `ALGORITHM`: rsa, ecdsa or ed25519"},
		&cli.IntFlag{Name: "bits", Value: 2048, Usage: "RSA key size: 2048, 3072 or 4096"},
		&cli.StringFlag{Name: "curve", Value: "P-256", Usage: "ECDSA curve: P-256, P-384 or P-521"},
		&cli.StringFlag{Name: "passout", Usage: "passphrase source for the key: " + passSourceSyntax},
		&cli.BoolFlag{Name: "no-encrypt", Usage: "write the key unencrypted"},
		&cli.IntFlag{Name: "iter", Value: keys.DefaultIterations, Usage: "PBKDF2 iteration count"},
		&cli.BoolFlag{Name: "force", Usage: "replace existing files"},
		outformFlag(),
		&cli.BoolFlag{Name: "explain", Usage: "print the equivalent openssl commands on stderr first"},
		&cli.IntFlag{Name: "pathlen", Usage: "allow `N` intermediate CAs below this CA (0: it signs end-entity certificates only)"},
		&cli.StringSliceFlag{Name: "permit", Usage: "name constraint: the CA may issue only for `NAME`s within these (DNS:example.com, IP:127.0.0.0/8, email:, URI:; repeatable, comma lists)"},
		&cli.StringSliceFlag{Name: "exclude", Usage: "name constraint: the CA may not issue for `NAME`s within these (same syntax as --permit)"},
		&cli.BoolFlag{Name: "intermediate", Usage: "make an intermediate CA signed by --ca and --ca-key instead of a self-signed one"},
		&cli.StringFlag{Name: "ca", Usage: "with --intermediate: the issuing CA certificate `FILE` (it may be followed by its own issuers)"},
		&cli.StringFlag{Name: "ca-key", Usage: "with --intermediate: the issuing CA's private key `FILE`"},
		&cli.StringFlag{Name: flagPassin, Usage: "passphrase `SRC` for an encrypted --ca-key: " + passSourceSyntax},
		&cli.BoolFlag{Name: flagAllowInsecure, Usage: "accept a --ca-key file that group or others can read"},
	}
}

func (e *env) caInit(c *cli.Context) error {
	opts, err := caInitOptions(c)
	if err != nil {
		return err
	}
	certOut, keyOut, force := c.String("out-cert"), c.String("out-key"), c.Bool("force")
	asDER, err := checkOutform(c)
	if err != nil {
		return err
	}
	for _, path := range []string{keyOut, certOut} {
		if err := refuseExistingPath(path, force); err != nil {
			return err
		}
	}
	if c.Bool("intermediate") {
		if opts.Parent, opts.ParentKey, err = e.readIssuingCA(c, opts.PathLen); err != nil {
			return err
		}
	}
	var pass []byte
	if !c.Bool("no-encrypt") {
		var err error
		if pass, err = e.passoutFor(c.String("passout"), keyOut); err != nil {
			return err
		}
	}
	spec, enc := caKeySpec(c), keys.Encryption{Iterations: c.Int("iter")}
	if c.Bool("explain") {
		printExplain(e.stderr, explainGenkey(spec, keyOut, pass != nil, c.String("passout"), enc), explainCAInit(c, opts))
	}
	key, keyPEM, err := e.newKeyPEM(spec, pass, enc)
	if err != nil {
		return err
	}
	der, err := certs.CreateCA(key, opts)
	if err != nil {
		return caHints(err, c.String("ca"))
	}
	return e.writePair(keyOut, keyPEM, certOut, certs.Encode("CERTIFICATE", der, asDER), force)
}

// caInitOptions checks ca init's flags, before any prompt or slow work, and
// returns the CA options they give (without the issuing CA).
func caInitOptions(c *cli.Context) (certs.CAOptions, error) {
	if err := firstErr(checkCAInitFlags(c), checkIntermediateFlags(c)); err != nil {
		return certs.CAOptions{}, err
	}
	nc, err := parseConstraintFlags(c)
	if err != nil {
		return certs.CAOptions{}, err
	}
	return certs.CAOptions{CommonName: c.String("cn"), Days: c.Int("days"), PathLen: c.Int("pathlen"), Constraints: nc}, nil
}

// parseConstraintFlags parses --permit and --exclude, naming the flag of a
// bad value.
func parseConstraintFlags(c *cli.Context) (certs.NameConstraints, error) {
	const hint = "write constraints as DNS:example.com, IP:127.0.0.0/8, email:example.com or URI:example.com"
	if _, err := certs.ParseNameConstraints(c.StringSlice("permit"), nil); err != nil {
		return certs.NameConstraints{}, usageError(hint, "--permit: %w", err)
	}
	if _, err := certs.ParseNameConstraints(nil, c.StringSlice("exclude")); err != nil {
		return certs.NameConstraints{}, usageError(hint, "--exclude: %w", err)
	}
	return certs.ParseNameConstraints(c.StringSlice("permit"), c.StringSlice("exclude"))
}

func explainCAInit(c *cli.Context, opts certs.CAOptions) string {
	key, passout, cn, days := c.String("out-key"), c.String("passout"), c.String("cn"), c.Int("days")
	if c.Bool("intermediate") {
		return explainIntermediate(key, passout, cn, days, opts, c.String("ca"), c.String("ca-key"), c.String(flagPassin),
			c.String("out-cert"))
	}
	return explainCA(key, passout, cn, days, opts, c.String("out-cert"))
}

func checkIntermediateFlags(c *cli.Context) error {
	switch {
	case c.Int("pathlen") < 0:
		return usageError("0 lets the CA sign end-entity certificates only; 1 lets it sign one level of intermediates",
			"--pathlen must be 0 or more, not %d", c.Int("pathlen"))
	case c.Bool("intermediate"):
		return requireFlags(c, "ca", "ca-key")
	}
	for _, name := range []string{"ca", "ca-key", flagPassin} {
		if c.IsSet(name) {
			return usageError("add --intermediate to make a CA signed by another one", "--%s is only for --intermediate", name)
		}
	}
	return nil
}

// readIssuingCA reads the CA that signs an intermediate (its file may hold
// its own issuers after it), refusing one that may not sign a CA with
// pathLen before asking for its key's passphrase.
func (e *env) readIssuingCA(c *cli.Context, pathLen int) ([]*x509.Certificate, crypto.Signer, error) {
	caPath := c.String("ca")
	chain, err := certs.ReadCertFile(caPath)
	if err != nil {
		return nil, nil, err
	}
	if err := certs.CheckCACert(chain[0], time.Now()); err != nil {
		return nil, nil, signHints(err, caPath)
	}
	if err := certs.CheckPathLen(chain[0], pathLen); err != nil {
		return nil, nil, caHints(err, caPath)
	}
	key, err := e.loadKey(c, "ca-key")
	return chain, key, err
}

func caHints(err error, caPath string) error {
	switch {
	case errors.Is(err, certs.ErrPathLen):
		return withHint(fmt.Errorf("%s: %w", caPath, err), "make the issuing CA with a larger --pathlen (1 for one level of intermediates)")
	case errors.Is(err, certs.ErrKeyMismatch):
		return withHint(err, "--ca-key must be the private key of the --ca certificate")
	}
	return err
}

func checkCAInitFlags(c *cli.Context) error {
	if err := firstErr(notEmpty(c, "out-key", "out-cert", "cn"), checkNewKeyFlags(c), checkKeySpecFlags(c), checkDaysFlags(c, "days")); err != nil {
		return err
	}
	switch {
	case c.Args().Present():
		return usageError("the output files go in --out-cert and --out-key", "unexpected argument %q", c.Args().First())
	case c.String("out-cert") == c.String("out-key"):
		return usageError("give two different files", "--out-cert and --out-key are both %q", c.String("out-key"))
	}
	return nil
}

func caKeySpec(c *cli.Context) keys.KeySpec {
	return keys.KeySpec{Algorithm: c.String("algorithm"), Bits: c.Int("bits"), Curve: c.String("curve")}
}

// newKeyPEM generates a key and encodes it, encrypted when pass is not nil,
// with a spinner on a terminal: RSA 4096 and the KDF can take seconds.
func (e *env) newKeyPEM(spec keys.KeySpec, pass []byte, enc keys.Encryption) (crypto.Signer, []byte, error) {
	var key crypto.Signer
	var data []byte
	err := e.withSpinner("generating key", func() error {
		var err error
		if key, err = keys.GenerateKey(spec); err != nil {
			return err
		}
		data, err = keys.MarshalKeyPEM(key, pass, enc)
		return err
	})
	return key, data, err
}

// writePair writes a new key and its certificate: both, or neither.
// certData is the certificate as it is to be written, PEM or DER.
func (e *env) writePair(keyPath string, keyPEM []byte, certPath string, certData []byte, force bool) error {
	err := writeAll("", []outFile{
		{keyPath, keyPEM, keys.KeyFileMode},
		{certPath, certData, 0o644},
	}, force)
	if err != nil {
		return err
	}
	parsed, err := certs.ParseCertificates(certData)
	if err != nil {
		return err
	}
	e.noticeWrote(keyPath, keyPEM, certPath, parsed[0].Raw)
	return nil
}

func (e *env) noticeWrote(keyPath string, keyPEM []byte, certPath string, certDER []byte) {
	prot := "unencrypted"
	if info, err := keys.DescribeKeyPEM(keyPEM); err == nil && info.Encrypted {
		prot = "encrypted with " + info.Cipher
	} else {
		warnf(e.stderr, "%s is not encrypted: anyone who can read it can use it", keyPath)
	}
	noticef(e.stderr, "wrote %s (%s, mode 0400)", keyPath, prot)
	if cert, err := x509.ParseCertificate(certDER); err == nil {
		noticef(e.stderr, "wrote %s (%s, valid until %s)", certPath, certs.DN(cert.RawSubject, cert.Subject), cert.NotAfter.UTC().Format(time.DateOnly))
	}
}
