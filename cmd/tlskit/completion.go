package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// Shell completion. The bash, zsh and fish scripts all ask the binary
// itself, "tlskit __complete WORD... CURRENT", so they never go stale and the
// logic lives here once. The answer is one candidate per line, as
// "WORD<TAB>DESCRIPTION", or the single line ":files" (":dirs") when the
// shell should complete file (directory) names. urfave/cli's own
// --generate-bash-completion cannot do this: it reads os.Args, answers
// "help" and "h" after every command, refuses "--" and knows no flag values.

const completeCommandName = "__complete"

// flagValues are the fixed values of flags, by flag name.
var flagValues = map[string][]string{
	"algorithm":  {"rsa", "ecdsa", "ed25519"},
	"bits":       {"2048", "3072", "4096"},
	"curve":      {"P-256", "P-384", "P-521"},
	"kdf":        {"pbkdf2", "scrypt"},
	"min-tls":    {"1.2", "1.3"},
	"log-format": {"text", "json"},
	"purpose":    {"server", "client"},
	"profile":    {"modern", "legacy"},
	"outform":    {"pem", "der"},
	"to":         {"pkcs8", "pkcs1", "sec1"},
	"formats":    {"pem", "p12", "der", "combined"},
}

// argValues are the fixed values of positional arguments, by ArgsUsage.
var argValues = map[string][]string{"SHELL": {"bash", "zsh", "fish"}}

// completion is where the words typed so far lead.
type completion struct {
	top        []*cli.Command // tlskit's commands, for "tlskit help"
	cmd        *cli.Command
	pending    cli.Flag // the flag whose value comes next
	positional []string // arguments given so far
	dashes     bool     // after "--": only arguments
	seen       map[string]bool
}

func (e *env) complete(app *cli.App, words []string) error {
	if len(words) == 0 {
		words = []string{""}
	}
	st := &completion{cmd: &cli.Command{Name: app.Name, Subcommands: app.Commands, Flags: []cli.Flag{cli.VersionFlag}}, seen: map[string]bool{}, top: app.Commands}
	for _, w := range words[:len(words)-1] {
		st.read(w)
	}
	for _, c := range st.candidates(words[len(words)-1]) {
		fmt.Fprintln(e.stdout, c)
	}
	return nil
}

// read takes one completed word.
func (st *completion) read(w string) {
	switch {
	case st.pending != nil:
		if w != "=" { // bash splits --flag=value at the "="
			st.pending = nil
		}
	case st.dashes || (w == "-" || !strings.HasPrefix(w, "-")):
		st.readArg(w)
	case w == "--":
		st.dashes = true
	default:
		name, _, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if f := st.flag(name); f != nil {
			st.seen[f.Names()[0]] = true
			if takesValue(f) && !hasValue {
				st.pending = f
			}
		}
	}
}

func (st *completion) readArg(w string) {
	if sub := commandNamed(st.cmd.Subcommands, w); sub != nil && len(st.positional) == 0 && !st.dashes {
		st.cmd = sub
		return
	}
	st.positional = append(st.positional, w)
}

func (st *completion) flags() []cli.Flag {
	return append(append([]cli.Flag{}, st.cmd.Flags...), cli.HelpFlag)
}

func (st *completion) flag(name string) cli.Flag {
	for _, f := range st.flags() {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	df, ok := f.(cli.DocGenerationFlag)
	return ok && df.TakesValue()
}

// candidates answers for the word being typed.
func (st *completion) candidates(cur string) []string {
	if cur == "=" && st.pending != nil {
		cur = ""
	}
	switch {
	case st.pending != nil:
		return flagValueCandidates(st.pending, "", cur)
	case !st.dashes && strings.HasPrefix(cur, "--") && strings.Contains(cur, "="):
		name, val, _ := strings.Cut(strings.TrimPrefix(cur, "--"), "=")
		if f := st.flag(name); f != nil && takesValue(f) {
			return flagValueCandidates(f, "--"+name+"=", val)
		}
		return nil
	case !st.dashes && strings.HasPrefix(cur, "-"):
		return st.flagCandidates(cur)
	}
	return st.argCandidates(cur)
}

func (st *completion) flagCandidates(cur string) []string {
	var out []string
	for _, f := range st.flags() {
		if st.seen[f.Names()[0]] && !isSlice(f) {
			continue
		}
		for _, n := range f.Names() {
			if name := dashes(n) + n; strings.HasPrefix(name, cur) && len(n) > 1 {
				out = append(out, name+"\t"+flagDescription(f))
			}
		}
	}
	return out
}

func isSlice(f cli.Flag) bool {
	sf, ok := f.(cli.DocGenerationSliceFlag)
	return ok && sf.IsSliceFlag()
}

// flagDescription is the flag's usage without its default.
func flagDescription(f cli.Flag) string {
	df, ok := f.(cli.DocGenerationFlag)
	if !ok {
		return ""
	}
	return strings.ReplaceAll(df.GetUsage(), "`", "")
}

// flagValueCandidates completes the value of f: its fixed set, or file names
// for a FILE or DIR placeholder.
func flagValueCandidates(f cli.Flag, prefix, cur string) []string {
	if values, ok := flagValues[f.Names()[0]]; ok {
		return matching(values, prefix, cur)
	}
	if prefix == "" {
		return fileDirective(flagPlaceholder(f))
	}
	return nil
}

func fileDirective(placeholder string) []string {
	switch {
	case strings.Contains(placeholder, "DIR"):
		return []string{":dirs"}
	case strings.Contains(placeholder, "FILE"), strings.Contains(placeholder, "CERT"), strings.Contains(placeholder, "KEY"):
		return []string{":files"}
	}
	return nil
}

func matching(values []string, prefix, cur string) []string {
	var out []string
	for _, v := range values {
		if strings.HasPrefix(v, cur) {
			out = append(out, prefix+v)
		}
	}
	return out
}

// argCandidates completes a positional word: a subcommand, the argument the
// command takes (ArgsUsage), or else the command's flags.
func (st *completion) argCandidates(cur string) []string {
	if len(st.cmd.Subcommands) > 0 && len(st.positional) == 0 && !st.dashes {
		return commandCandidates(st.cmd.Subcommands, cur)
	}
	if st.cmd.Name == "help" {
		return st.helpCandidates(cur)
	}
	if values, ok := argValues[st.cmd.ArgsUsage]; ok {
		return matching(values, "", cur)
	}
	if d := fileDirective(st.cmd.ArgsUsage); d != nil {
		return d
	}
	if cur == "" && st.cmd.ArgsUsage == "" && !st.dashes {
		return st.flagCandidates("--")
	}
	return nil
}

func commandCandidates(cmds []*cli.Command, cur string) []string {
	var out []string
	for _, c := range cmds {
		if !c.Hidden && strings.HasPrefix(c.Name, cur) {
			out = append(out, c.Name+"\t"+c.Usage)
		}
	}
	return out
}

// helpCandidates follows "tlskit help ca ..." down the command tree.
func (st *completion) helpCandidates(cur string) []string {
	cmds := st.top
	for _, name := range st.positional {
		c := commandNamed(cmds, name)
		if c == nil {
			return nil
		}
		cmds = c.Subcommands
	}
	return commandCandidates(cmds, cur)
}
