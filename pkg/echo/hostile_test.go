package echo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// waitClosed reads from c until the server closes it, and fails if the
// server sends anything but a close or an alert.
func waitClosed(t testing.TB, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := io.Copy(io.Discard, c)
	if isTimeout(err) {
		t.Fatal("server did not close the connection")
	}
}

func rawTCP(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestSilentClientsTimeOutWhileOthersEcho(t *testing.T) {
	p := newPKI(t, "Test CA")
	var logs logCapture
	_, addr := startServer(t, p, Config{HandshakeTimeout: time.Second, Logger: logs.logger()})
	var silent []net.Conn
	for range 20 {
		silent = append(silent, rawTCP(t, addr))
	}
	c := mustDial(t, p, addr, nil)
	if _, err := Exchange(c, []byte("served despite the silent ones")); err != nil {
		t.Fatal(err)
	}
	for _, s := range silent {
		waitClosed(t, s)
	}
	waitFor(t, "20 handshake timeouts logged", func() bool { return logs.reasons()["handshake timeout"] == 20 })
	if _, err := Exchange(c, []byte("still served")); err != nil {
		t.Fatal(err)
	}
}

func TestGarbageClientsClosedAtOnce(t *testing.T) {
	p := newPKI(t, "Test CA")
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"plain HTTP", []byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), "handshake error: tls: first record does not look like a TLS handshake"},
		{"random bytes", bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 64), "handshake error: tls: first record does not look like a TLS handshake"},
		{"record claiming 64 KiB", []byte{0x16, 0x03, 0x01, 0xff, 0xff}, "handshake error: tls: oversized record received with length 65535"},
		{"ClientHello claiming 16 MiB", []byte{0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0xff, 0xff, 0xff}, "handshake error: tls: handshake message of length 16777215 bytes exceeds maximum of 65536 bytes"},
		{"TLS alert instead of hello", []byte{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28}, "handshake error: remote error: tls: handshake failure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs logCapture
			// A handshake timeout far beyond waitClosed's bound: only the
			// server's verdict on the bytes can close the connection in time.
			_, addr := startServer(t, p, Config{HandshakeTimeout: time.Hour, Logger: logs.logger()})
			c := rawTCP(t, addr)
			if _, err := c.Write(tt.data); err != nil {
				t.Fatal(err)
			}
			waitClosed(t, c)
			waitFor(t, "the close reason logged", func() bool { return logs.reasons()[tt.reason] == 1 })
		})
	}
}

func TestIdleClientsAreDropped(t *testing.T) {
	p := newPKI(t, "Test CA")
	var logs logCapture
	_, addr := startServer(t, p, Config{IdleTimeout: time.Second, Logger: logs.logger()})

	silent := mustDial(t, p, addr, nil)
	if _, err := Exchange(silent, []byte("then silence")); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, silent)
	waitFor(t, "an idle timeout logged", func() bool { return logs.reasons()["idle timeout"] == 1 })

	// A client that sends but never reads fills the server's send buffer.
	deaf := mustDial(t, p, addr, nil)
	go io.Copy(deaf, zeroReader{})
	waitFor(t, "a write timeout logged", func() bool { return logs.reasons()["idle timeout: client not reading"] == 1 })
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) { clear(b); return len(b), nil }

func TestMaxConnsMakesNewClientsWait(t *testing.T) {
	p := newPKI(t, "Test CA")
	srv, addr := startServer(t, p, Config{MaxConns: 2})
	first := mustDial(t, p, addr, nil)
	second := mustDial(t, p, addr, nil)
	// A TLS 1.3 client is done before the server has read its Finished.
	waitFor(t, "two established connections", func() bool { return len(srv.slots) == 2 })
	thirdDone := make(chan error, 1)
	go func() {
		c, err := dial(t, p, addr, func(cfg *ClientConfig) { cfg.Timeout = 20 * time.Second })
		if err == nil {
			_, err = Exchange(c, []byte("my turn"))
			c.Close()
		}
		thirdDone <- err
	}()
	// Waiting cannot prove a negative; this only catches a server that
	// serves the third client while two slots are taken.
	select {
	case err := <-thirdDone:
		t.Fatalf("third client served over the limit (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if n := len(srv.slots); n != 2 {
		t.Fatalf("%d established connections, want 2", n)
	}
	if _, err := Exchange(second, []byte("still fine")); err != nil {
		t.Fatal(err)
	}
	first.Close()
	if err := <-thirdDone; err != nil {
		t.Fatalf("third client after a slot freed: %v", err)
	}
}

// TestChurnLeavesNoLeaks opens and drops 600 connections in every way a
// client can misbehave, then checks that goroutines and file descriptors
// return to where they started.
func TestChurnLeavesNoLeaks(t *testing.T) {
	p := newPKI(t, "Test CA")
	warmUp(t)
	fds := openFDs(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	srv, addr := newTestServer(t, p, Config{HandshakeTimeout: 500 * time.Millisecond, MaxConns: 64})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, srv.listener(t)) }()

	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range 600 {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			churnOne(t, p, *addr, i%6)
		})
	}
	wg.Wait()
	waitFor(t, "all connections to end", func() bool { return srv.OpenConns() == 0 })
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if got := openFDs(t); got != fds {
		t.Errorf("%d open file descriptors after churn, want %d", got, fds)
	}
}

// churnOne is one misbehaving (or well-behaved) client.
func churnOne(t testing.TB, p *pki, addr string, kind int) {
	switch kind {
	case 0: // well-behaved
		c, err := dial(t, p, addr, nil)
		if err == nil {
			Exchange(c, []byte("hi"))
			c.Close()
		}
	case 1: // connects and leaves
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
		}
	case 2: // half a ClientHello, then gone
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Write([]byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03})
			c.Close()
		}
	case 3: // garbage
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Write([]byte("\x00\x01garbage\r\n"))
			io.Copy(io.Discard, c)
			c.Close()
		}
	case 4: // vanishes mid-transfer with a reset
		vanish(t, p, addr)
	case 5: // silent until the handshake timeout
		if c, err := net.Dial("tcp", addr); err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}
}

// vanish sends half a megabyte and resets the connection without reading.
func vanish(t testing.TB, p *pki, addr string) {
	c, err := dial(t, p, addr, nil)
	if err != nil {
		return
	}
	c.SetWriteDeadline(time.Now().Add(time.Second))
	c.Write(make([]byte, 512<<10))
	c.NetConn().(*net.TCPConn).SetLinger(0)
	c.NetConn().Close()
}

// warmUp makes the runtime create what it keeps for the whole process (the
// network poller's descriptors), so that it does not count as a leak.
func warmUp(t testing.TB) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", l.Addr().String())
	if err == nil {
		c.Close()
	}
	l.Close()
}

func openFDs(t testing.TB) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

func TestShutdownLetsStreamsFinishThenClosesTheRest(t *testing.T) {
	p := newPKI(t, "Test CA")
	var logs logCapture
	srv, addr := newTestServer(t, p, Config{Logger: logs.logger()})
	l := srv.listener(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(context.Background(), l) }()

	idle := mustDial(t, p, *addr, nil)
	streaming := mustDial(t, p, *addr, nil)
	if _, err := Exchange(streaming, []byte("started")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	shutdown := make(chan error, 1)
	go func() { shutdown <- srv.Shutdown(ctx) }()
	waitFor(t, "the listener to close", func() bool {
		c, err := net.Dial("tcp", *addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	if err := stream(t, streaming, 1<<20, 3); err != nil {
		t.Fatalf("stream during shutdown: %v", err)
	}
	if err := <-shutdown; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want DeadlineExceeded (the idle client stayed)", err)
	}
	waitClosed(t, idle)
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if r := logs.reasons(); r["shutdown"] != 1 || r["eof"] != 1 {
		t.Fatalf("close reasons %v, want one shutdown and one eof", r)
	}
}
