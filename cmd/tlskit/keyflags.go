package main

import (
	"crypto"
	"errors"
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
	"github.com/urfave/cli/v2"
)

// Flags shared by every command that reads a private key.
const (
	flagPassin         = "passin"
	flagAllowInsecure  = "allow-insecure-key-perms"
	passSourceSyntax   = "pass:TEXT, env:VAR, file:PATH, fd:N or stdin"
	defaultKeyFile     = "server.key"
	keyFlagDescription = "private key `FILE` (PEM: PKCS#8, encrypted PKCS#8, PKCS#1, SEC1 or legacy encrypted)"
)

// keyReadFlags returns --NAME (the key file, defaulting to def), --passin and
// --allow-insecure-key-perms.
func keyReadFlags(name, def string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: name, Value: def, Usage: keyFlagDescription},
		&cli.StringFlag{Name: flagPassin, Usage: "passphrase `SRC` for an encrypted key: " + passSourceSyntax, Value: ""},
		&cli.BoolFlag{Name: flagAllowInsecure, Usage: "accept a key file that group or others can read"},
	}
}

// loadKey reads the key named by flag --name, asking for its passphrase only
// if it is encrypted.
func (e *env) loadKey(c *cli.Context, name string) (crypto.Signer, error) {
	path := c.String(name)
	pass, err := e.passinFor(c.String(flagPassin), path)
	if err != nil {
		return nil, err
	}
	key, err := e.readKeyFile(path, keys.ReadKeyOptions{
		Passphrase:         pass,
		AllowInsecurePerms: c.Bool(flagAllowInsecure),
	})
	if err != nil {
		return nil, keyHints(err, path, fmt.Sprintf("--%s takes a private key file, not a certificate or request", name))
	}
	return key, nil
}

// keyHints adds the fix for the key-reading errors that have one; notKey is
// the hint for a file that holds no private key.
func keyHints(err error, path, notKey string) error {
	switch {
	case errors.Is(err, keys.ErrInsecurePerms):
		return withHint(err, fmt.Sprintf("run chmod 400 %s, or pass --%s", path, flagAllowInsecure))
	case errors.Is(err, keys.ErrNotPrivateKey):
		return withHint(err, notKey)
	}
	if hint := foreignKeyHint(err, path); hint != "" {
		return withHint(err, hint)
	}
	return err
}

// foreignKeyHint is the way out for a key tlskit recognises but cannot load.
func foreignKeyHint(err error, path string) string {
	switch {
	case errors.Is(err, keys.ErrUnsupportedEncryption):
		return fmt.Sprintf("convert it to PBES2 with AES (openssl asks for the old and a new passphrase): "+
			"openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000 -in %s -out %s", path, convertedName(path))
	case errors.Is(err, keys.ErrUnusableKey):
		return "TLS keys in tlskit are RSA, ECDSA P-256, P-384 or P-521, or Ed25519: make one with 'tlskit genkey'"
	}
	return ""
}

// convertedName suggests a name for a converted copy of path.
func convertedName(path string) string {
	if base, ok := strings.CutSuffix(path, ".key"); ok {
		return base + "-aes.key"
	}
	return path + ".aes"
}

// writeOutput writes non-secret PEM output to path, or to stdout for "-".
func (e *env) writeOutput(path string, data []byte, force bool) error {
	if path == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	return safefile.WriteFileAtomic(path, data, 0o644, force)
}

// explainFlag is --explain: print the equivalent openssl commands first.
var explainFlag = &cli.BoolFlag{Name: "explain", Usage: "print the equivalent openssl commands on stderr first"}

// checkKeySpecFlags checks --algorithm, --bits and --curve of a command that
// makes a key: a value that cannot be made, or a flag that does not apply to
// the algorithm, is a usage error naming both flags, found before any prompt
// or slow work.
func checkKeySpecFlags(c *cli.Context) error {
	alg := strings.ToLower(c.String("algorithm"))
	switch {
	case c.IsSet("curve") && alg != "ecdsa" && alg != "ec":
		return usageError("drop --curve, or pass --algorithm ecdsa",
			"--curve applies to --algorithm ecdsa, not to --algorithm %s", alg)
	case c.IsSet("bits") && alg != "rsa":
		return usageError("drop --bits, or pass --algorithm rsa", "--bits applies to --algorithm rsa, not to --algorithm %s", alg)
	case c.Int("bits") == 0:
		// The library reads a zero size as its default; here it can only be a typo.
		return usageError("use --bits 2048, 3072 or 4096", "--bits 0 is not a key size")
	}
	err := keys.KeySpec{Algorithm: alg, Bits: c.Int("bits"), Curve: c.String("curve")}.Validate()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keys.ErrUnknownAlgorithm):
		return withCode(exitUsage, fmt.Errorf("--algorithm: %w", err), "use --algorithm rsa, ecdsa or ed25519")
	case errors.Is(err, keys.ErrUnknownCurve):
		return withCode(exitUsage, fmt.Errorf("--curve: %w", err), "use --curve P-256, P-384 or P-521")
	}
	return withCode(exitUsage, fmt.Errorf("--bits: %w", err), "use --bits 2048, 3072 or 4096")
}
