package main

import "github.com/urfave/cli/v2"

// toolkitCommands returns ca, sign, bootstrap, inspect, verify, fixtures,
// completion and man.
func toolkitCommands(e *env) []*cli.Command {
	return []*cli.Command{
		caCommand(e), signCommand(e), bootstrapCommand(e),
		inspectCommand(e), verifyCommand(e), fixturesCommand(e),
		completionCommand(e), manCommand(e),
	}
}
