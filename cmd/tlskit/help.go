package main

import (
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"
)

// Help, unknown commands and misused flags, set up for every command in one
// place (prepareCommands), so a new command gets them without asking.

// prepareCommands walks the command tree under parent ("" for tlskit):
// urfave/cli's help subcommand is hidden (completion would offer "help" and
// "h" after a leaf command), usage errors go through e.onUsageError, a
// command group refuses an unknown subcommand, and --help ends with the
// command's own exit codes.
func (e *env) prepareCommands(cmds []*cli.Command, parent string) {
	for _, c := range cmds {
		path := strings.TrimSpace(parent + " " + c.Name)
		c.HideHelpCommand = true
		if c.OnUsageError == nil {
			c.OnUsageError = e.onUsageError
		}
		if len(c.Subcommands) > 0 && c.Action == nil {
			c.Action = groupAction
		}
		if c.UsageText == "" {
			c.UsageText = commandSynopsis(c, path)
		}
		c.CustomHelpTemplate = commandHelpTemplate + exitCodeSection(path)
		e.prepareCommands(c.Subcommands, path)
	}
}

// commandHelpTemplate is urfave/cli's subcommand template; "EXIT CODES"
// follows it.
var commandHelpTemplate = strings.TrimSuffix(cli.SubcommandHelpTemplate, "\n")

// appHelpTemplate is urfave/cli's app template with the exit codes last.
var appHelpTemplate = strings.TrimSuffix(cli.AppHelpTemplate, "\n") + exitCodeSection("")

func exitCodeSection(path string) string {
	return "\n\nEXIT CODES:" + exitCodeText(path) + "\n"
}

// groupAction runs for a command group (ca) given no known subcommand.
func groupAction(c *cli.Context) error {
	if c.Args().Present() {
		return unknownCommand(c.Command.Subcommands, commandPath(c), c.Args().First())
	}
	return cli.ShowSubcommandHelp(c)
}

// rootAction runs when no command matched: bare "tlskit" shows help, anything
// else is an unknown command.
func rootAction(c *cli.Context) error {
	if c.Args().Present() {
		return unknownCommand(c.App.Commands, "", c.Args().First())
	}
	return cli.ShowAppHelp(c)
}

// unknownCommand is the usage error for name under the command at path.
func unknownCommand(cmds []*cli.Command, path, name string) error {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	hint := "run '" + tlskitCommand(path) + " --help' for usage"
	if len(cmds) > 0 {
		hint = "run '" + tlskitCommand(path) + " --help' for the list of commands"
	}
	if s := suggest(name, names); s != "" {
		hint = "did you mean '" + tlskitCommand(path+" "+s) + "'?"
	}
	return usageError(hint, "unknown command %q", strings.TrimSpace(path+" "+name))
}

// tlskitCommand is "tlskit PATH" with PATH trimmed.
func tlskitCommand(path string) string {
	return strings.TrimSpace("tlskit " + strings.TrimSpace(path))
}

// suggest returns the candidate closest to typed, or "" when none is close:
// a candidate that typed begins, or one that differs by a typo or two.
func suggest(typed string, candidates []string) string {
	best, score := "", 0.0
	for _, c := range candidates {
		s := smetrics.JaroWinkler(typed, c, 0.7, 4)
		if strings.HasPrefix(c, typed) && typed != "" {
			s += 1
		}
		if s > score {
			best, score = c, s
		}
	}
	if score < 0.85 {
		return ""
	}
	return best
}

// helpCommand is "tlskit help [COMMAND...]": the same help as COMMAND --help,
// for nested commands too (tlskit help ca init).
func helpCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the help of a command (the same as COMMAND --help)",
		UsageText: "tlskit help [COMMAND [SUBCOMMAND]]",
		ArgsUsage: "[COMMAND...]",
		// urfave/cli would treat --help here as "help" for the parent.
		SkipFlagParsing: true,
		Action:          func(c *cli.Context) error { return e.help(c) },
	}
}

func (e *env) help(c *cli.Context) error {
	var names []string
	for _, a := range c.Args().Slice() {
		switch {
		case a == "-h" || a == "--help":
			if len(c.Args().Slice()) == 1 {
				return cli.ShowSubcommandHelp(c)
			}
		case strings.HasPrefix(a, "-"):
			return usageError("run 'tlskit help COMMAND'", "unknown flag %s", a)
		default:
			names = append(names, a)
		}
	}
	cmds, path := c.App.Commands, ""
	for _, name := range names {
		cmd := commandNamed(cmds, name)
		if cmd == nil {
			return unknownCommand(cmds, path, name)
		}
		cmds, path = cmd.Subcommands, strings.TrimSpace(path+" "+cmd.Name)
	}
	// A fresh app prints exactly what "tlskit PATH --help" prints.
	args := append([]string{c.App.Name}, strings.Fields(path)...)
	return newApp(e).Run(append(args, "--help"))
}

func commandNamed(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// Go's flag package words its errors with one dash and without the flag as
// typed; these patterns recognise them.
var (
	reUnknownFlag = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
	reNeedsValue  = regexp.MustCompile(`^flag needs an argument: -+(.+)$`)
	reBadValue    = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]+): (.*)$`)
)

// onUsageError rewords a flag parsing error: the flag as the user typed it,
// the closest flag the command has, and where to read more.
func (e *env) onUsageError(c *cli.Context, err error, _ bool) error {
	usage := "run '" + tlskitCommand(commandPath(c)) + " --help' for usage"
	msg := err.Error()
	if m := reUnknownFlag.FindStringSubmatch(msg); m != nil {
		return unknownFlag(c, e.typedFlag(m[1]), m[1], usage)
	}
	if m := reNeedsValue.FindStringSubmatch(msg); m != nil {
		return usageError(usage, "%s needs a value", e.typedFlag(m[1]))
	}
	if m := reBadValue.FindStringSubmatch(msg); m != nil {
		if m[3] != "parse error" && m[3] != "value out of range" {
			// The flag's own parser said what is wrong (durations do).
			return usageError(usage, "%s %q: %s", e.typedFlag(m[2]), m[1], m[3])
		}
		return usageError(usage, "%s: %q is not %s", e.typedFlag(m[2]), m[1], valueKind(c, m[2]))
	}
	return withCode(exitUsage, err, usage)
}

func unknownFlag(c *cli.Context, typed, name, usage string) error {
	var names []string
	for _, f := range c.Command.VisibleFlags() {
		names = append(names, f.Names()...)
	}
	if s := suggest(name, names); s != "" {
		usage = "did you mean " + dashes(s) + s + "? (" + usage + ")"
	}
	return usageError(usage, "unknown flag %s", typed)
}

// typedFlag finds name as the user typed it (-x, --name or --name=value),
// falling back to --name.
func (e *env) typedFlag(name string) string {
	for _, a := range e.args {
		flag, _, _ := strings.Cut(a, "=")
		if strings.TrimLeft(flag, "-") == name && strings.HasPrefix(flag, "-") {
			return flag
		}
	}
	return dashes(name) + name
}

// valueKind says what the flag called name expects, for a parse error.
func valueKind(c *cli.Context, name string) string {
	for _, f := range c.Command.VisibleFlags() {
		if f.Names()[0] != name {
			continue
		}
		switch f.(type) {
		case *cli.BoolFlag:
			return "true or false"
		case *cli.IntFlag, *cli.Int64Flag, *cli.UintFlag, *cli.Uint64Flag:
			return "a whole number"
		}
	}
	return "a valid value"
}
