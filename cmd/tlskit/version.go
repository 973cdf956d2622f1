package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// Release builds stamp these with -ldflags "-X main.version=... -X
// main.commit=... -X main.commitDate=..." (scripts/release.sh). Left empty,
// they come from the build information Go embeds in every binary built from
// a clone or with go install. The date is the commit's, never the build's,
// so two builds of one commit are identical.
var (
	version    string
	commit     string
	commitDate string
)

// buildInfo is what tlskit version prints.
type buildInfo struct {
	Version    string `json:"version"`
	Commit     string `json:"commit"`
	CommitDate string `json:"commit_date"`
	Modified   bool   `json:"modified"`
	GoVersion  string `json:"go_version"`
	Platform   string `json:"platform"`
}

func currentBuild() buildInfo {
	b := buildInfo{Version: "(devel)", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.fromEmbedded(bi)
	}
	b.Version = firstNonEmpty(version, b.Version)
	b.Commit = firstNonEmpty(commit, b.Commit)
	b.CommitDate = firstNonEmpty(commitDate, b.CommitDate)
	return b
}

// fromEmbedded reads the module version and the vcs.* settings Go records.
func (b *buildInfo) fromEmbedded(bi *debug.BuildInfo) {
	if v := bi.Main.Version; v != "" {
		b.Version = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.CommitDate = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// day is the commit date as YYYY-MM-DD, or "" when it is not known.
func (b buildInfo) day() string {
	t, err := time.Parse(time.RFC3339, b.CommitDate)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// short is the one line of tlskit --version, after "tlskit version ".
func (b buildInfo) short() string {
	var parts []string
	if b.Commit != "" {
		parts = append(parts, "commit "+shortCommit(b.Commit)+map[bool]string{true: "+modified"}[b.Modified])
	}
	if d := b.day(); d != "" {
		parts = append(parts, d)
	}
	parts = append(parts, b.GoVersion)
	return b.Version + " (" + strings.Join(parts, ", ") + ")"
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

func versionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:        "version",
		Usage:       "print the version, commit, commit date and Go version",
		UsageText:   "tlskit version [--json]",
		Description: "tlskit --version prints the same on one line.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object on stdout"},
		},
		Action: func(c *cli.Context) error { return e.version(c) },
	}
}

func (e *env) version(c *cli.Context) error {
	if c.Args().Present() {
		return usageError("run 'tlskit version' or 'tlskit version --json'", "unexpected argument %q", c.Args().First())
	}
	b := currentBuild()
	if c.Bool("json") {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(b)
	}
	fmt.Fprintf(e.stdout, "tlskit %s\n", b.Version)
	fmt.Fprintf(e.stdout, "commit:      %s\n", firstNonEmpty(b.Commit, "unknown")+map[bool]string{true: " (modified)"}[b.Modified])
	fmt.Fprintf(e.stdout, "commit date: %s\n", firstNonEmpty(b.CommitDate, "unknown"))
	fmt.Fprintf(e.stdout, "go:          %s %s\n", b.GoVersion, b.Platform)
	return nil
}
