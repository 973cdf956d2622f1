package main

import (
	"fmt"
	"io"
	"os"
	"time"

	xterm "golang.org/x/term"
)

// withSpinner runs fn, showing msg and a spinner on stderr while it runs,
// but only when stderr is a terminal: pipes, logs and CI get nothing.
func (e *env) withSpinner(msg string, fn func() error) error {
	if !isTerminal(e.stderr) {
		return fn()
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go spin(e.stderr, msg, stop, done)
	err := fn()
	close(stop)
	<-done
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && xterm.IsTerminal(int(f.Fd()))
}

// spin redraws "msg x" every tick until stop is closed, then erases its line.
func spin(w io.Writer, msg string, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	frames := `|/-\`
	t := time.NewTicker(120 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		fmt.Fprintf(w, "\r%s %c", msg, frames[i%len(frames)])
		select {
		case <-stop:
			fmt.Fprintf(w, "\r%*s\r", len(msg)+2, "")
			return
		case <-t.C:
		}
	}
}
