package main

import (
	"crypto"
	"crypto/x509"
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
			Name:      "init",
			Usage:     "create a CA key and certificate (CA:TRUE, pathlen 0) for signing with 'tlskit sign'",
			UsageText: "tlskit ca init [--out-cert ca.crt] [--out-key ca.key] [--cn NAME] [--days N] [--passout SRC | --no-encrypt]",
			Description: "Writes the key like genkey (encrypted by default, mode 0400, atomically) and a self-signed\n" +
				"CA certificate with keyCertSign and cRLSign. Both files are written, or neither.",
			Flags: caInitFlags(),
			OnUsageError: func(c *cli.Context, err error, _ bool) error {
				return withCode(exitUsage, err, "run 'tlskit ca init --help' for usage")
			},
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
		&cli.BoolFlag{Name: "explain", Usage: "print the equivalent openssl commands on stderr first"},
	}
}

func (e *env) caInit(c *cli.Context) error {
	if err := checkCAInitFlags(c); err != nil {
		return err
	}
	certOut, keyOut, force := c.String("out-cert"), c.String("out-key"), c.Bool("force")
	for _, path := range []string{keyOut, certOut} {
		if err := refuseExistingPath(path, force); err != nil {
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
		printExplain(e.stderr, explainGenkey(spec, keyOut, pass != nil, c.String("passout"), enc),
			explainCA(keyOut, c.String("passout"), c.String("cn"), c.Int("days"), certOut))
	}
	key, keyPEM, err := e.newKeyPEM(spec, pass, enc)
	if err != nil {
		return err
	}
	der, err := certs.CreateCA(key, certs.CAOptions{CommonName: c.String("cn"), Days: c.Int("days")})
	if err != nil {
		return err
	}
	return e.writePair(keyOut, keyPEM, certOut, der, force)
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
func (e *env) writePair(keyPath string, keyPEM []byte, certPath string, certDER []byte, force bool) error {
	err := writeAll("", []outFile{
		{keyPath, keyPEM, keys.KeyFileMode},
		{certPath, certs.EncodePEM("CERTIFICATE", certDER), 0o644},
	}, force)
	if err != nil {
		return err
	}
	e.noticeWrote(keyPath, keyPEM, certPath, certDER)
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
		noticef(e.stderr, "wrote %s (%s, valid until %s)", certPath, cert.Subject, cert.NotAfter.UTC().Format(time.DateOnly))
	}
}
