package echo

import (
	"encoding/binary"
	"net"
	"sync"
	"syscall"
)

// wouldBlock is what a non-blocking read returns when the socket is empty.
// It claims to be a temporary timeout so that crypto/tls keeps the
// connection usable, as it does after a read deadline.
type wouldBlock struct{}

func (wouldBlock) Error() string   { return "no data ready" }
func (wouldBlock) Timeout() bool   { return true }
func (wouldBlock) Temporary() bool { return true }

// corkSize holds the records of one full chunk with their overhead.
const corkSize = chunkSize + chunkSize/512

var corks = sync.Pool{New: func() any { b := make([]byte, 0, corkSize); return &b }}

// rawConn is the TCP connection under crypto/tls. While the echo loop
// drains a burst, its reads do not wait; while it writes a chunk, the
// records collect in a pooled buffer and leave in one system call instead
// of one per record.
type rawConn struct {
	net.Conn
	sc     syscall.RawConn // nil when the connection has no descriptor
	noWait bool            // reads return what is ready, or wouldBlock
	socket bool            // with noWait: read the socket too, not only report wouldBlock
	cork   *[]byte
	rec    recordFraming // followed from the first byte
	framed bool          // reads stop at record boundaries (after the handshake)
}

// recordHeaderLen is the size of a TLS record header.
const recordHeaderLen = 5

// recordFraming follows the TLS record boundaries in what the socket has
// delivered, so that a read never goes past the next record's header.
// crypto/tls reads into a bytes.Buffer that it grows by doubling whenever
// the rest of a record does not fit behind bytes read ahead; reading up to
// record boundaries keeps that buffer at one record for good, where
// otherwise a client that sends faster than it reads grows it to two or
// three. The cost is one read per record in bulk transfers. During the
// handshake reads are not limited: a client's first records then arrive
// together, and a server that rejects its certificate has read them all
// when it closes, so the client gets the alert rather than a reset.
type recordFraming struct {
	hdr  [recordHeaderLen]byte
	hdrN int // bytes of hdr seen
	body int // bytes of the current record's body still to come
}

// limit caps a read of n bytes at the end of the header or of the body.
func (r *recordFraming) limit(n int) int {
	if r.body > 0 {
		return min(n, r.body)
	}
	return min(n, recordHeaderLen-r.hdrN)
}

// feed follows the boundaries through b, the bytes just read.
func (r *recordFraming) feed(b []byte) {
	for len(b) > 0 {
		if r.body > 0 {
			k := min(r.body, len(b))
			r.body -= k
			b = b[k:]
			continue
		}
		k := copy(r.hdr[r.hdrN:], b)
		r.hdrN += k
		b = b[k:]
		if r.hdrN == recordHeaderLen {
			r.body = int(binary.BigEndian.Uint16(r.hdr[3:]))
			r.hdrN = 0
		}
	}
}

func newRawConn(c net.Conn) *rawConn {
	rc := &rawConn{Conn: c}
	if s, ok := c.(syscall.Conn); ok {
		rc.sc, _ = s.SyscallConn()
	}
	return rc
}

func (c *rawConn) Read(p []byte) (int, error) {
	if c.framed {
		p = p[:c.rec.limit(len(p))]
	}
	n, err := c.read(p)
	c.rec.feed(p[:n])
	return n, err
}

func (c *rawConn) read(p []byte) (int, error) {
	if c.noWait && !c.socket {
		return 0, wouldBlock{}
	}
	if c.noWait {
		return readNow(c.sc, p)
	}
	return c.Conn.Read(p)
}

func (c *rawConn) Write(p []byte) (int, error) {
	if c.cork == nil {
		return c.Conn.Write(p)
	}
	*c.cork = append(*c.cork, p...)
	return len(p), nil
}

// SyscallConn lets awaitReadable wait on the descriptor.
func (c *rawConn) SyscallConn() (syscall.RawConn, error) {
	if c.sc == nil {
		return nil, syscall.EINVAL
	}
	return c.sc, nil
}

// roomForChunk reports whether a full chunk's records would go into the
// send queue without waiting. The margin covers the kernel's per-buffer
// overhead, which it counts against the queue too. Where the queue cannot
// be read, it reports true.
func (c *rawConn) roomForChunk() bool {
	room, ok := sendRoom(c.sc)
	return !ok || room >= 2*corkSize
}

// corked runs write with the records it produces collected, then sends
// them at once.
func (c *rawConn) corked(write func() error) error {
	bp := lend(&corks)
	c.cork = bp
	err := write()
	c.cork = nil
	if err == nil && len(*bp) > 0 {
		_, err = c.Conn.Write(*bp)
	}
	*bp = (*bp)[:0]
	giveBack(&corks, bp)
	return err
}
