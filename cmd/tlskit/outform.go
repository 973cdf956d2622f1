package main

import (
	"os"

	"github.com/urfave/cli/v2"
)

// outform reads --outform of a command that writes a request or certificate
// to out: true for DER, which is binary and so never written to a terminal.
func (e *env) outform(c *cli.Context, out string) (bool, error) {
	asDER, err := checkOutform(c)
	if err == nil && asDER && out == "-" && isTerminal(e.stdout) {
		err = usageError("write it to a file with --out FILE, or pipe it", "DER is binary: it is not written to a terminal")
	}
	return asDER, err
}

// explainForms adds to an openssl command of --explain the encodings that
// differ from PEM: -outform DER for DER output, and flag DER (-inform,
// -CAform) for each input file given after it that holds DER.
func explainForms(cmd string, outDER bool, inputs ...string) string {
	for i := 0; i+1 < len(inputs); i += 2 {
		if isDERFile(inputs[i+1]) {
			cmd += " " + inputs[i] + " DER"
		}
	}
	if outDER {
		cmd += " -outform DER"
	}
	return cmd
}

// isDERFile reports whether path starts like DER rather than PEM text.
func isDERFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 1)
	_, err = f.Read(b)
	return err == nil && b[0] == 0x30
}
