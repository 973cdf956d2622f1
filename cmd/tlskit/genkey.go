package main

import (
	"crypto"
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
	"github.com/urfave/cli/v2"
)

func genkeyCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "genkey",
		Usage:     "generate a private key, encrypted with a passphrase (openssl genpkey -aes256)",
		UsageText: "tlskit genkey [--algorithm rsa|ecdsa|ed25519] [--out server.key] [--passout SRC | --no-encrypt]",
		Description: "Writes a PKCS#8 key encrypted with AES-256-CBC and PBKDF2-HMAC-SHA256 (600,000 iterations),\n" +
			"mode 0400, atomically; an existing file is never replaced without --force.\n" +
			"Without --passout the passphrase is asked twice on the terminal.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "algorithm", Value: "rsa", Usage: "key `ALGORITHM`: rsa, ecdsa or ed25519"},
			&cli.IntFlag{Name: "bits", Value: 2048, Usage: "RSA key size in `BITS`: 2048, 3072 or 4096"},
			&cli.StringFlag{Name: "curve", Value: "P-256", Usage: "ECDSA `CURVE`: P-256, P-384 or P-521"},
			&cli.StringFlag{Name: "out", Value: defaultKeyFile, Usage: "write the key to `FILE`"},
			&cli.StringFlag{Name: "passout", Usage: "passphrase `SRC`: " + passSourceSyntax},
			&cli.BoolFlag{Name: "no-encrypt", Usage: "write the key unencrypted"},
			&cli.IntFlag{Name: "iter", Value: keys.DefaultIterations, Usage: "PBKDF2 iteration `COUNT`"},
			&cli.StringFlag{Name: "kdf", Value: "pbkdf2", Usage: "key derivation `KDF`: pbkdf2 or scrypt"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing key file"},
			explainFlag,
		},
		Action: func(c *cli.Context) error { return e.genkey(c) },
	}
}

func (e *env) genkey(c *cli.Context) error {
	out, spec := c.String("out"), keySpec(c)
	if err := checkGenkey(c, out); err != nil {
		return err
	}
	if c.Bool("explain") {
		printExplain(e.stderr, explainGenkey(spec, out, !c.Bool("no-encrypt"), c.String("passout"), encryption(c)))
	}
	pass, err := e.newKeyPassphrase(c, out)
	if err != nil {
		return err
	}
	key, err := e.generateKey(spec)
	if err != nil {
		return err
	}
	return e.writeKey(out, key, pass, encryption(c), c.Bool("force"))
}

// checkGenkey refuses bad flags, a bad key spec and an existing output before
// any prompt or slow work.
func checkGenkey(c *cli.Context, out string) error {
	if err := checkGenkeyFlags(c); err != nil {
		return err
	}
	return refuseExistingPath(out, c.Bool("force"))
}

// newKeyPassphrase is nil for --no-encrypt, else the --passout or prompted passphrase.
func (e *env) newKeyPassphrase(c *cli.Context, out string) ([]byte, error) {
	if c.Bool("no-encrypt") {
		return nil, nil
	}
	return e.passoutFor(c.String("passout"), out)
}

func (e *env) generateKey(spec keys.KeySpec) (key crypto.Signer, err error) {
	err = e.withSpinner("generating "+strings.ToUpper(spec.Algorithm)+" key", func() error {
		key, err = keys.GenerateKey(spec)
		return err
	})
	return key, err
}

func keySpec(c *cli.Context) keys.KeySpec {
	return keys.KeySpec{Algorithm: c.String("algorithm"), Bits: c.Int("bits"), Curve: c.String("curve")}
}

func encryption(c *cli.Context) keys.Encryption {
	return keys.Encryption{KDF: strings.ToLower(c.String("kdf")), Iterations: c.Int("iter")}
}

// checkGenkeyFlags catches flag misuse before any slow work or prompt.
func checkGenkeyFlags(c *cli.Context) error {
	if err := notEmpty(c, "out"); err != nil {
		return err
	}
	if err := firstErr(checkNewKeyFlags(c), checkKeySpecFlags(c)); err != nil {
		return err
	}
	switch {
	case c.Args().Present():
		return usageError("the output file goes in --out", "unexpected argument %q", c.Args().First())
	case c.String("out") == "-":
		return usageError("give a file name with --out", "refusing to write a private key to stdout")
	}
	return nil
}

// writeKey encodes key (encrypted when pass is not nil) and writes it 0400.
func (e *env) writeKey(path string, key crypto.Signer, pass []byte, enc keys.Encryption, force bool) error {
	data, err := e.encodeKey(key, pass, enc)
	if err != nil {
		return err
	}
	if err := safefile.WriteFileAtomic(path, data, keys.KeyFileMode, force); err != nil {
		return err
	}
	e.describeNewKey(path, key, data)
	return nil
}

// encodeKey is keys.MarshalKeyPEM behind a spinner: PBKDF2 takes a while.
func (e *env) encodeKey(key crypto.Signer, pass []byte, enc keys.Encryption) (data []byte, err error) {
	err = e.withSpinner("encrypting key", func() error {
		data, err = keys.MarshalKeyPEM(key, pass, enc)
		return err
	})
	return data, err
}

func (e *env) describeNewKey(path string, key crypto.Signer, data []byte) {
	info, err := keys.DescribeKeyPEM(data)
	if err != nil || !info.Encrypted {
		warnf(e.stderr, "%s is not encrypted: anyone who can read it can use it", path)
		noticef(e.stderr, "wrote %s (%s, unencrypted, mode 0400)", path, keyType(key))
		return
	}
	kdf := info.KDF
	if info.Iterations > 0 {
		kdf = fmt.Sprintf("%s, %d iterations", kdf, info.Iterations)
	}
	noticef(e.stderr, "wrote %s (%s, encrypted with %s, %s, mode 0400)", path, keyType(key), info.Cipher, kdf)
}

// keyType names a key's algorithm and size, e.g. "RSA 2048" or "ECDSA P-256".
func keyType(key crypto.Signer) string {
	return keys.DescribePublicKey(key.Public()).String()
}
