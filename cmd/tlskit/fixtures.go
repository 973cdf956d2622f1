package main

import (
	"path/filepath"
	"time"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/pki"
	"github.com/tlskit/tlskit/pkg/safefile"
	"github.com/urfave/cli/v2"
)

func fixturesCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "fixtures",
		Usage: "test TLS clients: write fixture certificates, serve every case (serve), score a client (check)",
		UsageText: "tlskit fixtures --dir DIR [--host NAME[,NAME...]] [--force]\n" +
			"tlskit fixtures serve [options]\n" +
			"tlskit fixtures check [options] -- CMD [ARG...]",
		Description: "Writes ca.crt and, each with its key: valid, expired, not-yet-valid, wrong-host, untrusted\n" +
			"(signed by another CA) and wrong-eku (clientAuth only), plus a README saying what a correct\n" +
			"client must do with each. The keys are UNENCRYPTED test fixtures (mode 0400): never use them\n" +
			"outside tests.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "write the fixtures to `DIR`"},
			&cli.StringSliceFlag{Name: "host", Value: cli.NewStringSlice("localhost", "127.0.0.1"),
				Usage: "DNS `NAME` or IP the fixtures are for"},
			&cli.BoolFlag{Name: "force", Usage: "replace existing fixture files"},
		},
		Subcommands: []*cli.Command{fixturesServeCommand(e), fixturesCheckCommand(e)},
		Action:      func(c *cli.Context) error { return e.fixtures(c) },
	}
}

func (e *env) fixtures(c *cli.Context) error {
	if c.Args().Present() {
		if !c.IsSet("dir") {
			return usageError("the fixtures commands are serve and check; to write fixture files, use --dir DIR",
				"unknown fixtures command %q", c.Args().First())
		}
		return usageError("the directory goes in --dir", "unexpected argument %q", c.Args().First())
	}
	if err := requireFlags(c, "dir"); err != nil {
		return err
	}
	hosts, err := parseHosts(c.StringSlice("host"))
	if err != nil {
		return err
	}
	dir, force := c.String("dir"), c.Bool("force")
	if err := safefile.CheckDirUsable(dir); err != nil {
		return err
	}
	set, err := pki.MakeFixtures(hosts, time.Now())
	if err != nil {
		return err
	}
	files := fixtureFiles(set)
	for _, f := range files {
		// --dir may not exist yet: it is made below.
		if err := safefile.CheckOutputPath(filepath.Join(dir, f.name), force); err != nil {
			return withHint(err, "pass --force to replace the fixtures, or choose another --dir")
		}
	}
	removeDirs, err := safefile.MkdirAll(dir, 0o755)
	if err != nil {
		return err
	}
	if err := writeAll(dir, files, force); err != nil {
		removeDirs()
		return err
	}
	noticef(e.stderr, "wrote %d fixture files to %s (see %s)", len(files), dir, filepath.Join(dir, "README"))
	warnf(e.stderr, "the fixture keys are unencrypted test material: never use them outside tests")
	return nil
}

func fixtureFiles(set *pki.FixtureSet) []outFile {
	files := []outFile{{"ca.crt", set.CACert, 0o644}}
	for _, f := range set.Fixtures {
		files = append(files, outFile{f.CertFile, f.Cert, 0o644}, outFile{f.KeyFile, f.Key, keys.KeyFileMode})
	}
	return append(files, outFile{"README", []byte(set.README()), 0o644})
}
