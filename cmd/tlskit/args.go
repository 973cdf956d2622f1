package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// urfave/cli v2 stops reading flags at the first argument, so
// "tlskit connect localhost:4433 --ca ca.crt" would leave --ca unread.
// reorderArgs is the one place that fixes this for every command: it finds
// the command being run and moves its flags (with their values) before its
// arguments. "--" ends the flags; what follows it is passed on untouched.

// reorderArgs returns args with each leaf command's flags before its
// arguments, or a usage error for a single-valued flag given twice.
func reorderArgs(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	out := []string{args[0]}
	rest, flags, cmds := args[1:], app.Flags, app.Commands
	var path []string
	for len(cmds) > 0 {
		n := leadingFlags(flags, rest)
		out = append(out, rest[:n]...)
		rest = rest[n:]
		cmd := findCommand(cmds, rest)
		if cmd == nil {
			// An unknown command (or none): urfave reports it as typed.
			return append(out, rest...), nil
		}
		out, rest = append(out, rest[0]), rest[1:]
		path = append(path, cmd.Name)
		flags, cmds = cmd.Flags, cmd.Subcommands
	}
	leaf, err := splitFlags(flags, rest, strings.Join(path, " "))
	if err != nil {
		return nil, err
	}
	return append(out, leaf...), nil
}

// findCommand returns the command named by rest[0], or nil.
func findCommand(cmds []*cli.Command, rest []string) *cli.Command {
	if len(rest) == 0 {
		return nil
	}
	for _, c := range cmds {
		if c.HasName(rest[0]) {
			return c
		}
	}
	return nil
}

// leadingFlags counts the tokens of rest that are flags (with their values)
// before the first argument.
func leadingFlags(flags []cli.Flag, rest []string) int {
	i := 0
	for i < len(rest) && isFlag(rest[i]) && rest[i] != "--" {
		i += 1 + valueTokens(flags, rest[i], i+1 < len(rest))
	}
	return min(i, len(rest))
}

// splitFlags returns a leaf command's flags, then "--" when needed, then its
// arguments in their order.
func splitFlags(flags []cli.Flag, rest []string, cmd string) ([]string, error) {
	var opts, argv []string
	dashdash := false
	seen := map[string]bool{}
	for i := 0; i < len(rest); i++ {
		tok := rest[i]
		switch {
		case tok == "--":
			argv, dashdash = append(argv, rest[i+1:]...), true
			i = len(rest)
		case tok == "--help" || tok == "-h":
			// Help is shown for the command, whatever else was typed.
			return []string{tok}, nil
		case isFlag(tok):
			if err := checkRepeat(flags, tok, seen, cmd); err != nil {
				return nil, err
			}
			n := 1 + valueTokens(flags, tok, i+1 < len(rest))
			if err := checkNotEmpty(flags, rest[i:i+n], cmd); err != nil {
				return nil, err
			}
			opts = append(opts, rest[i:i+n]...)
			i += n - 1
		default:
			argv = append(argv, tok)
		}
	}
	if dashdash || anyLooksLikeFlag(argv) {
		opts = append(opts, "--")
	}
	return append(opts, argv...), nil
}

// isFlag reports whether tok is written as a flag; "-" alone is stdin.
func isFlag(tok string) bool { return len(tok) > 1 && tok[0] == '-' }

func anyLooksLikeFlag(argv []string) bool {
	for _, a := range argv {
		if isFlag(a) {
			return true
		}
	}
	return false
}

// valueTokens is 1 when tok is a flag that takes its value from the next
// token ("--out FILE"), 0 for "--out=FILE", booleans and unknown flags.
func valueTokens(flags []cli.Flag, tok string, hasNext bool) int {
	name, _, inline := strings.Cut(strings.TrimLeft(tok, "-"), "=")
	f := lookupFlag(flags, name)
	if f == nil || inline || !hasNext {
		return 0
	}
	if dg, ok := f.(cli.DocGenerationFlag); ok && dg.TakesValue() {
		return 1
	}
	return 0
}

func lookupFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

// checkNotEmpty refuses an empty value ("--out ”", "--out="): it would
// silently stand for a default, the current directory or no file at all.
// Only csr's subject fields may be empty: a field left out.
func checkNotEmpty(flags []cli.Flag, flagTokens []string, cmd string) error {
	name, value, inline := strings.Cut(strings.TrimLeft(flagTokens[0], "-"), "=")
	f := lookupFlag(flags, name)
	if f == nil || (cmd == "csr" && isSubjectField(f.Names()[0])) {
		return nil
	}
	if len(flagTokens) == 2 {
		value, inline = flagTokens[1], true
	}
	if inline && value == "" {
		if dg, ok := f.(cli.DocGenerationFlag); ok && dg.TakesValue() {
			return usageError(emptyFlagHints[cmd+" --"+f.Names()[0]], "--%s is empty", f.Names()[0])
		}
	}
	return nil
}

// emptyFlagHints are the hints for an empty flag whose fix is not obvious.
var emptyFlagHints = map[string]string{
	"verify --ca": "name a CA file, or leave --ca out to trust the system roots",
}

func isSubjectField(name string) bool {
	for _, f := range subjectFlags {
		if f.name == name {
			return true
		}
	}
	return false
}

// checkRepeat refuses a single-valued flag given a second time: urfave would
// silently keep the last value. Repeatable (slice) flags may repeat.
func checkRepeat(flags []cli.Flag, tok string, seen map[string]bool, cmd string) error {
	name, _, _ := strings.Cut(strings.TrimLeft(tok, "-"), "=")
	f := lookupFlag(flags, name)
	if f == nil {
		return nil
	}
	if sf, ok := f.(cli.DocGenerationSliceFlag); ok && sf.IsSliceFlag() {
		return nil
	}
	primary := f.Names()[0]
	if seen[primary] {
		return usageError(fmt.Sprintf("give --%s once: it does not repeat (run 'tlskit %s --help' for usage)", primary, cmd),
			"--%s is given more than once", primary)
	}
	seen[primary] = true
	return nil
}
