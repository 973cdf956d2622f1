package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// visit calls fn for every command of the tree with its path ("ca init").
func visit(cmds []*cli.Command, parent string, fn func(path string, c *cli.Command)) {
	for _, c := range cmds {
		path := strings.TrimSpace(parent + " " + c.Name)
		fn(path, c)
		visit(c.Subcommands, path, fn)
	}
}

func allCommands(t *testing.T) map[string]*cli.Command {
	t.Helper()
	all := map[string]*cli.Command{}
	visit(newApp(&env{}).Commands, "", func(path string, c *cli.Command) { all[path] = c })
	if len(all) < 10 {
		t.Fatalf("only %d commands found", len(all))
	}
	return all
}

// runArgs runs tlskit in-process with an empty stdin.
func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(append([]string{"tlskit"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestEveryCommandHelp walks the command tree, so a command added later is
// held to the same rules: its --help works, reads cleanly, and ends with
// its own exit codes.
func TestEveryCommandHelp(t *testing.T) {
	bad := regexp.MustCompile(`\(default: false\)|--[a-z-]+ (value|VALUE)\b|docs/|\.md\b|[0-9]h0m|m0s\b|Did you mean|help, h`)
	for path, c := range allCommands(t) {
		code, out, errOut := runArgs(append(strings.Fields(path), "--help")...)
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "NAME:\n   tlskit "+path+" - ") {
			t.Errorf("tlskit %s --help: exit %d, stderr %q, stdout:\n%s", path, code, errOut, out)
			continue
		}
		if m := bad.FindString(out); m != "" {
			t.Errorf("tlskit %s --help shows %q:\n%s", path, m, out)
		}
		if _, ok := commandExitCodes[path]; !ok && len(c.Subcommands) == 0 {
			t.Errorf("%q has no entry in commandExitCodes (exitcodes.go): list the exit codes it can return beyond 0, 1 and 2", path)
		}
		if got, want := out[strings.Index(out, "EXIT CODES:"):], "EXIT CODES:"+exitCodeText(path)+"\n"; got != strings.ReplaceAll(want, "\t", "  ") {
			t.Errorf("tlskit %s --help exit codes:\n%s\nwant:\n%s", path, got, want)
		}
		checkUsageText(t, path, c)
	}
}

// checkUsageText: the synopsis names the command, so man and help agree.
func checkUsageText(t *testing.T, path string, c *cli.Command) {
	if !strings.HasPrefix(c.UsageText, "tlskit "+path) {
		t.Errorf("tlskit %s: usage %q does not start with the command", path, c.UsageText)
	}
}

// TestPlaceholders: a flag that takes a value shows a named placeholder,
// the same one in every command.
func TestPlaceholders(t *testing.T) {
	seen := map[string]string{}
	for path, c := range allCommands(t) {
		for _, f := range c.Flags {
			name, ph := f.Names()[0], flagPlaceholder(f)
			if !takesValue(f) {
				continue
			}
			if ph == "" || ph == "VALUE" || strings.ToUpper(ph) != ph {
				t.Errorf("tlskit %s --%s: placeholder %q; give it a `WORD` or an entry in placeholderByName", path, name, ph)
			}
			if prev, ok := seen[name]; ok && prev != ph {
				t.Errorf("--%s is --%s %s in one command and --%s %s in %s", name, name, prev, name, ph, path)
			}
			seen[name] = ph
		}
	}
}

// TestCompletionEveryCommand: "tlskit __complete PATH --" lists exactly the
// command's flags, and a FILE flag completes file names.
func TestCompletionEveryCommand(t *testing.T) {
	for path, c := range allCommands(t) {
		_, out, _ := runArgs(append(append([]string{completeCommandName}, strings.Fields(path)...), "--")...)
		var got, want []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			got = append(got, strings.Split(line, "\t")[0])
		}
		for _, f := range append(slices.Clone(c.Flags), cli.HelpFlag) {
			want = append(want, "--"+f.Names()[0])
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("__complete %s --: %q, want %q", path, got, want)
		}
		for _, f := range c.Flags {
			if flagPlaceholder(f) != "FILE" {
				continue
			}
			_, out, _ := runArgs(append(append([]string{completeCommandName}, strings.Fields(path)...), "--"+f.Names()[0], "")...)
			if out != ":files\n" {
				t.Errorf("__complete %s --%s '': %q, want :files", path, f.Names()[0], out)
			}
		}
	}
}

// TestManPage renders the page with groff: no warnings, the sections a
// manual page has, and every command's synopsis exactly as --help shows it.
func TestManPage(t *testing.T) {
	requirePeer(t, "groff")
	code, page, _ := runArgs("man")
	if code != 0 {
		t.Fatalf("tlskit man: exit %d", code)
	}
	for _, want := range []string{".SH EXIT STATUS", ".SH ENVIRONMENT", ".SH EXAMPLES", ".SH SEE ALSO", `.TH TLSKIT 1 "" "tlskit (devel)"`} {
		if !strings.Contains(page, want) {
			t.Errorf("man page lacks %q", want)
		}
	}
	if strings.Contains(page, `=""`) {
		t.Errorf("man page shows a flag as --name=\"\"")
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-rLL=200n")
	cmd.Stdin = strings.NewReader(page)
	var out, warn bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &warn
	if err := cmd.Run(); err != nil || warn.Len() > 0 {
		t.Fatalf("groff: %v\n%s", err, warn.String())
	}
	text := regexp.MustCompile(".\b").ReplaceAllString(out.String(), "")
	for path, c := range allCommands(t) {
		for _, line := range strings.Split(c.UsageText, "\n") {
			if !strings.Contains(text, line) {
				t.Errorf("rendered man page lacks the synopsis of %s: %q", path, line)
			}
		}
	}
}
