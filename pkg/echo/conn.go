package echo

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// chunkSize is the largest echo write: one full TLS record of plaintext.
const chunkSize = 16 << 10

// peekSize is the buffer a connection keeps while waiting for data. It is
// small on purpose: most connections are idle most of the time, and a 16 KiB
// buffer per idle connection would cost more than everything else together.
const peekSize = 256

// chunks lends full-size buffers only while data is flowing.
var chunks = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// longAgo is a deadline in the past: a Read with it returns what crypto/tls
// has already buffered, or a timeout at once.
var longAgo = time.Unix(1, 0)

// conn is one client connection and its accounting.
type conn struct {
	srv     *Server
	tls     *tls.Conn
	start   time.Time
	in, out int64
	forced  atomic.Bool // closed by Shutdown after the grace period
	peek    [peekSize]byte
}

// startConn registers rc and serves it on a new goroutine; it reports false,
// closing rc, if shutdown has begun.
func (s *Server) startConn(rc net.Conn) bool {
	c := &conn{srv: s, tls: tls.Server(rc, s.tls), start: time.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quitting {
		rc.Close()
		s.releaseSlot()
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	go c.run()
	return true
}

func (c *conn) run() {
	s := c.srv
	defer s.wg.Done()
	reason := c.serve()
	c.tls.Close()
	if c.forced.Load() {
		reason = "shutdown"
	}
	s.logEnd(c, reason)
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.releaseSlot()
}

// forceClose ends the connection whatever it is doing.
func (c *conn) forceClose() {
	c.forced.Store(true)
	c.tls.NetConn().Close()
}

// serve runs the handshake then the echo loop, and returns why it ended.
func (c *conn) serve() string {
	if err := c.handshake(); err != nil {
		return handshakeReason(err)
	}
	return c.echo()
}

func (c *conn) handshake() error {
	c.tls.SetDeadline(c.start.Add(c.srv.cfg.HandshakeTimeout))
	if err := c.tls.Handshake(); err != nil {
		return err
	}
	return c.tls.SetDeadline(time.Time{})
}

func handshakeReason(err error) string {
	if isTimeout(err) {
		return "handshake timeout"
	}
	return "handshake error: " + err.Error()
}

// echo writes back everything it reads until the client closes its side,
// stays silent for IdleTimeout, or fails. A client's close_notify or FIN
// comes after its data, so by then all of it has been echoed.
func (c *conn) echo() string {
	for {
		c.tls.SetReadDeadline(time.Now().Add(c.srv.cfg.IdleTimeout))
		n, err := c.tls.Read(c.peek[:])
		c.in += int64(n)
		if n > 0 {
			if werr := c.relay(n); werr != nil {
				return writeReason(werr)
			}
		}
		if err != nil {
			return readReason(err)
		}
	}
}

// relay echoes the n bytes in c.peek; when the peek buffer came back full it
// first gathers whatever else crypto/tls has already decrypted into a pooled
// chunk, so bulk data goes out in full records.
func (c *conn) relay(n int) error {
	if n < len(c.peek) {
		return c.write(c.peek[:n])
	}
	bp := chunks.Get().(*[]byte)
	defer chunks.Put(bp)
	buf := *bp
	k := copy(buf, c.peek[:n])
	k += c.drain(buf[k:])
	return c.write(buf[:k])
}

// drain reads into b only what is already buffered, without waiting on the
// network. A timeout is not sticky in crypto/tls; any other error is, and the
// next blocking Read reports it.
func (c *conn) drain(b []byte) int {
	c.tls.SetReadDeadline(longAgo)
	total := 0
	for total < len(b) {
		n, err := c.tls.Read(b[total:])
		total += n
		if err != nil {
			break
		}
	}
	c.in += int64(total)
	return total
}

// write sends b; a client that accepts nothing for IdleTimeout is dropped.
func (c *conn) write(b []byte) error {
	c.tls.SetWriteDeadline(time.Now().Add(c.srv.cfg.IdleTimeout))
	n, err := c.tls.Write(b)
	c.out += int64(n)
	return err
}

func readReason(err error) string {
	switch {
	case errors.Is(err, io.EOF):
		return "eof"
	case isTimeout(err):
		return "idle timeout"
	}
	return "error: " + err.Error()
}

func writeReason(err error) string {
	if isTimeout(err) {
		return "idle timeout: client not reading"
	}
	return "error: " + err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
