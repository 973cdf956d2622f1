package echo

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Loopback addresses standing for different clients; Linux answers on all
// of 127.0.0.0/8.
const (
	realSource   = "127.0.0.2"
	attackSource = "127.0.0.3"
)

// dialFrom connects from source and completes a handshake.
func dialFrom(p *pki, addr, source string, timeout time.Duration) (*tls.Conn, error) {
	d := &net.Dialer{Timeout: timeout, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	c, err := tls.DialWithDialer(d, "tcp", addr, &tls.Config{RootCAs: p.pool, ServerName: "localhost"})
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(timeout))
	return c, nil
}

// realClientsServed runs n clients from realSource at once and returns
// the first error; each has a generous deadline for its whole exchange.
func realClientsServed(p *pki, addr string, n int) error {
	errs := make(chan error, n)
	for range n {
		go func() {
			c, err := dialFrom(p, addr, realSource, 20*time.Second)
			if err == nil {
				_, err = Exchange(c, []byte("real client"))
				c.Close()
			}
			errs <- err
		}()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// holdSilent opens n TCP connections from source that never send a byte
// (a server that refuses some may reset them even before Dial returns).
func holdSilent(t *testing.T, addr, source string, n int) {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	for range n {
		if c, err := d.Dial("tcp", addr); err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}
}

func TestSilentSourceCannotStarveOthers(t *testing.T) {
	p := newPKI(t, "Test CA")
	// The handshake timeout outlasts the test: only the limits can help.
	_, addr := startServer(t, p, Config{MaxConns: 50, HandshakeTimeout: time.Hour})
	holdSilent(t, addr, attackSource, 200)
	if err := realClientsServed(p, addr, 5); err != nil {
		t.Fatalf("real clients from %s while %s held 200 silent sockets: %v", realSource, attackSource, err)
	}
}

func TestOneSourceCannotHoldEveryConnection(t *testing.T) {
	p := newPKI(t, "Test CA")
	var logs logCapture
	_, addr := startServer(t, p, Config{MaxConns: 20, MaxConnsPerSource: 10, Logger: logs.logger()})
	held := 0
	for range 30 {
		c, err := dialFrom(p, addr, attackSource, 10*time.Second)
		if err == nil {
			_, err = Exchange(c, []byte("mine"))
		}
		if err == nil {
			held++
			t.Cleanup(func() { c.Close() })
		}
	}
	if held != 10 {
		t.Fatalf("%s holds %d connections, want its limit of 10", attackSource, held)
	}
	if err := realClientsServed(p, addr, 5); err != nil {
		t.Fatalf("real clients while %s held its limit: %v", attackSource, err)
	}
	if len(logs.records("source over its limit: closing its new connections")) == 0 {
		t.Fatal("refusals not logged")
	}
}

func TestHandshakesHaveTheirOwnBudget(t *testing.T) {
	p := newPKI(t, "Test CA")
	srv, addr := startServer(t, p, Config{MaxConns: 2, MaxHandshakes: 3, HandshakeTimeout: time.Hour})
	holdSilent(t, addr, attackSource, 2)
	// Two silent handshakes leave one handshake slot and both
	// established slots for real clients, one at a time.
	for range 2 {
		c, err := dialFrom(p, addr, realSource, 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if _, err := Exchange(c, []byte("established")); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.slots); n != 2 {
		t.Fatalf("%d established connections, want 2", n)
	}
}

func TestSourceLimits(t *testing.T) {
	v4 := func(s string) netip.Addr { return sourceOf(&net.TCPAddr{IP: net.ParseIP(s)}) }
	tests := []struct {
		name                    string
		maxHandshakes, maxConns int
		opens                   []string // sources, in order
		handshakesDone          int      // of the first opens, finished handshaking
		want                    []bool
	}{
		{"handshakes per source", 2, 0, []string{"10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2"}, 0, []bool{true, true, false, true}},
		{"finished handshakes free the slot", 2, 0, []string{"10.0.0.1", "10.0.0.1", "10.0.0.1"}, 1, []bool{true, true, true}},
		{"connections per source", 0, 2, []string{"10.0.0.1", "10.0.0.1", "10.0.0.1"}, 2, []bool{true, true, false}},
		{"IPv6 counted per /64", 1, 0, []string{"2001:db8::1", "2001:db8::2", "2001:db8:0:1::1"}, 0, []bool{true, false, true}},
		{"IPv4-mapped is IPv4", 1, 0, []string{"::ffff:10.0.0.1", "10.0.0.1"}, 0, []bool{true, false}},
		{"no limits", -1, -1, []string{"10.0.0.1", "10.0.0.1", "10.0.0.1"}, 0, []bool{true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSources(tt.maxHandshakes, tt.maxConns)
			for i, src := range tt.opens {
				if i > 0 && i <= tt.handshakesDone {
					s.handshakeDone(v4(tt.opens[i-1]))
				}
				if got := s.admit(v4(src)); got != tt.want[i] {
					t.Fatalf("open %d from %s admitted %v, want %v", i, src, got, tt.want[i])
				}
			}
		})
	}
}

// deafClient handshakes, then writes until the server stops reading, and
// never reads. It returns once a write has stalled for 200 ms. A small
// receive buffer makes the server queue its records in small segments, so
// that its send queue is full to the last byte when its write times out.
func deafClient(t *testing.T, p *pki, addr string) *tls.Conn {
	t.Helper()
	d := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(attackSource)},
		Control: func(_, _ string, rc syscall.RawConn) error {
			return rc.Control(func(fd uintptr) {
				syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10)
			})
		}}
	c, err := tls.DialWithDialer(d, "tcp", addr, &tls.Config{RootCAs: p.pool, ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	buf := make([]byte, 16<<10)
	for {
		c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
		if _, err := c.Write(buf); err != nil {
			if !isTimeout(err) {
				t.Fatalf("deaf client: %v", err)
			}
			return c
		}
	}
}

// resetBy reports whether the server has reset c by the deadline, probing
// with raw writes (which fail once the reset has arrived).
func resetBy(c *tls.Conn, deadline time.Time) (bool, error) {
	var err error
	for time.Now().Before(deadline) {
		c.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
		if _, err = c.NetConn().Write([]byte{0x17}); err != nil && !isTimeout(err) {
			break
		}
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE), err
}

func TestNonReadingClientsHoldNoChunk(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	for range 10 {
		deafClient(t, p, addr)
	}
	// The server's goroutines are blocked writing by now; a healthy client
	// still gets its echo meanwhile.
	if err := realClientsServed(p, addr, 1); err != nil {
		t.Fatal(err)
	}
	if n := lent.Load(); n != 0 {
		t.Fatalf("%d chunk or cork buffers held while 10 clients do not read, want 0", n)
	}
}

func TestNonReadingClientDroppedAtWriteDeadline(t *testing.T) {
	p := newPKI(t, "Test CA")
	var logs logCapture
	_, addr := startServer(t, p, Config{IdleTimeout: 2 * time.Second, Logger: logs.logger()})
	var deaf []*tls.Conn
	for range 5 {
		deaf = append(deaf, deafClient(t, p, addr))
	}
	// crypto/tls's own close_notify attempt, when the alert does not fit
	// behind the partial record in the send queue (most of these), would
	// keep a socket open 5 s past its 2 s write deadline: 4 s after the
	// last client stalled, the server must have reset every one.
	deadline := time.Now().Add(4 * time.Second)
	for i, c := range deaf {
		if ok, err := resetBy(c, deadline); !ok {
			t.Fatalf("non-reading client %d still connected 4 s after the last one stalled (last write: %v)", i, err)
		}
	}
	waitFor(t, "the drops logged", func() bool { return logs.reasons()["idle timeout: client not reading"] == 5 })
}

// TestSourcesForgottenWhenConnectionsEnd checks the per-source
// accounting: after sockets from several sources are refused, time out
// or finish, no source is left counted.
func TestSourcesForgottenWhenConnectionsEnd(t *testing.T) {
	p := newPKI(t, "Test CA")
	srv, addr := startServer(t, p, Config{HandshakeTimeout: 300 * time.Millisecond, MaxHandshakesPerSource: 3})
	var wg sync.WaitGroup
	var served atomic.Int64
	for i := range 4 {
		source := net.IPv4(127, 0, 0, byte(10+i)).String()
		wg.Go(func() {
			d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
			for range 6 {
				if c, err := d.Dial("tcp", addr); err == nil {
					io.Copy(io.Discard, c)
					c.Close()
				}
			}
			if c, err := dialFrom(p, addr, source, 10*time.Second); err == nil {
				if _, err := Exchange(c, []byte("x")); err == nil {
					served.Add(1)
				}
				c.Close()
			}
		})
	}
	wg.Wait()
	if served.Load() != 4 {
		t.Fatalf("%d of 4 sources served after their silent sockets ended", served.Load())
	}
	waitFor(t, "all connections to end", func() bool { return srv.OpenConns() == 0 })
	srv.srcs.mu.Lock()
	defer srv.srcs.mu.Unlock()
	if n := len(srv.srcs.open); n != 0 {
		t.Fatalf("%d sources still counted with no connection open", n)
	}
}
