package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

// toolkitCommands returns ca, sign, bootstrap, inspect, verify, fixtures,
// completion and man.
func toolkitCommands(e *env) []*cli.Command {
	return []*cli.Command{
		caCommand(e), signCommand(e), bootstrapCommand(e),
		inspectCommand(e), verifyCommand(e), bundleCommand(e), fixturesCommand(e),
		completionCommand(e), manCommand(e),
	}
}

// requireFlags reports the first missing flag as a usage error (exit 2).
// urfave/cli's own Required check exits 1 and prints the whole help.
func requireFlags(c *cli.Context, names ...string) error {
	for _, n := range names {
		if !c.IsSet(n) {
			return usageError("run 'tlskit "+commandPath(c)+" --help' for usage", "missing --%s", n)
		}
	}
	return notEmpty(c, names...)
}

// notEmpty refuses string flags set to "" (a file name, a directory).
func notEmpty(c *cli.Context, names ...string) error {
	for _, n := range names {
		if s, ok := c.Value(n).(string); ok && s == "" {
			return usageError("", "--%s is empty", n)
		}
	}
	return nil
}

// commandPath is the command's name as typed, e.g. "ca init".
func commandPath(c *cli.Context) string {
	var names []string
	for _, l := range c.Lineage() {
		// The app runs as a root command named after itself.
		if l.Command != nil && l.Command.Name != "" && l.Command.Name != c.App.Name {
			names = append([]string{l.Command.Name}, names...)
		}
	}
	return strings.Join(names, " ")
}

// checkNewKeyFlags checks --no-encrypt, --passout, --iter and, where the
// command has it, --kdf of a command that writes new keys.
func checkNewKeyFlags(c *cli.Context) error {
	kdf := "pbkdf2"
	if c.IsSet("kdf") {
		kdf = strings.ToLower(c.String("kdf"))
	}
	switch {
	case c.Bool("no-encrypt") && c.IsSet("passout"):
		return usageError("drop one of them", "--no-encrypt and --passout contradict each other")
	case c.Bool("no-encrypt") && c.IsSet("iter"):
		return usageError("drop one of them", "--iter has no use with --no-encrypt: nothing is encrypted")
	case c.Bool("no-encrypt") && c.IsSet("kdf"):
		return usageError("drop one of them", "--kdf has no use with --no-encrypt: nothing is encrypted")
	case kdf != "pbkdf2" && kdf != "scrypt":
		return usageError("use --kdf pbkdf2 or --kdf scrypt", "unknown --kdf %q", c.String("kdf"))
	case kdf == "scrypt" && c.IsSet("iter"):
		return usageError("drop --iter: scrypt's cost is fixed (N=16384, r=8, p=1, the most every openssl reads)",
			"--iter applies to --kdf pbkdf2, not to --kdf scrypt")
	case c.Int("iter") < 1000 || c.Int("iter") > 10_000_000:
		return usageError("the default is 600000", "--iter must be between 1000 and 10000000, not %d", c.Int("iter"))
	}
	return nil
}

// checkDaysFlags checks validity flags (--days, --ca-days) up front: a bad
// value is a usage error, found before any prompt or slow work.
func checkDaysFlags(c *cli.Context, names ...string) error {
	for _, n := range names {
		if err := certs.CheckDays(c.Int(n)); err != nil {
			return withCode(exitUsage, fmt.Errorf("--%s: %w", n, err), "use --"+n+" 365 for a year")
		}
	}
	return nil
}

// firstErr returns the first error that is not nil: one problem is reported
// at a time, on one line.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// parseHosts reads --host values: DNS names and IP addresses, the names a
// TLS client checks a server certificate against.
func parseHosts(values []string) (certs.SANs, error) {
	hosts, err := certs.ParseSANs(values)
	if err == nil && len(hosts.Emails)+len(hosts.URIs) > 0 {
		err = errors.New("e-mail addresses and URIs cannot be server hosts")
	}
	if err != nil {
		return certs.SANs{}, usageError("give DNS names or IP addresses, such as --host localhost,127.0.0.1", "--host: %v", err)
	}
	return hosts, nil
}
