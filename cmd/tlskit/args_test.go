package main

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestReorderArgs(t *testing.T) {
	app := newApp(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, term: batchTerminal})
	tests := []struct{ in, want string }{
		{"connect localhost:4433 --ca ca.crt", "connect --ca ca.crt localhost:4433"},
		{"inspect a.crt --json b.crt", "inspect --json a.crt b.crt"},
		{"inspect - --json", "inspect --json -"},
		{"verify --ca x c.crt --host h", "verify --ca x --host h c.crt"},
		{"ca init --cn CA x", "ca init --cn CA x"},
		{"ca init x --cn=CA", "ca init --cn=CA x"},
		// A value that looks like a flag stays the value.
		{"connect h:1 --timeout -1s", "connect --timeout -1s h:1"},
		// -- ends the options; what follows is passed on untouched.
		{"inspect -- -weird.pem --json", "inspect -- -weird.pem --json"},
		{"inspect a -- --json", "inspect -- a --json"},
		// --help wins over everything else of the command.
		{"inspect a.crt --help", "inspect --help"},
		// Unknown commands and completion requests are left as typed.
		{"genky --bits 2048 x", "genky --bits 2048 x"},
		{"genkey --generate-bash-completion", "genkey --generate-bash-completion"},
		// An unknown flag is kept as a flag for urfave to report.
		{"inspect a.crt --algo", "inspect --algo a.crt"},
		{"connect --ca a --ca b h:1", "connect --ca a --ca b h:1"},
	}
	for _, tt := range tests {
		got, err := reorderArgs(app, append([]string{"tlskit"}, strings.Fields(tt.in)...))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if want := append([]string{"tlskit"}, strings.Fields(tt.want)...); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.in, got, want)
		}
	}
}

func TestReorderArgsRepeatedFlag(t *testing.T) {
	app := newApp(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, term: batchTerminal})
	for _, in := range []string{
		"genkey --passout pass:a --passout pass:b",
		"genkey --out=a --out b",
		"ca init --force x --force",
	} {
		_, err := reorderArgs(app, append([]string{"tlskit"}, strings.Fields(in)...))
		var ce *cliError
		if !errors.As(err, &ce) || ce.code != exitUsage {
			t.Errorf("%s: got %v, want a usage error", in, err)
		}
	}
}
