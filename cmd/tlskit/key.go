package main

import (
	"crypto"
	"errors"
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
	"github.com/urfave/cli/v2"
)

// `tlskit key`: what openssl pkey and pkcs8 do to an existing key. Every
// command that writes a key keeps genkey's guarantees (mode 0400, atomic, no
// overwrite without --force, never its input as its output); key passwd is
// the one that rewrites its input, through safefile.ReplaceChecked.

func keyCommand(e *env) *cli.Command {
	subs := []*cli.Command{
		keyDecryptCommand(e), keyEncryptCommand(e), keyPasswdCommand(e),
		keyConvertCommand(e), keyPubCommand(e), keyMatchCommand(e),
	}
	return &cli.Command{
		Name:        "key",
		Usage:       "decrypt, encrypt, re-protect, convert and check private keys (openssl pkey, pkcs8)",
		Subcommands: subs,
	}
}

// Flags shared by the key subcommands.
var (
	keyPassinFlag = &cli.StringFlag{Name: flagPassin, Usage: "passphrase `SRC` of an encrypted KEY: " + passSourceSyntax}
	keyInsecure   = &cli.BoolFlag{Name: flagAllowInsecure, Usage: "accept a key file that group or others can read"}
	keyForceFlag  = &cli.BoolFlag{Name: "force", Usage: "replace an existing output file (never KEY itself)"}
)

func keyOutFlag(usage string) *cli.StringFlag {
	return &cli.StringFlag{Name: "out", Usage: usage}
}

// newKeyEncryptionFlags are genkey's --passout, --iter and --kdf.
func newKeyEncryptionFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "passout", Usage: "passphrase `SRC` for the written key: " + passSourceSyntax},
		&cli.IntFlag{Name: "iter", Value: keys.DefaultIterations, Usage: "PBKDF2 iteration `COUNT`"},
		&cli.StringFlag{Name: "kdf", Value: "pbkdf2", Usage: "key derivation `KDF`: pbkdf2 or scrypt"},
	}
}

// keyArg returns the one KEY argument of a key subcommand.
func keyArg(c *cli.Context, names ...string) ([]string, error) {
	if c.NArg() != len(names) {
		return nil, usageError("run 'tlskit "+commandPath(c)+" --help' for usage",
			"want %s, got %d argument%s", strings.Join(names, " and "), c.NArg(), map[bool]string{true: "", false: "s"}[c.NArg() == 1])
	}
	for i, a := range c.Args().Slice() {
		if a == "" {
			return nil, usageError("", "%s is empty", names[i])
		}
	}
	return c.Args().Slice(), nil
}

// checkKeyOut checks --out for a new key file: given, not stdout, not the
// input, and not an existing file without --force.
func checkKeyOut(c *cli.Context, in string) (string, error) {
	if err := requireFlags(c, "out"); err != nil {
		return "", err
	}
	out := c.String("out")
	if out == "-" {
		return "", usageError("give a file name with --out", "refusing to write a private key to stdout")
	}
	return out, checkOutputOf("out", out, c.Bool("force"), map[string]string{"KEY itself": in})
}

// checkKDFFlag refuses an unknown --kdf before any prompt.
func checkKDFFlag(c *cli.Context) error {
	if k := c.String("kdf"); k != "pbkdf2" && k != "scrypt" {
		return usageError("use --kdf pbkdf2 or --kdf scrypt", "unknown --kdf %q", k)
	}
	return nil
}

// readKeyArg reads the private key file path, asking for its passphrase
// (--passin or the terminal) only if it is encrypted.
func (e *env) readKeyArg(c *cli.Context, path string) (crypto.Signer, error) {
	pass, err := e.passinFor(c.String(flagPassin), path)
	if err != nil {
		return nil, err
	}
	key, err := e.readKeyFile(path, keys.ReadKeyOptions{Passphrase: pass, AllowInsecurePerms: c.Bool(flagAllowInsecure)})
	if errors.Is(err, keys.ErrNoPEM) && isP12File(path) {
		return nil, withHint(err, "it is a PKCS#12 file: take the key out with tlskit p12 import --out-key K --out-cert C "+shQuote(path))
	}
	if err != nil {
		return nil, keyHints(err, path, "KEY is a private key file, not a certificate or request")
	}
	return key, nil
}

func isP12File(path string) bool {
	data, err := safefile.ReadFile(path, keys.MaxP12File, "a PKCS#12 file")
	return err == nil && keys.IsP12(data)
}

func keyDecryptCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "decrypt",
		Usage:     "write a key without its passphrase, for servers that cannot ask for one (openssl pkey)",
		UsageText: "tlskit key decrypt [--passin SRC] --out FILE KEY",
		ArgsUsage: "KEY",
		Description: "Writes KEY as plain PKCS#8 PEM, mode 0400, atomically; anyone who can read FILE can use the key.\n" +
			"Go's tls.LoadX509KeyPair, HAProxy and many servers need this form.",
		Flags:  []cli.Flag{keyOutFlag("write the plain key to `FILE`"), keyPassinFlag, keyInsecure, keyForceFlag, explainFlag},
		Action: func(c *cli.Context) error { return e.keyDecrypt(c) },
	}
}

func (e *env) keyDecrypt(c *cli.Context) error {
	args, err := keyArg(c, "KEY")
	if err != nil {
		return err
	}
	out, err := checkKeyOut(c, args[0])
	if err != nil {
		return err
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainKeyDecrypt(args[0], c.String(flagPassin), out))
	}
	key, err := e.readKeyArg(c, args[0])
	if err != nil {
		return err
	}
	return e.writeKey(out, key, nil, keys.Encryption{}, c.Bool("force"))
}

func keyEncryptCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "encrypt",
		Usage:     "write a key encrypted with a passphrase, like genkey does (openssl pkcs8 -topk8 -v2 aes-256-cbc)",
		UsageText: "tlskit key encrypt [--passout SRC] [--iter N] [--kdf pbkdf2|scrypt] --out FILE KEY",
		ArgsUsage: "KEY",
		Description: "Writes KEY as PKCS#8 encrypted with AES-256-CBC and PBKDF2-HMAC-SHA256 (600,000 iterations)\n" +
			"or scrypt, mode 0400, atomically. Without --passout the passphrase is asked twice on the terminal.",
		Flags: append([]cli.Flag{keyOutFlag("write the encrypted key to `FILE`"), keyPassinFlag, keyInsecure, keyForceFlag, explainFlag},
			newKeyEncryptionFlags()...),
		Action: func(c *cli.Context) error { return e.keyEncrypt(c) },
	}
}

func (e *env) keyEncrypt(c *cli.Context) error {
	args, err := keyArg(c, "KEY")
	if err != nil {
		return err
	}
	out, err := checkKeyOut(c, args[0])
	if err == nil {
		err = firstErr(checkNewKeyFlags(c), checkKDFFlag(c))
	}
	if err != nil {
		return err
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainTopk8(args[0], c.String(flagPassin), c.String("passout"), encryption(c), out))
	}
	key, err := e.readKeyArg(c, args[0])
	if err != nil {
		return err
	}
	pass, err := e.passoutFor(c.String("passout"), out)
	if err != nil {
		return err
	}
	return e.writeKey(out, key, pass, encryption(c), c.Bool("force"))
}

func keyPasswdCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "passwd",
		Usage:     "change the passphrase of an encrypted key, in place (openssl pkcs8 -topk8 ... && mv)",
		UsageText: "tlskit key passwd [--passin OLD-SRC] [--passout NEW-SRC] [--iter N] [--kdf pbkdf2|scrypt] KEY",
		ArgsUsage: "KEY",
		Description: "Rewrites KEY encrypted with the new passphrase (PKCS#8, AES-256-CBC, like genkey). The old file\n" +
			"is replaced only once the new one is fully written, synced, read back and decrypted: a failure at\n" +
			"any point leaves KEY as it was. On a terminal the old passphrase is asked once, the new one twice.",
		Flags:  append([]cli.Flag{keyPassinFlag, keyInsecure, explainFlag}, newKeyEncryptionFlags()...),
		Action: func(c *cli.Context) error { return e.keyPasswd(c) },
	}
}

func (e *env) keyPasswd(c *cli.Context) error {
	args, err := keyArg(c, "KEY")
	if err != nil {
		return err
	}
	if err := firstErr(checkNewKeyFlags(c), checkKDFFlag(c)); err != nil {
		return err
	}
	path, enc := args[0], encryption(c)
	if c.Bool("explain") {
		printExplain(e.stderr, explainKeyPasswd(path, c.String(flagPassin), c.String("passout"), enc))
	}
	key, err := e.readEncryptedKey(c, path)
	if err != nil {
		return err
	}
	pass, err := e.passoutFor(c.String("passout"), path+" (new)")
	if err != nil {
		return err
	}
	return e.replaceKey(path, key, pass, enc)
}

// readEncryptedKey reads KEY for key passwd, which has no passphrase to
// change on a plain key.
func (e *env) readEncryptedKey(c *cli.Context, path string) (crypto.Signer, error) {
	pass, err := e.passinFor(c.String(flagPassin), path)
	if err != nil {
		return nil, err
	}
	asked := false
	key, err := e.readKeyFile(path, keys.ReadKeyOptions{AllowInsecurePerms: c.Bool(flagAllowInsecure),
		Passphrase: func() ([]byte, error) { asked = true; return pass() }})
	switch {
	case err != nil:
		return nil, keyHints(err, path, "KEY is a private key file, not a certificate or request")
	case !asked:
		return nil, withHint(fmt.Errorf("%s is not encrypted: there is no passphrase to change", path),
			"to encrypt it, run tlskit key encrypt --out NEW.key "+shQuote(path))
	}
	return key, nil
}

// replaceKey encrypts key with pass and puts it in place of path, after
// checking that the file on disk decrypts to the same key.
func (e *env) replaceKey(path string, key crypto.Signer, pass []byte, enc keys.Encryption) error {
	data, err := e.encodeKey(key, pass, enc)
	if err != nil {
		return err
	}
	check := func(written []byte) error {
		back, err := keys.ParseKeyPEM(written, func() ([]byte, error) { return pass, nil })
		if err != nil {
			return err
		}
		return keys.CheckKeyPair(key, back.Public(), "the rewritten file")
	}
	if err := e.withSpinner("checking the new file", func() error {
		return safefile.ReplaceChecked(path, data, keys.KeyFileMode, check)
	}); err != nil {
		return err
	}
	e.describeNewKey(path, key, data)
	return nil
}

func keyConvertCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "convert",
		Usage:     "rewrite a key as PKCS#8, PKCS#1 or SEC1, PEM or DER (openssl pkey -traditional -outform)",
		UsageText: "tlskit key convert --to pkcs8|pkcs1|sec1 [--outform pem|der] (--passout SRC | --no-encrypt) --out FILE KEY",
		ArgsUsage: "KEY",
		Description: "PKCS#8 PEM is encrypted like genkey unless --no-encrypt. PKCS#1 (RSA), SEC1 (ECDSA) and any DER\n" +
			"output are written unencrypted and need --no-encrypt: their only encryption, legacy PEM encryption,\n" +
			"is deprecated in Go as insecure by design. Output is mode 0400, atomic, never over KEY.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "to", Value: keys.FormatPKCS8, Usage: "output `FORMAT`: pkcs8, pkcs1 (RSA) or sec1 (ECDSA)"},
			outformFlag(), &cli.BoolFlag{Name: "no-encrypt", Usage: "write the key unencrypted"},
			keyOutFlag("write the key to `FILE`"), keyPassinFlag, keyInsecure, keyForceFlag, explainFlag,
		}, newKeyEncryptionFlags()...),
		Action: func(c *cli.Context) error { return e.keyConvert(c) },
	}
}

func outformFlag() *cli.StringFlag {
	return &cli.StringFlag{Name: "outform", Value: "pem", Usage: "output `ENCODING`: pem or der"}
}

// checkOutform reads --outform: true for DER.
func checkOutform(c *cli.Context) (bool, error) {
	switch strings.ToLower(c.String("outform")) {
	case "pem":
		return false, nil
	case "der":
		return true, nil
	}
	return false, usageError("use --outform pem or --outform der", "unknown --outform %q", c.String("outform"))
}

func (e *env) keyConvert(c *cli.Context) error {
	args, err := keyArg(c, "KEY")
	if err != nil {
		return err
	}
	der, err := checkConvertFlags(c)
	if err != nil {
		return err
	}
	out, err := checkKeyOut(c, args[0])
	if err != nil {
		return err
	}
	to := strings.ToLower(c.String("to"))
	if c.Bool("explain") {
		printExplain(e.stderr, explainKeyConvert(args[0], c.String(flagPassin), to, der, !c.Bool("no-encrypt"),
			c.String("passout"), encryption(c), out))
	}
	key, err := e.readKeyArg(c, args[0])
	if err != nil {
		return err
	}
	if to == keys.FormatPKCS8 && !der {
		pass, err := e.newKeyPassphrase(c, out)
		if err != nil {
			return err
		}
		return e.writeKey(out, key, pass, encryption(c), c.Bool("force"))
	}
	return e.writePlainKey(out, key, to, der, c.Bool("force"))
}

// checkConvertFlags checks --to, --outform and the encryption flags; the
// unencrypted-only outputs need --no-encrypt said out loud.
func checkConvertFlags(c *cli.Context) (der bool, err error) {
	der, err = checkOutform(c)
	if err != nil {
		return false, err
	}
	to := strings.ToLower(c.String("to"))
	switch {
	case to != keys.FormatPKCS8 && to != keys.FormatPKCS1 && to != keys.FormatSEC1:
		return false, usageError("use --to pkcs8, pkcs1 or sec1", "unknown --to %q", c.String("to"))
	case (der || to != keys.FormatPKCS8) && !c.Bool("no-encrypt"):
		what := map[bool]string{true: "DER output", false: map[string]string{keys.FormatPKCS1: "PKCS#1", keys.FormatSEC1: "SEC1"}[to]}[der]
		return false, usageError("add --no-encrypt to write it unencrypted, or use --to pkcs8 --outform pem for an encrypted key",
			"%s is written unencrypted only (legacy PEM encryption is insecure by design)", what)
	}
	return der, firstErr(checkNewKeyFlags(c), checkKDFFlag(c))
}

// writePlainKey writes key unencrypted in format, PEM or DER, mode 0400.
func (e *env) writePlainKey(out string, key crypto.Signer, format string, der, force bool) error {
	data, err := keys.MarshalKey(key, format, der)
	if err != nil {
		return err
	}
	if err := safefile.WriteFileAtomic(out, data, keys.KeyFileMode, force); err != nil {
		return err
	}
	warnf(e.stderr, "%s is not encrypted: anyone who can read it can use it", out)
	noticef(e.stderr, "wrote %s (%s, %s %s, unencrypted, mode 0400)", out, keyType(key),
		map[string]string{keys.FormatPKCS8: "PKCS#8", keys.FormatPKCS1: "PKCS#1", keys.FormatSEC1: "SEC1"}[format],
		map[bool]string{true: "DER", false: "PEM"}[der])
	return nil
}

func keyPubCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "pub",
		Usage:     "write a key's public key, SPKI PEM or DER (openssl pkey -pubout)",
		UsageText: "tlskit key pub [--outform pem|der] [--out FILE|-] KEY",
		ArgsUsage: "KEY",
		Description: "Writes the SubjectPublicKeyInfo of KEY (\"PUBLIC KEY\" PEM, or DER) to stdout or --out (mode 0644).\n" +
			"An encrypted KEY is decrypted to read it, as openssl does.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Value: "-", Usage: "write the public key to `FILE` (- for stdout)"},
			outformFlag(), keyPassinFlag, keyInsecure, keyForceFlag, explainFlag,
		},
		Action: func(c *cli.Context) error { return e.keyPub(c) },
	}
}

func (e *env) keyPub(c *cli.Context) error {
	args, err := keyArg(c, "KEY")
	if err != nil {
		return err
	}
	der, err := checkOutform(c)
	if err != nil {
		return err
	}
	out := c.String("out")
	if err := firstErr(notEmpty(c, "out"), checkOutputOf("out", out, c.Bool("force"), map[string]string{"KEY itself": args[0]})); err != nil {
		return err
	}
	if der && out == "-" && isTerminal(e.stdout) {
		return usageError("write it to a file with --out FILE, or pipe stdout", "refusing to print binary DER on a terminal")
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainKeyPub(args[0], c.String(flagPassin), der, out))
	}
	key, err := e.readKeyArg(c, args[0])
	if err != nil {
		return err
	}
	data, err := keys.MarshalPublicKey(key.Public(), der)
	if err != nil {
		return err
	}
	return e.writeOutput(out, data, c.Bool("force"))
}

func keyMatchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "match",
		Usage:     "check that a key and a certificate belong together; exit 5 if not (openssl x509 -pubkey | cmp)",
		UsageText: "tlskit key match [--passin SRC] KEY CERT",
		ArgsUsage: "KEY CERT",
		Description: "Exit 0 when KEY is the private key of CERT's (first) certificate; exit 5 with one line saying\n" +
			"how they differ when it is not.",
		Flags:  []cli.Flag{keyPassinFlag, keyInsecure, explainFlag},
		Action: func(c *cli.Context) error { return e.keyMatch(c) },
	}
}

func (e *env) keyMatch(c *cli.Context) error {
	args, err := keyArg(c, "KEY", "CERT")
	if err != nil {
		return err
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainKeyMatch(args[0], c.String(flagPassin), args[1]))
	}
	chain, err := certs.ReadCertFile(args[1])
	if err != nil {
		return withHint(err, "the key goes first: tlskit key match KEY CERT")
	}
	key, err := e.readKeyArg(c, args[0])
	if err != nil {
		return err
	}
	if err := keys.CheckKeyPair(key, chain[0].PublicKey, args[1]); err != nil {
		return withCode(exitEcho, fmt.Errorf("%s does not match %s: %w", args[0], args[1], err))
	}
	noticef(e.stderr, "%s matches %s (%s)", args[0], args[1], keyType(key))
	return nil
}
