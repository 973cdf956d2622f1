package main

import "github.com/urfave/cli/v2"

// toolkitCommands returns ca, sign, bootstrap, inspect, verify, fixtures,
// completion and man.
func toolkitCommands(e *env) []*cli.Command { return nil }
