package echo

import (
	"bytes"
	"crypto/tls"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// dribbleConn sends every write one byte per TCP segment.
type dribbleConn struct{ net.Conn }

func (c dribbleConn) Write(b []byte) (int, error) {
	for i := range b {
		if _, err := c.Conn.Write(b[i : i+1]); err != nil {
			return i, err
		}
	}
	return len(b), nil
}

// batchConn, once holding, keeps writes until flush, so several TLS records
// arrive in one segment.
type batchConn struct {
	net.Conn
	mu   sync.Mutex
	hold bool
	buf  bytes.Buffer
}

func (c *batchConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.hold {
		return c.Conn.Write(b)
	}
	return c.buf.Write(b)
}

func (c *batchConn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.Conn.Write(c.buf.Bytes())
	c.buf.Reset()
	return err
}

// TestRecordBoundaries checks the echo loop's bookkeeping of what crypto/tls
// has buffered: a record split over many segments, and many records in one
// segment, are both echoed without waiting for more data.
func TestRecordBoundaries(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	cfg := &tls.Config{RootCAs: p.pool, ServerName: "localhost"}

	t.Run("one byte per segment", func(t *testing.T) {
		raw := rawTCP(t, addr)
		c := tls.Client(dribbleConn{raw}, cfg)
		msg := bytes.Repeat([]byte("dribble "), 100)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if got, err := Exchange(c, msg); err != nil {
			t.Fatalf("echo %d bytes: %v", len(got), err)
		}
	})

	t.Run("many records in one segment", func(t *testing.T) {
		raw := rawTCP(t, addr)
		bc := &batchConn{Conn: raw}
		c := tls.Client(bc, cfg)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if err := c.Handshake(); err != nil {
			t.Fatal(err)
		}
		bc.mu.Lock()
		bc.hold = true
		bc.mu.Unlock()
		var want []byte
		for i := range 40 {
			rec := bytes.Repeat([]byte{'a' + byte(i%26)}, 1+i*37)
			want = append(want, rec...)
			c.Write(rec) // one record each, held back by batchConn
		}
		bc.flush()
		got := make([]byte, len(want))
		if _, err := io.ReadFull(c, got); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("echo of 40 records sent at once: %v", err)
		}
	})
}
