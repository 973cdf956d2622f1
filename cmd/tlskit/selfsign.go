package main

import "github.com/urfave/cli/v2"

func selfsignCommand(e *env) *cli.Command {
	return &cli.Command{Name: "selfsign"}
}
