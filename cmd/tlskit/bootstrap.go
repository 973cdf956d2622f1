package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/pki"
	"github.com/tlskit/tlskit/pkg/safefile"
	"github.com/urfave/cli/v2"
)

func bootstrapCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "bootstrap",
		Usage:     "create (or refresh) a CA, a server certificate and client certificates in one step, for CI",
		UsageText: "tlskit bootstrap --dir DIR --host NAME[,NAME...] [--client NAME ...] (--passout SRC | --no-encrypt)",
		Description: "Writes ca.crt, ca.key, server.crt, server.key, client-NAME.crt, client-NAME.key and manifest.json\n" +
			"in DIR; keys are mode 0400. Run it again and it keeps what is valid, and reissues only what is\n" +
			"missing, expires within --renew-within, or no longer matches --host. Files it did not make, or\n" +
			"that do not fit together, stop it before anything is written.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "`DIR` to hold the CA, certificates and keys"},
			&cli.StringSliceFlag{Name: "host", Usage: "DNS `NAME` or IP of the server (repeat or separate with commas)"},
			&cli.StringSliceFlag{Name: "client", Usage: "make a client certificate for `NAME` (repeatable)"},
			&cli.StringFlag{Name: "passout", Usage: "passphrase source for new and existing keys: " + passSourceSyntax},
			&cli.BoolFlag{Name: "no-encrypt", Usage: "write the keys unencrypted"},
			&cli.StringFlag{Name: "algorithm", Value: "ecdsa", Usage: "`ALGORITHM` of new server and client keys: ecdsa (P-256), rsa (2048 bits) or ed25519; the CA key is ECDSA P-256"},
			durationFlag("renew-within", 30*day, "reissue certificates expiring within `DURATION`"),
			&cli.IntFlag{Name: "days", Value: 365, Usage: "validity of server and client certificates in `DAYS`"},
			&cli.IntFlag{Name: "ca-days", Value: 3650, Usage: "validity of a new CA certificate in `DAYS`"},
			&cli.IntFlag{Name: "iter", Value: keys.DefaultIterations, Usage: "PBKDF2 iteration count for new keys"},
			&cli.BoolFlag{Name: "json", Usage: "print the manifest on stdout"},
			&cli.BoolFlag{Name: "no-name-constraints", Usage: "let the CA sign for any name, not only the --host names and addresses"},
			&cli.StringSliceFlag{Name: "formats", Value: cli.NewStringSlice("pem"),
				Usage: "`FORMATS` to write, comma-separated: pem (always), p12 (server.p12, client-NAME.p12), der (ca.der), combined (server-combined.pem)"},
		},
		Action: func(c *cli.Context) error { return e.bootstrap(c) },
	}
}

func (e *env) bootstrap(c *cli.Context) error {
	if err := requireFlags(c, "dir", "host"); err != nil {
		return err
	}
	req, err := bootstrapRequest(c)
	if err != nil {
		return err
	}
	dir := c.String("dir")
	if err := safefile.CheckDirUsable(dir); err != nil {
		return err
	}
	if !c.Bool("no-encrypt") {
		if req.Passphrase, err = e.passoutFor(c.String("passout"), filepath.Join(dir, pki.CAKeyFile)); err != nil {
			return err
		}
	}
	plan, m, err := e.runBootstrap(dir, req)
	if err != nil {
		return bootstrapHints(err, dir)
	}
	e.reportPlan(dir, plan)
	e.reportDerived(dir, m, req.Passphrase != nil)
	e.bootstrapWarnings(c, dir, plan)
	if !c.Bool("json") {
		return nil
	}
	data, err := m.Marshal()
	if err == nil {
		_, err = e.stdout.Write(data)
	}
	return err
}

// runBootstrap plans, then applies; decrypting existing keys and encrypting
// new ones can take seconds, hence the spinner.
func (e *env) runBootstrap(dir string, req pki.BootstrapRequest) (plan *pki.Plan, m *pki.Manifest, err error) {
	err = e.withSpinner("bootstrapping "+dir, func() error {
		if plan, err = planBootstrap(dir, req); err != nil {
			return err
		}
		m, err = pki.ApplyBootstrap(dir, plan)
		return err
	})
	return plan, m, err
}

func planBootstrap(dir string, req pki.BootstrapRequest) (*pki.Plan, error) {
	state, err := pki.ReadBootstrapDir(dir, req.Clients)
	if err != nil {
		return nil, err
	}
	return pki.PlanBootstrap(state, req)
}

// bootstrapRequest reads the flags; every misuse is caught here, before a
// passphrase is read or a file looked at.
func bootstrapRequest(c *cli.Context) (pki.BootstrapRequest, error) {
	if err := checkBootstrapFlags(c); err != nil {
		return pki.BootstrapRequest{}, err
	}
	hosts, err := parseHosts(c.StringSlice("host"))
	if err != nil {
		return pki.BootstrapRequest{}, err
	}
	for _, name := range c.StringSlice("client") {
		if err := pki.CheckClientName(name); err != nil {
			return pki.BootstrapRequest{}, usageError("", "--client: %v", err)
		}
		if strings.Contains(name, ".") && !c.Bool("no-name-constraints") {
			return pki.BootstrapRequest{}, usageError("use a client name without dots, or pass --no-name-constraints",
				"--client %s: a client name with a dot looks like a host name, which the CA's name constraints (only the --host names) forbid", name)
		}
	}
	formats, err := pki.ParseFormats(splitList(c.StringSlice("formats")))
	if err != nil {
		return pki.BootstrapRequest{}, usageError("use --formats pem,p12,der,combined (any of them)", "--formats: %v", err)
	}
	return pki.BootstrapRequest{
		Formats: formats, Hosts: hosts, Clients: c.StringSlice("client"), Days: c.Int("days"), CADays: c.Int("ca-days"),
		RenewWithin: c.Duration("renew-within"), Encryption: keys.Encryption{Iterations: c.Int("iter")},
		Key: leafKeySpec(c.String("algorithm")), Unconstrained: c.Bool("no-name-constraints"),
	}, nil
}

func checkBootstrapFlags(c *cli.Context) error {
	if err := firstErr(checkNewKeyFlags(c), checkDaysFlags(c, "days", "ca-days")); err != nil {
		return err
	}
	switch {
	case c.Args().Present():
		return usageError("hosts go in --host, clients in --client", "unexpected argument %q", c.Args().First())
	case !c.Bool("no-encrypt") && !c.IsSet("passout"):
		return usageError("pass --passout env:VAR (or file:PATH, fd:N, stdin), or --no-encrypt for unencrypted keys",
			"bootstrap never prompts: say how to protect the keys")
	case !slices.Contains([]string{"ecdsa", "rsa", "ed25519"}, strings.ToLower(c.String("algorithm"))):
		return usageError("use --algorithm ecdsa, rsa or ed25519", "unknown --algorithm %q", c.String("algorithm"))
	case c.Duration("renew-within") < 0:
		return usageError("such as --renew-within 30d", "--renew-within must not be negative")
	case c.IsSet("renew-within") && renewsEveryRun(c):
		return usageError("keep --renew-within well below the validity, such as --days 365 --renew-within 30d",
			"--renew-within %s is not shorter than the validity (--days %d, --ca-days %d): every run would reissue",
			formatDuration(c.Duration("renew-within")), c.Int("days"), c.Int("ca-days"))
	}
	return nil
}

func bootstrapHints(err error, dir string) error {
	switch {
	case errors.Is(err, pki.ErrForeignFile):
		return withHint(fmt.Errorf("%s: %w", dir, err),
			"nothing was written; bootstrap never replaces files it did not make: use an empty --dir or remove the file")
	case errors.Is(err, keys.ErrNoPassphrase):
		return withHint(fmt.Errorf("%s: %w", dir, err), "the keys are encrypted: pass --passout with the passphrase they were made with")
	case errors.Is(err, keys.ErrWrongPassphrase):
		return withHint(fmt.Errorf("%s: %w", dir, err), "--passout must give the passphrase the existing keys were made with")
	case errors.Is(err, keys.ErrInsecurePerms):
		return withHint(fmt.Errorf("%s: %w", dir, err),
			"nothing was written; bootstrap writes keys mode 0400: run chmod 400 "+filepath.Join(dir, "*.key"))
	case errors.Is(err, safefile.ErrExists):
		return withHint(err, "another bootstrap wrote into "+dir+" at the same time; nothing of this run was kept: run it again")
	}
	return err
}

func (e *env) bootstrapWarnings(c *cli.Context, dir string, plan *pki.Plan) {
	if !c.IsSet("renew-within") && renewsEveryRun(c) {
		warnf(e.stderr, "the validity (--days %d, --ca-days %d) is within the default --renew-within %s: "+
			"every run will reissue; pass a shorter --renew-within", c.Int("days"), c.Int("ca-days"), formatDuration(c.Duration("renew-within")))
	}
	if c.Bool("no-encrypt") && plan.Changes() {
		warnf(e.stderr, "the new keys in %s are not encrypted: anyone who can read them can use them", dir)
	}
}

// renewsEveryRun reports whether --renew-within reaches back to the issue
// date, so that every run would find the certificates due for renewal.
func renewsEveryRun(c *cli.Context) bool {
	return c.Duration("renew-within") >= day*time.Duration(min(c.Int("days"), c.Int("ca-days")))
}

// reportPlan says on stderr what happened to each certificate.
func (e *env) reportPlan(dir string, plan *pki.Plan) {
	for _, it := range plan.Items {
		path := filepath.Join(dir, it.CertFile)
		switch it.Action {
		case pki.ActionKeep:
			noticef(e.stderr, "%s: kept", path)
		case pki.ActionCreate:
			noticef(e.stderr, "%s: created (%s)", path, it.Reason)
		default:
			noticef(e.stderr, "%s: reissued (%s)", path, it.Reason)
		}
		if it.KeepsIssued() {
			noticef(e.stderr, "%s keeps its key and name, so the certificates it issued stay valid; "+
				"clients that hold the old copy need the new %s", path, it.CertFile)
		}
	}
}

// reportDerived names the --formats files, which follow their PEM sources.
func (e *env) reportDerived(dir string, m *pki.Manifest, encrypted bool) {
	var names []string
	for _, entry := range append([]pki.ManifestEntry{m.CA, m.Server}, m.Clients...) {
		for _, f := range []string{entry.DER, entry.P12, entry.Combined} {
			if f != "" {
				names = append(names, filepath.Join(dir, f))
			}
		}
	}
	if len(names) > 0 {
		noticef(e.stderr, "also in the formats asked for, kept in step with the PEM files: %s", strings.Join(names, ", "))
	}
	if m.Server.Combined != "" && encrypted {
		noticef(e.stderr, "%s holds the key encrypted, as server.key: HAProxy cannot read encrypted keys "+
			"(use --no-encrypt, or tlskit key decrypt)", filepath.Join(dir, m.Server.Combined))
	}
}

// splitList splits comma-separated values of a repeatable flag.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}

// leafKeySpec is the key of --algorithm, at its default size; checked by
// bootstrapRequest.
func leafKeySpec(alg string) keys.KeySpec {
	switch strings.ToLower(alg) {
	case "rsa":
		return keys.KeySpec{Algorithm: "rsa", Bits: 2048}
	case "ed25519":
		return keys.KeySpec{Algorithm: "ed25519"}
	}
	return keys.KeySpec{Algorithm: "ecdsa", Curve: "P-256"}
}
