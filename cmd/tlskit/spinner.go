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
// but only when stderr is a terminal: pipes, logs and CI get nothing.
func (e *env) withSpinner(msg string, fn func() error) error {
	stop := e.startSpinner(msg)
	defer stop()
	return fn()
}

// startSpinner shows msg and a spinner on stderr, when it is a terminal,
// until stop is called. Ctrl-C meanwhile erases the line and exits 130: the
// slow work (key generation, a KDF) cannot be interrupted otherwise, and
// would leave the spinner's text on the line.
func (e *env) startSpinner(msg string) (stop func()) {
	if !isTerminal(e.stderr) {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	intr := make(chan os.Signal, 1)
	signal.Notify(intr, os.Interrupt)
	go func() {
		if interrupted := spin(e.stderr, msg, quit, intr, done); interrupted {
			os.Exit(exitInterrupted)
		}
	}()
	return sync.OnceFunc(func() { signal.Stop(intr); close(quit); <-done })
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
// so that it never draws over the prompt.
func (e *env) readKeyFile(path string, opts keys.ReadKeyOptions) (crypto.Signer, error) {
	stop := func() {}
	if ask := opts.Passphrase; ask != nil {
		opts.Passphrase = func() ([]byte, error) {
			p, err := ask()
			if err == nil {
				stop()
				stop = e.startSpinner("decrypting " + path)
			}
			return p, err
		}
	}
	key, err := keys.ReadKeyFile(path, opts)
	stop()
	return key, err
}
