package main

import "github.com/urfave/cli/v2"

func genkeyCommand(e *env) *cli.Command {
	return &cli.Command{Name: "genkey"}
}
