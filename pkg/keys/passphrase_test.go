package keys

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestPassphraseSource(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pass.txt")
	if err := os.WriteFile(file, []byte("from file\r\nsecond line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noNewline := filepath.Join(dir, "bare.txt")
	if err := os.WriteFile(noNewline, []byte("bare"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TLSKIT_TEST_PASS", "from env")
	tests := []struct{ spec, stdin, want string }{
		{"pass:hello world", "", "hello world"},
		{"pass:with:colons", "", "with:colons"},
		{"env:TLSKIT_TEST_PASS", "", "from env"},
		{"file:" + file, "", "from file"},
		{"file:" + noNewline, "", "bare"},
		{"stdin", "from stdin\nrest", "from stdin"},
		{"stdin", "no newline", "no newline"},
	}
	for _, tt := range tests {
		src, err := PassphraseSource(tt.spec, strings.NewReader(tt.stdin))
		if err != nil {
			t.Fatalf("%s: %v", tt.spec, err)
		}
		got, err := src()
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.spec, got, err, tt.want)
		}
	}
}

func TestPassphraseSourceFD(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := w.WriteString("from fd\nnext"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	src, err := PassphraseSource("fd:"+strconv.Itoa(int(r.Fd())), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := src()
	if err != nil || string(got) != "from fd" {
		t.Fatalf("got %q, %v", got, err)
	}
	// Only the first line is consumed, and the descriptor stays open.
	rest := make([]byte, 10)
	n, err := r.Read(rest)
	if err != nil || string(rest[:n]) != "next" {
		t.Errorf("after reading the passphrase the pipe holds %q, %v", rest[:n], err)
	}
}

func TestPassphraseSourceReadsOnce(t *testing.T) {
	stdin := strings.NewReader("first\nsecond\n")
	src, err := PassphraseSource("stdin", stdin)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := src()
		if err != nil || string(got) != "first" {
			t.Fatalf("got %q, %v", got, err)
		}
		got[0] = 'X' // callers may wipe their copy
	}
	if stdin.Len() != len("second\n") {
		t.Errorf("stdin read more than one line: %d bytes left", stdin.Len())
	}
}

func TestPassphraseSourceErrors(t *testing.T) {
	t.Setenv("TLSKIT_TEST_EMPTY", "")
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		spec     string
		parseErr error // from PassphraseSource
		readErr  error // from the func it returns
	}{
		{"hunter22", ErrBadPassSource, nil},
		{"password:x", ErrBadPassSource, nil},
		{"env:", ErrBadPassSource, nil},
		{"file:", ErrBadPassSource, nil},
		{"fd:x", ErrBadPassSource, nil},
		{"fd:-1", ErrBadPassSource, nil},
		// A passphrase given where a name goes ("env:$PASS") is never echoed.
		{"env:hunter22-pw", ErrBadPassSource, nil},
		{"env:hunter22 x", ErrBadPassSource, nil},
		{"env:1hunter22", ErrBadPassSource, nil},
		{"fd:hunter22", ErrBadPassSource, nil},
		{"pass:", nil, ErrBadPassSource},
		{"env:TLSKIT_TEST_UNSET_VAR", nil, ErrBadPassSource},
		{"env:TLSKIT_TEST_EMPTY", nil, ErrBadPassSource},
		{"file:" + missing, nil, fs.ErrNotExist},
		{"fd:987", nil, ErrBadPassSource},
	}
	for _, tt := range tests {
		src, err := PassphraseSource(tt.spec, strings.NewReader(""))
		if tt.parseErr != nil {
			if !errors.Is(err, tt.parseErr) {
				t.Errorf("%s: error = %v, want %v", tt.spec, err, tt.parseErr)
			}
			assertNoSecret(t, err, "hunter22")
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.spec, err)
		}
		if _, err := src(); !errors.Is(err, tt.readErr) {
			t.Errorf("%s: error = %v, want %v", tt.spec, err, tt.readErr)
		}
		assertNoSecret(t, err, "hunter22")
	}
}

// TestPassphraseSourceMissingFileNotEchoed: "file:$PASS" names no file; the
// error says what file: takes instead of printing the passphrase.
func TestPassphraseSourceMissingFileNotEchoed(t *testing.T) {
	t.Chdir(t.TempDir())
	src, err := PassphraseSource("file:hunter22", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src()
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error = %v, want fs.ErrNotExist", err)
	}
	assertNoSecret(t, err, "hunter22")
}

func TestPassphraseSourceErrorNamesVariable(t *testing.T) {
	src, err := PassphraseSource("env:TLSKIT_TEST_UNSET_VAR", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src()
	if err == nil || !strings.Contains(err.Error(), "TLSKIT_TEST_UNSET_VAR") {
		t.Errorf("error = %v, want it to name the variable", err)
	}
}

func TestPassphraseSourceStdinWithoutReader(t *testing.T) {
	if _, err := PassphraseSource("stdin", nil); !errors.Is(err, ErrBadPassSource) {
		t.Errorf("error = %v, want ErrBadPassSource", err)
	}
}

func TestCheckNewPassphrase(t *testing.T) {
	tests := []struct {
		pass string
		want error
	}{
		{"", ErrShortPassphrase},
		{"abc", ErrShortPassphrase},
		{"abcd", nil},
		{strings.Repeat("x", 1023), nil},
		{strings.Repeat("x", 1024), ErrUnsupported},
	}
	for _, tt := range tests {
		err := CheckNewPassphrase([]byte(tt.pass))
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("CheckNewPassphrase(%d bytes) = %v, want %v", len(tt.pass), err, tt.want)
		}
		assertNoSecret(t, err, tt.pass)
	}
}

func assertNoSecret(t *testing.T, err error, secret string) {
	t.Helper()
	if err != nil && secret != "" && strings.Contains(err.Error(), secret) {
		t.Errorf("error %q contains the passphrase", err)
	}
}
