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
	"time"
)

// chunkSize is the largest echo write: four full TLS records, which leave
// in one system call.
const chunkSize = 64 << 10

// peekSize is the buffer a connection keeps while waiting for data. It is
// small on purpose: most connections are idle most of the time, and a 16 KiB
// buffer per idle connection would cost more than everything else together.
const peekSize = 256

// chunks lends full-size buffers only while data is flowing.
var chunks = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

// lent counts the chunk and cork buffers out of their pools, so that tests
// can check that a client that stopped reading holds none.
var lent atomic.Int64

func lend(p *sync.Pool) *[]byte { lent.Add(1); return p.Get().(*[]byte) }

func giveBack(p *sync.Pool, b *[]byte) { p.Put(b); lent.Add(-1) }

// conn is one client connection and its accounting.
type conn struct {
	srv         *Server
	tls         *tls.Conn
	raw         *rawConn
	src         netip.Addr // what the connection counts against
	start       time.Time
	in, out     int64
	forced      atomic.Bool // closed by Shutdown after the grace period
	handshaking bool        // holds a handshake slot
	established bool        // holds an established slot
	writeFailed bool        // a write failed: no close_notify can follow it
	busy        bool        // the last burst was bulk: skip the readability wait
	wdl         time.Time   // the write deadline set last
	peek        [peekSize]byte
}

// startConn registers rc, which holds a handshake slot and is counted
// against its source, and serves it on a new goroutine; it reports false,
// closing rc, if shutdown has begun.
func (s *Server) startConn(rc net.Conn) bool {
	raw := newRawConn(rc)
	c := &conn{srv: s, tls: tls.Server(raw, s.tls), raw: raw, src: sourceOf(rc.RemoteAddr()),
		start: time.Now(), handshaking: true}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.quitting {
		rc.Close()
		c.release()
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	go c.run()
	return true
}

// run handshakes, then hands the connection to a fresh goroutine for the
// echo loop: the handshake grows a goroutine's stack to tens of KiB, and
// a connection that then idles for minutes should not keep that stack.
func (c *conn) run() {
	if err := c.handshake(); err != nil {
		c.finish(handshakeReason(err))
		return
	}
	if !c.establish() {
		c.finish("shutdown")
		return
	}
	if c.srv.fixture != nil {
		go func() { c.finish(c.answerOrEcho()) }()
		return
	}
	go func() { c.finish(c.echo()) }()
}

// establish trades the handshake slot for an established one, waiting if
// the accept loop let in more handshakes than there are free slots.
func (c *conn) establish() bool {
	s := c.srv
	if !s.acquire(s.slots, "connection limit reached: new clients wait", "max_conns", s.cfg.MaxConns) {
		return false
	}
	c.established = true
	c.endHandshake()
	c.raw.framed = true
	return true
}

func (c *conn) endHandshake() {
	if c.handshaking {
		c.handshaking = false
		c.srv.srcs.handshakeDone(c.src)
		c.srv.releaseHandshake()
	}
}

// release gives back the connection's slots and its count at its source.
func (c *conn) release() {
	c.endHandshake()
	if c.established {
		c.srv.releaseSlot()
	}
	c.srv.srcs.closed(c.src)
}

// finish closes the connection, logs it and gives back its slots. After a
// failed write the socket is closed without a close_notify: crypto/tls
// would spend up to 5 s trying to send one behind a partial record to a
// client that is not reading.
func (c *conn) finish(reason string) {
	s := c.srv
	defer s.wg.Done()
	if c.writeFailed {
		c.raw.Conn.Close()
	} else {
		c.tls.Close()
	}
	if c.forced.Load() {
		reason = "shutdown"
	}
	s.logEnd(c, reason)
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.release()
}

// forceClose ends the connection whatever it is doing.
func (c *conn) forceClose() {
	c.forced.Store(true)
	c.tls.NetConn().Close()
}

// handshake runs the handshake within HandshakeTimeout of accept. The
// deadlines it sets are left in place: the echo loop sets both again before
// anything can wait, so clearing them would be two wasted timer updates per
// connection.
func (c *conn) handshake() error {
	c.tls.SetDeadline(c.start.Add(c.srv.cfg.HandshakeTimeout))
	return c.tls.Handshake()
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
//
// Between bursts the loop waits for the socket to become readable, not
// inside crypto/tls: that wait holds no buffer and only a shallow stack.
// It is safe because a burst ends only when neither crypto/tls nor the
// socket has anything left to read.
func (c *conn) echo() string {
	n := 0 // bytes waiting in c.peek
	for {
		readErr, writeErr := c.relay(n)
		if writeErr != nil {
			return writeReason(writeErr)
		}
		if readErr != nil {
			return readReason(readErr)
		}
		c.tls.SetReadDeadline(time.Now().Add(c.srv.cfg.IdleTimeout))
		if !c.busy {
			if err := awaitReadable(c.tls.NetConn()); err != nil {
				return readReason(err)
			}
		}
		var err error
		n, err = c.tls.Read(c.peek[:])
		c.in += int64(n)
		if err != nil {
			return c.lastWords(n, err)
		}
	}
}

// lastWords echoes the n bytes read along with err, and says why the
// connection ends.
func (c *conn) lastWords(n int, err error) string {
	if n > 0 {
		if werr := c.write(c.peek[:n]); werr != nil {
			return writeReason(werr)
		}
	}
	return readReason(err)
}

// relay echoes the n bytes in c.peek and then everything else that is
// ready. A small burst (typing, a short message) is gathered in c.peek from
// what crypto/tls holds; bulk data goes through bulk. It returns the read
// error that ended the burst, if it was not just the end of ready data.
func (c *conn) relay(n int) (readErr, writeErr error) {
	c.raw.noWait, c.raw.socket = true, false
	defer func() { c.raw.noWait = false }()
	c.busy = false
	for n < len(c.peek) {
		m, err := c.tls.Read(c.peek[n:])
		n += m
		c.in += int64(m)
		if err != nil {
			if n > 0 {
				writeErr = c.write(c.peek[:n])
			}
			return drainEnd(err), writeErr
		}
	}
	c.busy = true
	if !c.raw.roomForChunk() {
		// The client is not keeping up: echo in small records until it
		// does, so that one that stopped reading waits (and is dropped)
		// holding no chunk.
		return nil, c.write(c.peek[:n])
	}
	return c.bulk()
}

// bulk echoes a full c.peek and everything else that is ready, in crypto/tls
// or in the socket, gathered in a pooled chunk so that it goes out in full
// records and few system calls.
func (c *conn) bulk() (readErr, writeErr error) {
	bp := lend(&chunks)
	defer giveBack(&chunks, bp)
	buf := *bp
	k := copy(buf, c.peek[:])
	c.raw.socket = true
	for {
		m, err := c.tls.Read(buf[k:])
		k += m
		c.in += int64(m)
		if (err != nil && k > 0) || k == len(buf) {
			if werr := c.write(buf[:k]); werr != nil {
				return nil, werr
			}
			k = 0
			if err == nil && !c.raw.roomForChunk() {
				return nil, nil // more is ready: relay goes on in small records
			}
		}
		if err != nil {
			return drainEnd(err), nil
		}
	}
}

// drainEnd tells the end of ready data (wouldBlock, which crypto/tls
// treats as temporary) from a real error.
func drainEnd(err error) error {
	if isTimeout(err) {
		return nil
	}
	return err
}

// write sends b; a client that accepts nothing for IdleTimeout is dropped.
func (c *conn) write(b []byte) error {
	c.extendWriteDeadline()
	send := func() error {
		n, err := c.tls.Write(b)
		c.out += int64(n)
		return err
	}
	var err error
	if len(b) <= len(c.peek) {
		err = send() // one record: nothing to gather
	} else {
		err = c.raw.corked(send)
	}
	c.writeFailed = err != nil
	return err
}

// extendWriteDeadline moves the write deadline to IdleTimeout from now, but
// only once it has aged by a sixteenth of that: resetting a timer for every
// record costs throughput, and the slack is within IdleTimeout's meaning.
func (c *conn) extendWriteDeadline() {
	now := time.Now()
	idle := c.srv.cfg.IdleTimeout
	if c.wdl.Sub(now) < idle-idle/16 {
		c.wdl = now.Add(idle)
		c.tls.SetWriteDeadline(c.wdl)
	}
}

func readReason(err error) string {
	switch {
	case errors.Is(err, io.EOF):
		return "eof"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case isTimeout(err):
		return "idle timeout"
	}
	return "error: " + err.Error()
}

func writeReason(err error) string {
	switch {
	case isTimeout(err):
		return "idle timeout: client not reading"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return "reset"
	}
	return "error: " + err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
