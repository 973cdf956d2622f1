package echo

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// shortServer accepts one TLS client, echoes the first n bytes it sends,
// then closes; closed is closed once it has.
func shortServer(t *testing.T, p *pki, n int) (addr string, closed <-chan struct{}) {
	t.Helper()
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{p.server}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer l.Close()
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.CopyN(c, c, int64(n))
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return l.Addr().String(), done
}

// gatedReader gives first, then waits for gate to close before giving rest.
type gatedReader struct {
	first, rest []byte
	gate        <-chan struct{}
	passed      bool
}

func (r *gatedReader) Read(b []byte) (int, error) {
	if len(r.first) > 0 {
		n := copy(b, r.first)
		r.first = r.first[n:]
		return n, nil
	}
	if !r.passed {
		<-r.gate
		r.passed = true
	}
	if len(r.rest) == 0 {
		return 0, io.EOF
	}
	n := copy(b, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

// TestPipeCutShort: a server that closes before the input ends is an error
// that counts what was not sent, never a success.
func TestPipeCutShort(t *testing.T) {
	p := newPKI(t, "Test CA")
	t.Run("input still coming when the server closes", func(t *testing.T) {
		addr, closed := shortServer(t, p, 6)
		c := mustDial(t, p, addr, nil)
		in := &gatedReader{first: []byte("first\n"), rest: []byte("second\n"), gate: closed}
		var out bytes.Buffer
		tr, err := Pipe(c, in, &out, 10*time.Second)
		if !errors.Is(err, ErrCutShort) {
			t.Fatalf("err = %v, want ErrCutShort", err)
		}
		// The second line usually finds the server gone; if the sender
		// wins the race, the kernel takes it and it counts as sent.
		if tr.Sent+tr.Unsent != 13 || tr.Sent < 6 || tr.Received != 6 || !tr.Counted || out.String() != "first\n" {
			t.Fatalf("Pipe = %+v, output %q; want 13 bytes sent or unsent, 6 received", tr, out.String())
		}
	})
	t.Run("large stream cut short", func(t *testing.T) {
		addr, _ := shortServer(t, p, 1_000_000)
		c := mustDial(t, p, addr, nil)
		in := bytes.Repeat([]byte("0123456789abcdef"), 125_000) // 2,000,000 bytes
		var out bytes.Buffer
		tr, err := Pipe(c, bytes.NewReader(in), &out, 10*time.Second)
		if !errors.Is(err, ErrCutShort) {
			t.Fatalf("Pipe = %+v, %v; want ErrCutShort", tr, err)
		}
		// The kernel may take all of it into its buffers before the reset.
		if tr.Sent+tr.Unsent != int64(len(in)) || !tr.Counted || tr.Received > 1_000_000 {
			t.Fatalf("Pipe = %+v; want sent + unsent = %d, at most 1000000 received", tr, len(in))
		}
		if !bytes.Equal(out.Bytes(), in[:out.Len()]) {
			t.Error("the bytes received are not the start of the input")
		}
	})
	t.Run("not draining leaves the count open", func(t *testing.T) {
		addr, _ := shortServer(t, p, 6)
		c := mustDial(t, p, addr, nil)
		never := make(chan struct{})
		defer close(never)
		in := &gatedReader{first: []byte("first\n"), rest: []byte("second\n"), gate: never}
		tr, err := Pipe(c, in, io.Discard, 0)
		want := "the server closed the connection before the input ended: the rest of the input was not sent (6 sent, 6 received)"
		if !errors.Is(err, ErrCutShort) || err.Error() != want || tr.Counted {
			t.Fatalf("Pipe = %+v, %v; want %q", tr, err, want)
		}
	})
}

func TestPipeInputError(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	c := mustDial(t, p, addr, nil)
	boom := errors.New("boom")
	_, err := Pipe(c, failingReader{boom}, io.Discard, time.Second)
	if !errors.Is(err, boom) || errors.Is(err, ErrCutShort) {
		t.Fatalf("err = %v, want the input's error, not ErrCutShort", err)
	}
}

// TestPipeServerClosesAfterHalfClose: once all of the input is sent, the
// server closing is the normal end, whatever it echoed.
func TestPipeServerClosesAfterHalfClose(t *testing.T) {
	p := newPKI(t, "Test CA")
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{p.server}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(io.Discard, c) // reads to the client's close_notify, echoes nothing
	}()
	c := mustDial(t, p, l.Addr().String(), nil)
	tr, err := Pipe(c, bytes.NewReader([]byte("all of it")), io.Discard, time.Second)
	if err != nil || tr.Sent != 9 || tr.Received != 0 || tr.Unsent != 0 {
		t.Fatalf("Pipe = %+v, %v; want 9 sent, nil", tr, err)
	}
}

func TestCutShortMessage(t *testing.T) {
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	tests := []struct {
		t    Transfer
		read error
		want string
	}{
		{Transfer{Sent: 6, Received: 6, Unsent: 7, Counted: true}, nil, "7 bytes of input were not sent (6 sent, 6 received)"},
		{Transfer{Sent: 6, Received: 6, Unsent: 7}, nil, "at least 7 bytes of input were not sent (6 sent, 6 received)"},
		{Transfer{Sent: 6, Received: 6}, nil, "the rest of the input was not sent (6 sent, 6 received)"},
		{Transfer{Sent: 13, Received: 6, Counted: true}, nil, "all of the input was written, but the server closed before reading it all (13 sent, 6 received)"},
		{Transfer{Sent: 6, Unsent: 1, Counted: true}, reset, "1 bytes of input were not sent (6 sent, 0 received): connection reset by peer"},
	}
	for _, tt := range tests {
		err := cutShort(tt.t, tt.read, nil)
		if !errors.Is(err, ErrCutShort) || err.Error() != ErrCutShort.Error()+": "+tt.want {
			t.Errorf("cutShort(%+v) = %q, want %q", tt.t, err, tt.want)
		}
	}
}

// TestPipeRequestResponseServer: a server that reads a request, answers
// with more than it got and closes without reading the client's
// close_notify (its kernel then resets the connection) ended normally.
func TestPipeRequestResponseServer(t *testing.T) {
	p := newPKI(t, "Test CA")
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{p.server}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		req := make([]byte, 4)
		if _, err := io.ReadFull(c, req); err == nil {
			c.Write(bytes.Repeat([]byte("answer\n"), 100))
		}
	}()
	for range 5 {
		c := mustDial(t, p, l.Addr().String(), nil)
		tr, err := Pipe(c, bytes.NewReader([]byte("GET\n")), io.Discard, time.Second)
		if err != nil || tr.Received != 700 {
			t.Fatalf("Pipe = %+v, %v; want 700 bytes received and no error", tr, err)
		}
		go func() { // serve the next one
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			req := make([]byte, 4)
			if _, err := io.ReadFull(c, req); err == nil {
				c.Write(bytes.Repeat([]byte("answer\n"), 100))
			}
		}()
	}
}

// TestExchangeShortEcho: a server that closes after echoing part of the
// message is a differing echo that says how much came back.
func TestExchangeShortEcho(t *testing.T) {
	p := newPKI(t, "Test CA")
	addr, _ := shortServer(t, p, 3)
	c := mustDial(t, p, addr, nil)
	got, err := Exchange(c, []byte("hello"))
	want := "echo differs: the server closed after 3 of 5 bytes"
	if !errors.Is(err, ErrEchoDiffers) || err.Error() != want || string(got) != "hel" {
		t.Fatalf("Exchange = %q, %v; want \"hel\" and %q", got, err, want)
	}
}
