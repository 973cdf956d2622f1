package main

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
	"github.com/urfave/cli/v2"
)

// `tlskit p12`: PKCS#12 files for Java, .NET, macOS and Windows, through
// go-pkcs12. The password always comes from a passphrase source or the
// terminal, never from a built-in default such as "changeit".

func p12Command(e *env) *cli.Command {
	subs := []*cli.Command{p12ExportCommand(e), p12TrustStoreCommand(e), p12ImportCommand(e)}
	return &cli.Command{
		Name:        "p12",
		Usage:       "write and read PKCS#12 (.p12, .pfx) files and Java truststores (openssl pkcs12, keytool)",
		Subcommands: subs,
	}
}

// p12Consumers says, per profile, who reads such a file. "tested" ones are
// checked against the real programs by the interop tests; the rest is what
// their vendors document.
var p12Consumers = map[string]struct{ reads, refuses string }{
	keys.P12Modern: {"openssl 1.1.1 and 3 (no -legacy needed), Java 12+ keytool (17 tested), Python cryptography, " +
		"GnuTLS certtool, Windows Server 2019+",
		"macOS Keychain (use --profile legacy), Java 8 before 8u301, older Windows"},
	keys.P12Legacy: {"openssl 1.1 and 3, Java 8+ keytool (17 tested), Python cryptography, GnuTLS certtool, " +
		"macOS Keychain, every Windows", "nothing common; its 3DES and SHA-1 are weak: protect the file itself"},
	keys.P12Passwordless: {"openssl 3 (-passin pass:), Python cryptography (password None), Java keytool (17 tested) " +
		"as a truststore only", "keytool (it lists no key in it), GnuTLS certtool (it wants a MAC), macOS Keychain, Windows"},
	keys.P12LegacyRC2: {"openssl 1.1, openssl 3 with -legacy, Java 8+ keytool (17 tested), Python cryptography, GnuTLS certtool, " +
		"macOS Keychain, Windows", "openssl 3 without -legacy (RC2 is in its legacy provider)"},
	keys.P12Modern2026: {"openssl 3.4+, Java 26+", "openssl before 3.4, Java before 26, most other software"},
}

var p12ProfileNames = map[string]string{
	keys.P12Modern:       "modern (go-pkcs12 Modern2023, openssl 3's default)",
	keys.P12Legacy:       "legacy (go-pkcs12 LegacyDES, openssl -descert)",
	keys.P12Passwordless: "passwordless (no encryption, no MAC)",
	keys.P12LegacyRC2:    "legacy RC2-40 (openssl 1.1's default, go-pkcs12 LegacyRC2)",
	keys.P12Modern2026:   "modern 2026 (PBMAC1, go-pkcs12 Modern2026)",
	"":                   "none tlskit knows (unusual algorithms)",
}

func p12PasswordFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "profile", Value: keys.P12Modern, Usage: "encryption `PROFILE`: modern (AES-256) or legacy (3DES, for macOS and Java 8)"},
		&cli.StringFlag{Name: "passout", Usage: "password `SRC` of the PKCS#12 file: " + passSourceSyntax},
		&cli.BoolFlag{Name: "no-password", Usage: "write it with no password, no encryption and no MAC"},
	}
}

// checkP12Profile reads --profile and --no-password into a profile name.
func checkP12Profile(c *cli.Context) (string, error) {
	profile := strings.ToLower(c.String("profile"))
	switch {
	case profile != keys.P12Modern && profile != keys.P12Legacy:
		return "", usageError("use --profile modern or --profile legacy", "unknown --profile %q", c.String("profile"))
	case c.Bool("no-password") && c.IsSet("passout"):
		return "", usageError("drop one of them", "--no-password and --passout contradict each other")
	case c.Bool("no-password") && c.IsSet("profile"):
		return "", usageError("drop --profile: a file without a password has no encryption to choose",
			"--no-password and --profile contradict each other")
	case c.Bool("no-password"):
		return keys.P12Passwordless, nil
	}
	return profile, nil
}

// p12Password is nil for --no-password, else --passout or asked twice.
func (e *env) p12Password(c *cli.Context, profile, out string) ([]byte, error) {
	if profile == keys.P12Passwordless {
		return nil, nil
	}
	pass, err := e.passoutFor(c.String("passout"), out)
	if err == nil && !isASCII(pass) {
		// Tested with keytool 17: it refuses such files whoever wrote them.
		warnf(e.stderr, "the password of %s is not ASCII: Java keytool cannot open it", out)
	}
	return pass, err
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// checkFileOut checks the output of a p12 command: given, a file, not one of
// inputs (label to file).
func checkFileOut(c *cli.Context, name string, inputs map[string]string) (string, error) {
	out := c.String(name)
	if err := notEmpty(c, name); err != nil {
		return "", err
	}
	if out == "-" {
		return "", usageError("give a file name with --"+name, "refusing to write a binary PKCS#12 file to stdout")
	}
	return out, checkOutputOf(name, out, c.Bool("force"), inputs)
}

func p12ExportCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "bundle a key and its certificate chain into a PKCS#12 file (openssl pkcs12 -export)",
		UsageText: "tlskit p12 export --key K --cert C [--chain FILE] [--profile modern|legacy] [--passout SRC | --no-password] --out x.p12",
		Description: "modern is go-pkcs12's Modern2023 (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC), read by openssl 3\n" +
			"without -legacy and Java 12+; legacy is LegacyDES (3DES, SHA-1 MAC) for macOS Keychain, older Windows\n" +
			"and Java 8. The file is mode 0400 (it holds the key). keytool lists the entry under the alias \"1\":\n" +
			"go-pkcs12 writes no friendly name.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "key", Value: defaultKeyFile, Usage: keyFlagDescription},
			&cli.StringFlag{Name: "cert", Value: "server.crt", Usage: "certificate `FILE` (PEM; CA certificates after it join the chain)"},
			&cli.StringFlag{Name: "chain", Usage: "CA certificates `FILE` to include (PEM)"},
			&cli.StringFlag{Name: "out", Value: "server.p12", Usage: "write the PKCS#12 file to `FILE`"},
			keyPassinFlag, keyInsecure, &cli.BoolFlag{Name: "force", Usage: "replace an existing output file"}, explainFlag,
		}, p12PasswordFlags()...),
		Action: func(c *cli.Context) error { return e.p12Export(c) },
	}
}

func (e *env) p12Export(c *cli.Context) error {
	profile, out, err := checkP12Export(c)
	if err != nil {
		return err
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainP12Export(c, profile, out))
	}
	key, leaf, chain, err := e.readExportInputs(c)
	if err != nil {
		return err
	}
	pass, err := e.p12Password(c, profile, out)
	if err != nil {
		return err
	}
	data, err := keys.EncodeP12(key, leaf, chain, pass, profile)
	if err != nil {
		return err
	}
	if err := safefile.WriteFileAtomic(out, data, keys.KeyFileMode, c.Bool("force")); err != nil {
		return err
	}
	e.noticeP12(out, data, fmt.Sprintf("key %s, %s, %s", keyType(key), certs.DN(leaf.RawSubject, leaf.Subject), plural(len(chain), "CA certificate")), true)
	return nil
}

// checkP12Export checks p12 export's flags and output before anything is read.
func checkP12Export(c *cli.Context) (profile, out string, err error) {
	if profile, err = checkP12Profile(c); err != nil {
		return "", "", err
	}
	if c.Args().Present() {
		return "", "", usageError("the files go in --key, --cert and --out", "unexpected argument %q", c.Args().First())
	}
	out, err = checkFileOut(c, "out", map[string]string{"the file given as --key": c.String("key"),
		"the file given as --cert": c.String("cert"), "the file given as --chain": c.String("chain")})
	return profile, out, firstErr(notEmpty(c, "key", "cert"), err)
}

// readExportInputs reads the certificates, then the key (which may ask for
// its passphrase), and checks that they pair.
func (e *env) readExportInputs(c *cli.Context) (crypto.Signer, *x509.Certificate, []*x509.Certificate, error) {
	leaf, chain, err := readCertAndChain(c.String("cert"), c.String("chain"))
	if err != nil {
		return nil, nil, nil, err
	}
	key, err := e.readKeyArg(c, c.String("key"))
	if err != nil {
		return nil, nil, nil, err
	}
	if err := keys.CheckKeyPair(key, leaf.PublicKey, c.String("cert")); err != nil {
		return nil, nil, nil, withHint(fmt.Errorf("%s does not match %s: %w", c.String("key"), c.String("cert"), err),
			"pass the key the certificate was issued for")
	}
	return key, leaf, chain, nil
}

// readCertAndChain reads the leaf (first of certFile) and the CA
// certificates after it and in chainFile.
func readCertAndChain(certFile, chainFile string) (*x509.Certificate, []*x509.Certificate, error) {
	list, err := certs.ReadCertFile(certFile)
	if err != nil {
		return nil, nil, err
	}
	chain := list[1:]
	if chainFile != "" {
		more, err := certs.ReadCertFile(chainFile)
		if err != nil {
			return nil, nil, err
		}
		chain = append(chain, more...)
	}
	return list[0], chain, nil
}

// noticeP12 says what was written, how it is protected and who reads it.
func (e *env) noticeP12(out string, data []byte, contents string, hasKey bool) {
	info, err := keys.DescribeP12(data)
	if err != nil {
		return
	}
	if info.Profile == keys.P12Passwordless && hasKey {
		warnf(e.stderr, "%s has no password: anyone who can read it can use what it holds", out)
		warnf(e.stderr, "not usable by %s", p12Consumers[info.Profile].refuses)
	}
	noticef(e.stderr, "wrote %s (%s; %s)", out, p12ProfileNames[info.Profile], contents)
	noticef(e.stderr, "read by %s", p12Consumers[info.Profile].reads)
}

func p12TrustStoreCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "truststore",
		Usage:     "write CA certificates as a Java truststore (keytool -importcert, -storetype PKCS12)",
		UsageText: "tlskit p12 truststore [--profile modern|legacy] [--passout SRC | --no-password] --out FILE CA...",
		ArgsUsage: "CA-FILE...",
		Description: "Every certificate of every CA file is stored as a trusted certificate (no key), named by its subject,\n" +
			"and marked as a trust anchor the way Java does. Mode 0644: it holds no secret. Java 18+ reads a\n" +
			"--no-password truststore without a store password.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "out", Value: "truststore.p12", Usage: "write the truststore to `FILE`"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing output file"}, explainFlag,
		}, p12PasswordFlags()...),
		Action: func(c *cli.Context) error { return e.p12TrustStore(c) },
	}
}

func (e *env) p12TrustStore(c *cli.Context) error {
	profile, out, err := checkTrustStore(c)
	if err != nil {
		return err
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainTrustStore(c.Args().Slice(), c.String("passout"), profile, out)...)
	}
	cas, err := readCertFiles(c.Args().Slice())
	if err != nil {
		return err
	}
	pass, err := e.p12Password(c, profile, out)
	if err != nil {
		return err
	}
	data, err := keys.EncodeTrustStore(cas, pass, profile)
	if err != nil {
		return err
	}
	if err := safefile.WriteFileAtomic(out, data, 0o644, c.Bool("force")); err != nil {
		return err
	}
	e.noticeP12(out, data, "truststore of "+plural(len(cas), "certificate"), false)
	return nil
}

func checkTrustStore(c *cli.Context) (profile, out string, err error) {
	if profile, err = checkP12Profile(c); err != nil {
		return "", "", err
	}
	if !c.Args().Present() {
		return "", "", usageError("name the CA certificate files: tlskit p12 truststore --out FILE ca.crt...", "no CA certificate file")
	}
	inputs := map[string]string{}
	for _, f := range c.Args().Slice() {
		inputs["the CA file "+f] = f
	}
	out, err = checkFileOut(c, "out", inputs)
	return profile, out, err
}

// readCertFiles reads every certificate of every file.
func readCertFiles(files []string) ([]*x509.Certificate, error) {
	var all []*x509.Certificate
	for _, f := range files {
		list, err := certs.ReadCertFile(f)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
	}
	return all, nil
}
