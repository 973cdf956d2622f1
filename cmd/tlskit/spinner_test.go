package main

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers (the spinner
// goroutine, a child process's stderr copier).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWithSpinnerSilentWithoutTerminal(t *testing.T) {
	var stderr bytes.Buffer
	e := &env{stderr: &stderr}
	want := errors.New("boom")
	ran := false
	err := e.withSpinner("working", func() error { ran = true; return want })
	if !ran || !errors.Is(err, want) {
		t.Fatalf("fn ran=%v, err=%v", ran, err)
	}
	if stderr.Len() != 0 {
		t.Errorf("spinner wrote to a non-terminal: %q", stderr.String())
	}
}

func TestSpinErasesItsLine(t *testing.T) {
	var w syncBuffer
	stop, done := make(chan struct{}), make(chan struct{})
	go spin(&w, "generating key", stop, nil, done)
	close(stop)
	<-done
	out := w.String()
	if !strings.HasPrefix(out, "\rgenerating key |") || !strings.HasSuffix(out, "\r") {
		t.Fatalf("spinner output %q", out)
	}
	last := out[strings.LastIndex(out[:len(out)-1], "\r")+1 : len(out)-1]
	if strings.TrimSpace(last) != "" || len(last) < len("generating key |") {
		t.Errorf("spinner did not blank its line: %q", last)
	}
}
