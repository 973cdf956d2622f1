package keys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/tlskit/tlskit/pkg/safefile"
)

// Passphrase length limits for new keys: openssl refuses fewer than 4
// characters when it writes a key, and reads at most 1023 bytes through its
// PEM passphrase callback.
const (
	minPassphraseLen = 4
	maxPassphraseLen = 1023
)

// maxPassLine bounds how much a passphrase source reads looking for a line.
const maxPassLine = 64 << 10

// CheckNewPassphrase rejects passphrases too short for a new key
// (ErrShortPassphrase) or too long for openssl to read (ErrUnsupported).
func CheckNewPassphrase(p []byte) error {
	if len(p) < minPassphraseLen {
		return keyErrorf(ErrShortPassphrase, "passphrase too short (at least %d characters)", minPassphraseLen)
	}
	if len(p) > maxPassphraseLen {
		return keyErrorf(ErrUnsupported, "passphrase too long for openssl (at most %d bytes)", maxPassphraseLen)
	}
	return nil
}

// PassphraseSource parses an openssl-style passphrase source: pass:TEXT,
// env:VAR, file:PATH, fd:N or stdin. The returned func reads the source once
// and caches the result; it fails rather than return an empty passphrase.
// Errors wrap ErrBadPassSource and never contain the passphrase.
func PassphraseSource(spec string, stdin io.Reader) (PassphraseFunc, error) {
	read, err := passReader(spec, stdin)
	if err != nil {
		return nil, err
	}
	once := sync.OnceValues(func() ([]byte, error) {
		p, err := read()
		if err == nil && len(p) == 0 {
			err = keyErrorf(ErrBadPassSource, "%s gave an empty passphrase", describeSpec(spec))
		}
		return p, err
	})
	return func() ([]byte, error) {
		p, err := once()
		return bytes.Clone(p), err
	}, nil
}

func passReader(spec string, stdin io.Reader) (func() ([]byte, error), error) {
	kind, arg, _ := strings.Cut(spec, ":")
	switch {
	case kind == "pass":
		return func() ([]byte, error) { return []byte(arg), nil }, nil
	case kind == "env" && arg != "" && !isVarName(arg):
		// Never echoed: "env:$PASS" puts the passphrase itself here.
		return nil, keyErrorf(ErrBadPassSource, "passphrase source env: takes the name of an environment variable "+
			"(letters, digits and _), such as env:TLSKIT_PASS, not its value")
	case kind == "env" && arg != "":
		return func() ([]byte, error) { return envPassphrase(arg) }, nil
	case kind == "file" && arg != "":
		return func() ([]byte, error) { return filePassphrase(arg) }, nil
	case kind == "fd":
		return fdReader(arg)
	case spec == "stdin" && stdin != nil:
		return func() ([]byte, error) { return readPassLine(stdin, "stdin") }, nil
	}
	return nil, badSpecError(kind)
}

// badSpecError never echoes the spec: a user who forgot "pass:" typed the
// passphrase itself.
func badSpecError(kind string) error {
	switch kind {
	case "env", "file", "fd":
		return keyErrorf(ErrBadPassSource, "passphrase source %s: needs an argument", kind)
	case "stdin":
		return keyErrorf(ErrBadPassSource, "passphrase source stdin: no input available")
	}
	return keyErrorf(ErrBadPassSource, "unknown passphrase source (want pass:TEXT, env:VAR, file:PATH, fd:N or stdin)")
}

// describeSpec names a source without its secret part.
func describeSpec(spec string) string {
	if strings.HasPrefix(spec, "pass:") {
		return "pass:"
	}
	return spec
}

func envPassphrase(name string) ([]byte, error) {
	v := os.Getenv(name)
	if v == "" {
		return nil, keyErrorf(ErrBadPassSource, "environment variable %s is not set or empty", name)
	}
	return []byte(v), nil
}

// isVarName reports whether s can name an environment variable.
func isVarName(s string) bool {
	for i, r := range s {
		if r != '_' && !('A' <= r && r <= 'Z') && !('a' <= r && r <= 'z') && !(i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

func filePassphrase(path string) ([]byte, error) {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		// Never echoed: "file:$PASS" puts the passphrase itself here.
		return nil, fmt.Errorf("passphrase source file: names no existing file (file:PATH takes the path of a "+
			"file holding the passphrase): %w", fs.ErrNotExist)
	}
	f, _, err := safefile.Open(path) // never blocks on a FIFO, refuses devices
	if err != nil {
		return nil, fmt.Errorf("cannot read passphrase file: %w", err)
	}
	defer f.Close()
	return readPassLine(f, path)
}

func fdReader(arg string) (func() ([]byte, error), error) {
	fd, err := strconv.Atoi(arg)
	if err != nil || fd < 0 {
		// Never echoed: "fd:$PASS" puts the passphrase itself here.
		return nil, keyErrorf(ErrBadPassSource, "passphrase source fd: takes a file descriptor number, such as fd:3")
	}
	return func() ([]byte, error) { return fdPassphrase(fd) }, nil
}

// readPassLine returns the first line of r without its line ending. It reads
// one byte at a time so that nothing after the line is consumed: the rest of
// stdin or of a descriptor may be meant for someone else.
func readPassLine(r io.Reader, name string) ([]byte, error) {
	var line []byte
	b := make([]byte, 1)
	for range maxPassLine {
		n, err := r.Read(b)
		if n == 1 && b[0] == '\n' {
			break
		}
		line = append(line, b[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read passphrase from %s: %w", name, err)
		}
		if len(line) == maxPassLine {
			return nil, keyErrorf(ErrBadPassSource, "%s: no line end in the first %d bytes", name, maxPassLine)
		}
	}
	return bytes.TrimSuffix(line, []byte("\r")), nil
}
