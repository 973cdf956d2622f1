package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The docs and the binary agree: every flag --help shows is documented in a
// section about its command (README.md or docs/*.md), and every --flag the
// docs mention exists.

// docSection is a markdown heading and the text under it, down to the next
// heading of the same or a higher level.
type docSection struct {
	file, heading, body string
}

var reHeading = regexp.MustCompile(`^(#+)\s+(.*)$`)

func readDocSections(t *testing.T) []docSection {
	t.Helper()
	files, _ := filepath.Glob("../../docs/*.md")
	files = append(files, "../../README.md")
	var all []docSection
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, splitSections(filepath.Base(f), string(data))...)
	}
	if len(all) < 10 {
		t.Fatalf("only %d doc sections found", len(all))
	}
	return all
}

func splitSections(file, text string) []docSection {
	lines := strings.Split(text, "\n")
	var out []docSection
	for i, l := range lines {
		m := reHeading.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		end := len(lines)
		for j := i + 1; j < len(lines); j++ {
			if n := reHeading.FindStringSubmatch(lines[j]); n != nil && len(n[1]) <= len(m[1]) {
				end = j
				break
			}
		}
		out = append(out, docSection{file, m[2], strings.Join(lines[i+1:end], "\n")})
	}
	return out
}

// about reports whether a heading is about the command at path: it names
// "tlskit PATH", or one of its parts ("ca init and sign") starts with PATH.
func (s docSection) about(path string) bool {
	h := strings.ToLower(strings.ReplaceAll(s.heading, "`", ""))
	if strings.HasPrefix(h, "flags shared by") {
		return true // docs/cli.md: flags that mean the same in every command
	}
	boundary := `($|[^a-z0-9-])`
	if regexp.MustCompile(`tlskit ` + regexp.QuoteMeta(path) + boundary).MatchString(h) {
		return true
	}
	for _, part := range regexp.MustCompile(`, | and `).Split(h, -1) {
		if regexp.MustCompile(`^` + regexp.QuoteMeta(path) + boundary).MatchString(strings.TrimSpace(part)) {
			return true
		}
	}
	return false
}

var reDocFlag = regexp.MustCompile(`(?:^|[^-\w])(--[a-z][a-z0-9-]*)`)

func docFlags(text string) []string {
	var out []string
	for _, m := range reDocFlag.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestDocsDescribeEveryFlag(t *testing.T) {
	sections := readDocSections(t)
	for path, c := range allCommands(t) {
		var documented []string
		found := false
		for _, s := range sections {
			if s.about(path) {
				found = true
				documented = append(documented, docFlags(s.heading+"\n"+s.body)...)
			}
		}
		for _, f := range c.Flags {
			if name := "--" + f.Names()[0]; !slices.Contains(documented, name) {
				t.Errorf("tlskit %s %s is not documented: add it to a section whose heading names the command (README.md or docs/*.md; found a section: %v)", path, name, found)
			}
		}
	}
}

// foreignFlags are other programs' flags the docs quote, and deliberate
// mistakes in examples.
var foreignFlags = map[string]string{
	"--cacert": "curl", "--pass": "curl", "--pinnedpubkey": "curl", "--pkcs-cipher": "certtool", "--p12-info": "certtool", "--ignore-missing": "sha256sum", "--resolve": "curl",
	"--algo":       "docs/cli.md's misspelt flag",
	"--x509cafile": "gnutls-cli", "--x509certfile": "gnutls-cli", "--x509keyfile": "gnutls-cli", "--port": "gnutls-cli",
	"--priority": "gnutls-cli", "--tls-cipher-list": "node", "--require-client-cert": "gnutls-serv",
}

func TestDocsMentionOnlyRealFlags(t *testing.T) {
	real := map[string]bool{"--help": true, "--version": true}
	for _, c := range allCommands(t) {
		for _, f := range c.Flags {
			for _, n := range f.Names() {
				real["--"+n] = true
			}
		}
	}
	for _, s := range readDocSections(t) {
		for _, f := range docFlags(s.heading + "\n" + s.body) {
			if !real[f] && foreignFlags[f] == "" {
				t.Errorf("%s, section %q, mentions %s, which no tlskit command has", s.file, s.heading, f)
			}
		}
	}
}

// TestDocsExitCodeTable: README.md and docs/cli.md carry exitcodes.go's
// table verbatim, as --help and the man page do.
func TestDocsExitCodeTable(t *testing.T) {
	for _, f := range []string{"../../README.md", "../../docs/cli.md"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), exitCodeMarkdown()) {
			t.Errorf("%s does not carry the exit-code table of exitcodes.go; paste it:\n%s", f, exitCodeMarkdown())
		}
	}
}
