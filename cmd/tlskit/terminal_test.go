package main

import (
	"errors"
	"os"
	"testing"
)

// TestReadLine: a line ended by Enter is the answer; end of input, with or
// without text before it (Ctrl-D on an empty line, or after some text),
// aborts instead of being taken for an answer.
func TestReadLine(t *testing.T) {
	tests := []struct {
		input string
		want  string
		err   error
	}{
		{"hunter22\n", "hunter22", nil},
		{"hunter22\r\n", "hunter22", nil},
		{"\n", "", nil},
		{"", "", errAborted},
		{"hunt", "", errAborted},
	}
	for _, tt := range tests {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		w.WriteString(tt.input)
		w.Close()
		got := readLine(r)
		r.Close()
		if got.text != tt.want || !errors.Is(got.err, tt.err) {
			t.Errorf("readLine(%q) = %q, %v; want %q, %v", tt.input, got.text, got.err, tt.want, tt.err)
		}
	}
}

// TestEveryPromptingCommandHasBatch walks the command tree: a command that
// may ask for a passphrase (it has --passin or --passout) takes --batch,
// and --batch makes the command ask nothing, even a command added later.
func TestEveryPromptingCommandHasBatch(t *testing.T) {
	n := 0
	for path, c := range allCommands(t) {
		if lookupFlag(c.Flags, "passin") == nil && lookupFlag(c.Flags, "passout") == nil {
			continue
		}
		n++
		if lookupFlag(c.Flags, flagBatch) == nil {
			t.Errorf("tlskit %s may prompt but has no --batch", path)
		}
		if c.Before == nil {
			t.Errorf("tlskit %s: --batch is not wired to stop prompts", path)
		}
	}
	if n < 5 {
		t.Fatalf("only %d commands take a passphrase", n)
	}
}
