package main

// Output rules, written down once:
//   - data (PEM on --out -, JSON, echoed bytes) goes to stdout;
//   - errors go to stderr as one "tlskit: error: ..." line, lowercase, no final
//     period, naming the file and the problem, printed only here by report;
//   - a known fix follows as "tlskit: hint: ..." lines;
//   - warnings and notices go to stderr as "tlskit: warning: ..." / "tlskit: ...";
//   - prompts go to the terminal, and only when stdin and stdout are terminals.
//
// Exit codes (documented in docs/cli.md, --help, the man page and README):
//   0 success, 1 error, 2 usage error, 3 could not connect, 4 TLS handshake
//   or verification failed, 5 a result differs (a short or different echo, a
//   key that does not match), 6 a certificate expires within
//   --expires-within, 7 fixtures check found a case a client got wrong,
//   8 the server closed the connection before the input ended.

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitConnect   = 3
	exitHandshake = 4
	exitEcho      = 5 // also every other "differs" result
	exitExpiring  = 6
	exitCheck     = 7
	exitCutShort  = 8
	// exitInterrupted is Ctrl-C at a prompt or spinner, as a shell reports
	// a command killed by SIGINT (128+2).
	exitInterrupted = 130
)

// cliError carries an exit code and hints along with an error.
type cliError struct {
	code  int
	err   error
	hints []string
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// withCode attaches an exit code and optional hints to err.
func withCode(code int, err error, hints ...string) error {
	if err == nil {
		return nil
	}
	var kept []string
	for _, h := range hints {
		if h != "" {
			kept = append(kept, h)
		}
	}
	return &cliError{code: code, err: err, hints: kept}
}

// withHint attaches hints to err, keeping exit code 1.
func withHint(err error, hints ...string) error { return withCode(exitError, err, hints...) }

// usageError reports a misused command line (exit 2).
func usageError(hint string, format string, args ...any) error {
	var hints []string
	if hint != "" {
		hints = []string{hint}
	}
	return withCode(exitUsage, fmt.Errorf(format, args...), hints...)
}

// report prints err once and returns the exit code.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errInterrupted) {
		// The user pressed Ctrl-C and knows why: no error line.
		return exitInterrupted
	}
	code, hints := exitError, []string(nil)
	var ce *cliError
	if errors.As(err, &ce) {
		code, hints = ce.code, ce.hints
	}
	if len(hints) == 0 {
		// A command's own hint knows its flags; the library's is generic.
		hints = libraryHints(err)
	}
	fmt.Fprintf(stderr, "tlskit: error: %s\n", oneLine(err.Error()))
	for _, h := range hints {
		fmt.Fprintf(stderr, "tlskit: hint: %s\n", h)
	}
	return code
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// warnf prints a warning on stderr.
func warnf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "tlskit: warning: "+format+"\n", args...)
}

// noticef prints an informational line on stderr.
func noticef(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "tlskit: "+format+"\n", args...)
}
