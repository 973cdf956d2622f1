package main

import (
	"crypto/x509"
	"fmt"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/urfave/cli/v2"
)

func p12ImportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "split a PKCS#12 file into a key, its certificate and its chain (openssl pkcs12 -nocerts / -nokeys)",
		UsageText: "tlskit p12 import [--passin SRC] --out-key K --out-cert C [--out-chain F] [--passout SRC | --no-encrypt] x.p12",
		ArgsUsage: "FILE",
		Description: "Reads modern (AES), legacy (3DES) and RC2-40 files alike (openssl 3 needs -legacy for those).\n" +
			"The key is written like genkey's: encrypted PKCS#8 unless --no-encrypt, mode 0400. Certificates are\n" +
			"PEM, mode 0644. All the files are written, or none. --passin is the PKCS#12 password.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out-key", Usage: "write the private key to `FILE`"},
			&cli.StringFlag{Name: "out-cert", Usage: "write the certificate to `FILE`"},
			&cli.StringFlag{Name: "out-chain", Usage: "write the CA certificates to `FILE`"},
			&cli.StringFlag{Name: flagPassin, Usage: "password `SRC` of the PKCS#12 file: " + passSourceSyntax},
			&cli.BoolFlag{Name: "no-encrypt", Usage: "write the key unencrypted"},
			&cli.BoolFlag{Name: "force", Usage: "replace existing output files"}, explainFlag,
		}, newKeyEncryptionFlags()...),
		Action: func(c *cli.Context) error { return e.p12Import(c) },
	}
}

func (e *env) p12Import(c *cli.Context) error {
	args, err := keyArg(c, "x.p12")
	if err != nil {
		return err
	}
	outs, err := checkImportOutputs(c, args[0])
	if err != nil {
		return err
	}
	in := args[0]
	info, err := describeP12File(in)
	if err != nil {
		return err
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainP12Import(c, info.Profile == keys.P12LegacyRC2, in)...)
	}
	contents, err := e.readP12(c.String(flagPassin), in)
	if err != nil {
		return err
	}
	if contents.Key == nil {
		return withHint(fmt.Errorf("%s is a truststore: it holds %s and no key", in, plural(len(contents.TrustStore), "certificate")),
			"tlskit inspect --passin SRC "+shQuote(in)+" lists them")
	}
	pass, err := e.newKeyPassphrase(c, outs[0])
	if err != nil {
		return err
	}
	return e.writeImported(c, outs, contents, pass)
}

// checkImportOutputs checks --out-key, --out-cert and --out-chain: given
// where required, all different, none the input.
func checkImportOutputs(c *cli.Context, in string) ([]string, error) {
	if err := firstErr(requireFlags(c, "out-key", "out-cert"), checkNewKeyFlags(c), checkKDFFlag(c)); err != nil {
		return nil, err
	}
	outs := []string{c.String("out-key"), c.String("out-cert")}
	if c.IsSet("out-chain") {
		outs = append(outs, c.String("out-chain"))
	}
	seen := map[string]bool{}
	for _, o := range outs {
		if seen[o] {
			return nil, usageError("give each output its own file", "%s is given as two outputs", o)
		}
		seen[o] = true
	}
	for _, flag := range []string{"out-key", "out-cert", "out-chain"} {
		if err := checkImportOut(c, flag, in); err != nil {
			return nil, err
		}
	}
	return outs, nil
}

func checkImportOut(c *cli.Context, flag, in string) error {
	if !c.IsSet(flag) {
		return nil
	}
	if c.String(flag) == "-" {
		return usageError("give file names", "refusing to write the imported files to stdout")
	}
	return checkOutputOf(flag, c.String(flag), c.Bool("force"), map[string]string{"the PKCS#12 file being imported": in})
}

func describeP12File(path string) (keys.P12Info, error) {
	data, err := certs.ReadPublicFile(path)
	if err != nil {
		return keys.P12Info{}, err
	}
	if !keys.IsP12(data) {
		return keys.P12Info{}, fmt.Errorf("%s: not a PKCS#12 file (want a DER PFX, version 3)", path)
	}
	info, err := keys.DescribeP12(data)
	if err != nil {
		return keys.P12Info{}, fmt.Errorf("%s: %w", path, err)
	}
	return info, nil
}

// readP12 decodes the file with its password from spec or the terminal.
func (e *env) readP12(spec, path string) (*keys.P12Contents, error) {
	pass, err := e.passinFor(spec, path)
	if err != nil {
		return nil, err
	}
	return keys.ReadP12File(path, pass)
}

func (e *env) writeImported(c *cli.Context, outs []string, p *keys.P12Contents, pass []byte) error {
	keyPEM, err := e.encodeKey(p.Key, pass, encryption(c))
	if err != nil {
		return err
	}
	files := []outFile{{outs[0], keyPEM, keys.KeyFileMode}, {outs[1], certsPEM([]*x509.Certificate{p.Leaf}), 0o644}}
	if len(outs) == 3 {
		files = append(files, outFile{outs[2], certsPEM(p.Chain), 0o644})
	}
	if err := writeAll("", files, c.Bool("force")); err != nil {
		return err
	}
	e.describeNewKey(outs[0], p.Key, keyPEM)
	noticef(e.stderr, "wrote %s (%s, valid until %s)", outs[1], certs.DN(p.Leaf.RawSubject, p.Leaf.Subject), p.Leaf.NotAfter.UTC().Format("2006-01-02"))
	switch {
	case len(outs) == 3:
		noticef(e.stderr, "wrote %s (%s)", outs[2], plural(len(p.Chain), "CA certificate"))
	case len(p.Chain) > 0:
		warnf(e.stderr, "%s also holds %s, not written: pass --out-chain FILE to keep them", c.Args().First(),
			plural(len(p.Chain), "CA certificate"))
	}
	return nil
}

func certsPEM(list []*x509.Certificate) []byte {
	var out []byte
	for _, c := range list {
		out = append(out, certs.EncodePEM("CERTIFICATE", c.Raw)...)
	}
	return out
}
