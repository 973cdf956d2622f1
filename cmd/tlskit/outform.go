package main

import "github.com/urfave/cli/v2"

// outform reads --outform of a command that writes a request or certificate
// to out: true for DER, which is binary and so never written to a terminal.
func (e *env) outform(c *cli.Context, out string) (bool, error) {
	asDER, err := checkOutform(c)
	if err == nil && asDER && out == "-" && isTerminal(e.stdout) {
		err = usageError("write it to a file with --out FILE, or pipe it", "DER is binary: it is not written to a terminal")
	}
	return asDER, err
}
