package main

import (
	"errors"
	"fmt"

	"github.com/tlskit/tlskit/pkg/keys"
)

// passinFor returns the passphrase source for reading the key in file: the
// --passin spec when given, else a one-time prompt on a terminal, else a func
// that fails with a hint. It is only called if the key is encrypted.
func (e *env) passinFor(spec, file string) (keys.PassphraseFunc, error) {
	if spec != "" {
		src, err := keys.PassphraseSource(spec, e.stdin)
		if err != nil {
			return nil, withCode(exitUsage, fmt.Errorf("--passin: %w", err))
		}
		return src, nil
	}
	return func() ([]byte, error) {
		if !e.term.Interactive() {
			return nil, withHint(fmt.Errorf("%s is encrypted and %s", file,
				cannotAsk(e.term, "there is no terminal to ask for its passphrase", "--batch forbids asking for its passphrase")),
				"pass --passin env:VAR (or file:PATH, fd:N, stdin)")
		}
		p, err := e.term.Secret("Enter pass phrase for " + file + ":")
		return []byte(p), promptError(err, file)
	}, nil
}

// passoutFor returns the passphrase for a new key written to file: from the
// --passout spec, else asked twice on a terminal, else an error with a hint.
func (e *env) passoutFor(spec, file string) ([]byte, error) {
	var p []byte
	var err error
	if spec != "" {
		p, err = e.passFromSpec("--passout", spec)
	} else {
		p, err = e.askNewPassphrase(file)
	}
	if err != nil {
		return nil, err
	}
	if err := keys.CheckNewPassphrase(p); err != nil {
		return nil, withHint(err, "use at least 4 characters")
	}
	return p, nil
}

func (e *env) passFromSpec(flag, spec string) ([]byte, error) {
	src, err := keys.PassphraseSource(spec, e.stdin)
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("%s: %w", flag, err))
	}
	return src()
}

func (e *env) askNewPassphrase(file string) ([]byte, error) {
	if !e.term.Interactive() {
		return nil, withHint(fmt.Errorf("no passphrase source for %s and %s", file,
			cannotAsk(e.term, "no terminal to ask on", "--batch forbids asking for one")),
			"pass --passout env:VAR (or file:PATH, fd:N, stdin), or --no-encrypt for an unencrypted key")
	}
	for {
		p, err := e.term.Secret("Enter pass phrase for " + file + ":")
		if err != nil {
			return nil, promptError(err, file)
		}
		if err := keys.CheckNewPassphrase([]byte(p)); err != nil {
			e.term.Tell("passphrase too short: use at least 4 characters")
			continue
		}
		again, err := e.term.Secret("Verifying - Enter pass phrase for " + file + ":")
		if err != nil {
			return nil, promptError(err, file)
		}
		if p == again {
			return []byte(p), nil
		}
		e.term.Tell("passphrases do not match, try again")
	}
}

// promptError names the key a passphrase prompt was for when it ended
// without an answer.
func promptError(err error, file string) error {
	if errors.Is(err, errAborted) {
		return fmt.Errorf("no passphrase for %s: %w", file, err)
	}
	return err
}
