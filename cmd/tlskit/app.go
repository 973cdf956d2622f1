package main

import (
	"io"

	"github.com/urfave/cli/v2"
)

// env is what every command may use to talk to the outside world.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	term   prompter
	args   []string // the command line, to name flags as the user typed them
}

// run builds the app, runs it on args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, term: newTerminal(stdin, stderr), args: args}
	if len(args) > 1 && args[1] == completeCommandName {
		return report(stderr, e.complete(newApp(e), args[2:]))
	}
	app := newApp(e)
	args, err := reorderArgs(app, args)
	if err != nil {
		return report(stderr, err)
	}
	return report(stderr, app.Run(args))
}

func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:                  "tlskit",
		Usage:                 "make TLS keys and certificates, and run a TLS echo server and client",
		UsageText:             "tlskit COMMAND [options] [arguments...]\ntlskit help COMMAND",
		Version:               currentBuild().short(),
		Reader:                e.stdin,
		Writer:                e.stdout,
		ErrWriter:             e.stderr,
		HideHelpCommand:       true,
		CustomAppHelpTemplate: appHelpTemplate,
		ExitErrHandler:        func(*cli.Context, error) {}, // report prints; never os.Exit here
		OnUsageError:          e.onUsageError,
		Action:                rootAction,
		// urfave/cli adds --help only when the app has no command named
		// help; tlskit's own help command takes its place.
		Flags:    []cli.Flag{cli.HelpFlag},
		Commands: commands(e),
	}
	e.prepareCommands(app.Commands, "")
	return app
}

func commands(e *env) []*cli.Command {
	cmds := []*cli.Command{
		genkeyCommand(e), keyCommand(e), p12Command(e), csrCommand(e), selfsignCommand(e),
		serveCommand(e), connectCommand(e),
	}
	cmds = append(cmds, toolkitCommands(e)...)
	cmds = append(cmds, versionCommand(e), helpCommand(e))
	installBatch(e, cmds)
	return cmds
}
