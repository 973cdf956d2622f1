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
}

// run builds the app, runs it on args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, term: newTerminal(stdin, stdout, stderr)}
	app := newApp(e)
	args, err := reorderArgs(app, args)
	if err != nil {
		return report(stderr, err)
	}
	return report(stderr, app.Run(args))
}

func newApp(e *env) *cli.App {
	return &cli.App{
		Name:            "tlskit",
		Usage:           "make TLS keys and certificates, and run a TLS echo server and client",
		Description:     exitCodeHelp,
		Reader:          e.stdin,
		Writer:          e.stdout,
		ErrWriter:       e.stderr,
		HideHelpCommand: true,
		Suggest:         true,
		ExitErrHandler:  func(*cli.Context, error) {}, // report prints; never os.Exit here
		OnUsageError:    onUsageError,
		Action:          rootAction,
		Commands:        commands(e),

		// Answers --generate-bash-completion for the completion scripts.
		EnableBashCompletion: true,
	}
}

func commands(e *env) []*cli.Command {
	cmds := []*cli.Command{
		genkeyCommand(e), keyCommand(e), p12Command(e), csrCommand(e), selfsignCommand(e),
		serveCommand(e), connectCommand(e),
	}
	cmds = append(cmds, toolkitCommands(e)...)
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = onUsageError
		}
	}
	return cmds
}

func onUsageError(c *cli.Context, err error, _ bool) error {
	return withCode(exitUsage, err, "run 'tlskit "+c.Command.FullName()+" --help' for usage")
}

// rootAction runs when no command matched: bare "tlskit" shows help, anything
// else is an unknown command.
func rootAction(c *cli.Context) error {
	if c.Args().Present() {
		return usageError("run 'tlskit --help' for the list of commands", "unknown command %q", c.Args().First())
	}
	return cli.ShowAppHelp(c)
}

const exitCodeHelp = `Exit codes: 0 success; 1 error; 2 usage error; 3 could not connect;
4 TLS handshake or verification failed; 5 a result differs (echo, key match).`
