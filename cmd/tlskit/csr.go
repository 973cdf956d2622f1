package main

import "github.com/urfave/cli/v2"

func csrCommand(e *env) *cli.Command {
	return &cli.Command{Name: "csr"}
}
