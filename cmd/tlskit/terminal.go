package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/urfave/cli/v2"
	xterm "golang.org/x/term"
)

// Prompts go to the controlling terminal (/dev/tty), as openssl's do, when
// stdin is a terminal: "tlskit serve > serve.log" still asks for the
// passphrase. Without a terminal on stdin nothing is asked, and the caller
// fails at once with a hint; --batch asks nothing either.

// prompter asks the user questions on a terminal. survey is kept behind this
// interface for the subject prompts: it is unmaintained and misbehaves
// without a TTY, so it is only reached when Interactive reports true.
type prompter interface {
	// Interactive reports whether questions can be asked.
	Interactive() bool
	// Batch reports whether --batch, rather than the lack of a terminal,
	// is why nothing is asked.
	Batch() bool
	// Secret asks for hidden input, echoed as nothing.
	Secret(question string) (string, error)
	// Input asks for a line of text; def is offered as the default.
	Input(question, def string) (string, error)
	// Tell says why an answer is asked again, where the prompts are.
	Tell(msg string)
}

var (
	// errNoTerminal is returned by a prompter with no terminal to ask on.
	errNoTerminal = errors.New("no terminal to prompt on")
	// errInterrupted is Ctrl-C at a prompt (exit 130).
	errInterrupted = errors.New("interrupted")
	// errAborted is Ctrl-D (end of input) at a prompt.
	errAborted = errors.New("no answer (end of input)")
)

// ttyPath is the controlling terminal.
const ttyPath = "/dev/tty"

// newTerminal returns a prompter on the controlling terminal when stdin is
// a terminal, and one that always fails otherwise.
func newTerminal(stdin io.Reader, stderr io.Writer) prompter {
	in, ok := stdin.(*os.File)
	if !ok || !xterm.IsTerminal(int(in.Fd())) {
		return noTTY
	}
	return &ttyTerminal{err: stderr}
}

// ttyTerminal prompts on /dev/tty, opened on first use.
type ttyTerminal struct {
	err  io.Writer
	once sync.Once
	tty  *os.File
}

func (t *ttyTerminal) open() *os.File {
	t.once.Do(func() {
		if f, err := os.OpenFile(ttyPath, os.O_RDWR, 0); err == nil {
			t.tty = f
		}
	})
	return t.tty
}

func (t *ttyTerminal) Interactive() bool { return t.open() != nil }

func (t *ttyTerminal) Batch() bool { return false }

func (t *ttyTerminal) Tell(msg string) {
	if tty := t.open(); tty != nil {
		fmt.Fprintf(tty, "tlskit: %s\n", msg)
	}
}

func (t *ttyTerminal) Secret(question string) (string, error) {
	tty := t.open()
	if tty == nil {
		return "", errNoTerminal
	}
	return readSecret(tty, question)
}

func (t *ttyTerminal) Input(question, def string) (string, error) {
	tty := t.open()
	if tty == nil {
		return "", errNoTerminal
	}
	var answer string
	err := survey.AskOne(&survey.Input{Message: question, Default: def}, &answer, survey.WithStdio(tty, tty, t.err))
	if errors.Is(err, terminal.InterruptErr) {
		return "", errInterrupted
	}
	if errors.Is(err, io.EOF) {
		return "", errAborted
	}
	return answer, err
}

// noTerminal asks nothing: there is no terminal, or --batch said not to.
type noTerminal struct{ batch bool }

func (n noTerminal) Interactive() bool                  { return false }
func (n noTerminal) Batch() bool                        { return n.batch }
func (noTerminal) Secret(string) (string, error)        { return "", errNoTerminal }
func (noTerminal) Input(string, string) (string, error) { return "", errNoTerminal }
func (noTerminal) Tell(string)                          {}

var (
	noTTY = noTerminal{}
	// batchTerminal is what --batch installs.
	batchTerminal = noTerminal{batch: true}
)

const flagBatch = "batch"

// batchFlag is --batch, for every command that may prompt.
func batchFlag() cli.Flag {
	return &cli.BoolFlag{Name: flagBatch, Usage: "never prompt (for a passphrase or anything else): fail instead"}
}

// installBatch gives --batch to every command that may prompt (those with
// --passin or --passout), and makes it stop every prompt before the command
// runs.
func installBatch(e *env, cmds []*cli.Command) {
	for _, c := range cmds {
		installBatch(e, c.Subcommands)
		if lookupFlag(c.Flags, "passin") == nil && lookupFlag(c.Flags, "passout") == nil {
			continue
		}
		if lookupFlag(c.Flags, flagBatch) == nil {
			c.Flags = append(c.Flags, batchFlag())
		}
		before := c.Before
		c.Before = func(ctx *cli.Context) error {
			if ctx.Bool(flagBatch) {
				e.term = batchTerminal
			}
			if before != nil {
				return before(ctx)
			}
			return nil
		}
	}
}

// cannotAsk ends an error message that says why nothing was asked:
// "no terminal to ask on" or "--batch forbids asking", plus what (" for one").
func cannotAsk(p prompter, noTerminal, batch string) string {
	if p.Batch() {
		return batch
	}
	return noTerminal
}

// readSecret writes question on tty and reads one line with echo off: the
// passphrase shows as nothing, its length included. Ctrl-D aborts; Ctrl-C
// restores the terminal and returns errInterrupted.
func readSecret(tty *os.File, question string) (string, error) {
	fmt.Fprint(tty, question+" ")
	restore, err := echoOff(tty)
	if err != nil {
		return "", fmt.Errorf("%s: %w", ttyPath, err)
	}
	intr := make(chan os.Signal, 1)
	signal.Notify(intr, os.Interrupt)
	defer signal.Stop(intr)
	line := make(chan readResult, 1)
	go func() { line <- readLine(tty) }()
	select {
	case r := <-line:
		restore()
		fmt.Fprintln(tty)
		return r.text, r.err
	case <-intr:
		restore()
		fmt.Fprintln(tty)
		return "", errInterrupted
	}
}

type readResult struct {
	text string
	err  error
}

// readLine reads one line from a terminal in canonical mode, where each
// read returns at most one line. Nothing read (Ctrl-D on an empty line), or
// a line ended by Ctrl-D rather than Enter, aborts.
func readLine(tty *os.File) readResult {
	buf := make([]byte, 4096)
	n, err := tty.Read(buf)
	if n == 0 || (err != nil && !errors.Is(err, io.EOF)) {
		return readResult{err: errAborted}
	}
	s := string(buf[:n])
	if !strings.HasSuffix(s, "\n") {
		return readResult{err: errAborted}
	}
	return readResult{text: strings.TrimRight(s, "\r\n")}
}
