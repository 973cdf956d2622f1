package main

import (
	"crypto"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/tlskit/tlskit/pkg/keys"
	xterm "golang.org/x/term"
)

// withSpinner runs fn, showing msg and a spinner on stderr while it runs,
// but only when stderr is a terminal: pipes, logs and CI get nothing. Ctrl-C
// meanwhile erases the line and returns errInterrupted (exit 130) at once:
// the slow work (key generation, a KDF) cannot be interrupted otherwise, so
// it is left running in its goroutine until the process exits. Every file it
// may be writing is written atomically or journaled.
func (e *env) withSpinner(msg string, fn func() error) error {
	if !isTerminal(e.stderr) {
		return fn()
	}
	sp := e.startSpinner(msg)
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		sp.stop()
		return err
	case <-sp.interrupted:
		return errInterrupted
	}
}

// spinner is a running spinner: stop erases it; interrupted is closed
// when Ctrl-C stopped it.
type spinner struct {
	stop        func()
	interrupted chan struct{}
}

// startSpinner shows msg and a spinner on stderr, when it is a terminal,
// until stop is called or Ctrl-C is pressed.
func (e *env) startSpinner(msg string) *spinner {
	sp := &spinner{stop: func() {}, interrupted: make(chan struct{})}
	if !isTerminal(e.stderr) {
		return sp
	}
	quit, done := make(chan struct{}), make(chan struct{})
	intr := make(chan os.Signal, 1)
	signal.Notify(intr, os.Interrupt)
	go func() {
		if interrupted := spin(e.stderr, msg, quit, intr, done); interrupted {
			close(sp.interrupted)
		}
	}()
	sp.stop = sync.OnceFunc(func() { signal.Stop(intr); close(quit); <-done })
	return sp
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && xterm.IsTerminal(int(f.Fd()))
}

// spin redraws "msg x" every tick until quit is closed or intr receives,
// then erases its line; it reports whether it stopped for intr.
func spin(w io.Writer, msg string, quit <-chan struct{}, intr <-chan os.Signal, done chan<- struct{}) (interrupted bool) {
	defer close(done)
	frames := `|/-\`
	t := time.NewTicker(120 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i++ {
		fmt.Fprintf(w, "\r%s %c", msg, frames[i%len(frames)])
		select {
		case <-quit:
		case <-intr:
			interrupted = true
		case <-t.C:
			continue
		}
		fmt.Fprintf(w, "\r%*s\r", len(msg)+2, "")
		return interrupted
	}
}

// readKeyFile is keys.ReadKeyFile with a spinner while an encrypted key is
// decrypted (its KDF can take seconds), started once the passphrase is known
// so that it never draws over the prompt. Ctrl-C during the spinner returns
// errInterrupted at once.
func (e *env) readKeyFile(path string, opts keys.ReadKeyOptions) (crypto.Signer, error) {
	ask := opts.Passphrase
	if ask == nil || !isTerminal(e.stderr) {
		return keys.ReadKeyFile(path, opts)
	}
	started := make(chan *spinner, 1)
	opts.Passphrase = func() ([]byte, error) {
		p, err := ask()
		if err == nil {
			started <- e.startSpinner("decrypting " + path)
		}
		return p, err
	}
	type result struct {
		key crypto.Signer
		err error
	}
	res := make(chan result, 1)
	go func() { k, err := keys.ReadKeyFile(path, opts); res <- result{k, err} }()
	sp := &spinner{stop: func() {}}
	for {
		select {
		case next := <-started:
			sp.stop()
			sp = next
		case r := <-res:
			sp.stop()
			select { // a spinner started just before the result came
			case late := <-started:
				late.stop()
			default:
			}
			return r.key, r.err
		case <-sp.interrupted:
			return nil, errInterrupted
		}
	}
}
