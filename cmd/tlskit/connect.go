package main

import "github.com/urfave/cli/v2"

func connectCommand(e *env) *cli.Command {
	return &cli.Command{Name: "connect"}
}
