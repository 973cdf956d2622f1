package main

import (
	"errors"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	xterm "golang.org/x/term"
)

// prompter asks the user questions on a terminal. survey is kept behind this
// interface: it is unmaintained and misbehaves without a TTY, so it is only
// reached when Interactive reports true.
type prompter interface {
	// Interactive reports whether stdin and stdout are both terminals.
	Interactive() bool
	// Secret asks for hidden input.
	Secret(question string) (string, error)
	// Input asks for a line of text; def is offered as the default.
	Input(question, def string) (string, error)
}

// errNoTerminal is returned by a prompter with no terminal to ask on.
var errNoTerminal = errors.New("no terminal to prompt on")

type surveyTerminal struct {
	in  terminal.FileReader
	out terminal.FileWriter
	err io.Writer
}

// newTerminal returns a survey-backed prompter when stdin and stdout are
// terminal files, and one that always fails otherwise.
func newTerminal(stdin io.Reader, stdout, stderr io.Writer) prompter {
	in, ok1 := stdin.(*os.File)
	out, ok2 := stdout.(*os.File)
	if !ok1 || !ok2 || !xterm.IsTerminal(int(in.Fd())) || !xterm.IsTerminal(int(out.Fd())) {
		return noTerminal{}
	}
	return &surveyTerminal{in: in, out: out, err: stderr}
}

func (t *surveyTerminal) Interactive() bool { return true }

func (t *surveyTerminal) Secret(question string) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Password{Message: question}, &answer, t.opts())
	return answer, promptErr(err)
}

func (t *surveyTerminal) Input(question, def string) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Input{Message: question, Default: def}, &answer, t.opts())
	return answer, promptErr(err)
}

func (t *surveyTerminal) opts() survey.AskOpt {
	return survey.WithStdio(t.in, t.out, t.err)
}

var errInterrupted = errors.New("interrupted")

func promptErr(err error) error {
	if errors.Is(err, terminal.InterruptErr) {
		return errInterrupted
	}
	return err
}

type noTerminal struct{}

func (noTerminal) Interactive() bool                    { return false }
func (noTerminal) Secret(string) (string, error)        { return "", errNoTerminal }
func (noTerminal) Input(string, string) (string, error) { return "", errNoTerminal }
