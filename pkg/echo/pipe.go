package echo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultDrain bounds how long Pipe keeps reading its input, after the
// server closed early, to count what was not sent.
const DefaultDrain = 2 * time.Second

// Transfer counts what Pipe moved.
type Transfer struct {
	Sent     int64 // input bytes the connection accepted
	Received int64 // bytes from the server written out
	Unsent   int64 // input bytes not sent: read but refused, or counted while draining
	Counted  bool  // Unsent is exact: the input was read to its end
}

// The states of a pipe's input, changed only by compare-and-swap so that
// the end of the input and the end of the server cannot both win.
const (
	inputOpen int32 = iota
	inputSent       // all of the input was sent and the write side closed
	inputCut        // the server ended first; the rest is only counted
)

// sender copies the input to the connection on its own goroutine.
type sender struct {
	conn   *Conn
	in     io.Reader
	state  atomic.Int32
	sent   atomic.Int64
	unsent atomic.Int64
	done   chan struct{}
	inErr  error // valid once done is closed
	mu     sync.Mutex
	outErr error // the write to the server that failed
}

func (s *sender) run() {
	defer close(s.done)
	buf := make([]byte, 32<<10)
	for {
		n, err := s.in.Read(buf)
		s.send(buf[:n])
		switch {
		case errors.Is(err, io.EOF):
			if s.state.CompareAndSwap(inputOpen, inputSent) {
				s.setOutErr(s.conn.CloseWrite())
			}
			return
		case err != nil:
			s.inErr = err
			s.state.CompareAndSwap(inputOpen, inputCut)
			s.conn.SetReadDeadline(time.Now()) // wake the reader
			return
		}
	}
}

func (s *sender) send(b []byte) {
	if len(b) == 0 {
		return
	}
	if s.state.Load() == inputCut {
		s.unsent.Add(int64(len(b)))
		return
	}
	// Counted before the write returns: the echo of b can reach the reader,
	// and Pipe report, before this goroutine runs again.
	s.sent.Add(int64(len(b)))
	n, err := s.conn.Write(b)
	if err != nil {
		s.sent.Add(-int64(len(b) - n))
		s.unsent.Add(int64(len(b) - n))
		s.setOutErr(err)
		s.state.CompareAndSwap(inputOpen, inputCut)
		// The server is gone; its last words (an alert, say) are either
		// read by now or never will be.
		s.conn.SetReadDeadline(time.Now().Add(time.Second))
	}
}

func (s *sender) setOutErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outErr == nil {
		s.outErr = err
	}
}

func (s *sender) writeErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outErr
}

// Pipe copies in to conn and conn to out. At the end of in it half-closes
// conn (close_notify) and keeps reading until the server is done; the echo
// server closes only after echoing everything. Pipe returns when the server
// has closed: with nil when all of in was sent first, and otherwise with an
// error wrapping ErrCutShort that says how much of in was not sent. To
// count that, it keeps reading in for up to drain (0: not at all; a Read
// on in may still be pending when Pipe returns). An alert from the server
// wraps ErrHandshake.
func Pipe(conn *Conn, in io.Reader, out io.Writer, drain time.Duration) (Transfer, error) {
	s := &sender{conn: conn, in: in, done: make(chan struct{})}
	go s.run()
	received, readErr, writeErr := copyCounting(out, conn)
	t := Transfer{Received: received}
	cut := s.state.CompareAndSwap(inputOpen, inputCut) || s.state.Load() == inputCut
	switch {
	case writeErr != nil:
		return s.transfer(t), fmt.Errorf("writing the output: %w", writeErr)
	case isAlert(readErr):
		return s.transfer(t), rejected(conn, readErr)
	case !cut && readErr == nil && !s.refused(received):
		return s.transfer(t), nil
	case !cut && readErr != nil && received >= s.sent.Load():
		return s.transfer(t), fmt.Errorf("reading from server: %w", readErr)
	}
	done := s.wait(drain)
	if done && s.inErr != nil {
		return s.transfer(t), fmt.Errorf("reading the input: %w", s.inErr)
	}
	t.Counted = done
	t = s.transfer(t)
	if done && t.Unsent == 0 && readErr == nil && received >= t.Sent {
		// The input ended just after the server closed, all of it sent,
		// and the server answered at least as much: a request, an answer,
		// then a close, not an echo cut short.
		return t, nil
	}
	return t, cutShort(t, readErr, s.writeErr())
}

// refused reports, once all of the input was sent and the server has
// closed, whether the server dropped some of it: less came back than was
// sent, and the close_notify that ended the input failed to go out or the
// server reset the connection (its kernel does so for bytes that it had
// not read when it closed, or that came after). A reset alone is not
// enough: a request-response server (HTTP/1.0, say) that answers and
// closes without reading the client's close_notify resets too, after it
// has sent more than it received.
func (s *sender) refused(received int64) bool {
	<-s.done // it has only the close_notify left to write
	if received >= s.sent.Load() {
		return false
	}
	return s.writeErr() != nil || resetAfterClose(s.conn.NetConn(), s.conn.rtt)
}

// wait lets the sender count the rest of the input for up to d, and
// reports whether it is done.
func (s *sender) wait(d time.Duration) bool {
	select {
	case <-s.done:
		return true
	default:
	}
	if d <= 0 {
		return false
	}
	select {
	case <-s.done:
		return true
	case <-time.After(d):
		return false
	}
}

func (s *sender) transfer(t Transfer) Transfer {
	t.Sent, t.Unsent = s.sent.Load(), s.unsent.Load()
	return t
}

// cutShort describes a server that ended before the input did.
func cutShort(t Transfer, readErr, writeErr error) error {
	var left string
	switch {
	case t.Counted && t.Unsent > 0:
		left = fmt.Sprintf("%d bytes of input were not sent", t.Unsent)
	case t.Counted:
		left = "all of the input was written, but the server closed before reading it all"
	case t.Unsent > 0:
		left = fmt.Sprintf("at least %d bytes of input were not sent", t.Unsent)
	default:
		left = "the rest of the input was not sent"
	}
	err := fmt.Errorf("%w: %s (%d sent, %d received)", ErrCutShort, left, t.Sent, t.Received)
	for _, cause := range []error{readErr, writeErr} {
		if cause != nil && !errors.Is(cause, io.EOF) && !isTimeout(cause) {
			return fmt.Errorf("%w: %w", err, unwrapOp(cause))
		}
	}
	return err
}

// copyCounting copies src to dst until src ends, telling a read error (nil
// at EOF) from a write error.
func copyCounting(dst io.Writer, src io.Reader) (n int64, readErr, writeErr error) {
	buf := make([]byte, 32<<10)
	for {
		m, err := src.Read(buf)
		if m > 0 {
			w, werr := dst.Write(buf[:m])
			n += int64(w)
			if werr != nil {
				return n, nil, werr
			}
		}
		if errors.Is(err, io.EOF) {
			return n, nil, nil
		}
		if err != nil {
			return n, err, nil
		}
	}
}

// Exchange sends msg, reads back len(msg) bytes and returns them; the error
// wraps ErrEchoDiffers when they differ, the server closed early or the
// conn's deadline passed first, ErrCutShort when the server closed before
// msg was sent, and ErrHandshake when the server rejected the session with
// an alert.
func Exchange(conn net.Conn, msg []byte) ([]byte, error) {
	if _, err := conn.Write(msg); err != nil {
		return nil, whyWriteFailed(conn, err)
	}
	got := make([]byte, len(msg))
	n, err := io.ReadFull(conn, got)
	got = got[:n]
	switch {
	case isTimeout(err):
		return got, fmt.Errorf("%w: received %d of %d bytes before the deadline", ErrEchoDiffers, n, len(msg))
	case isAlert(err):
		return got, rejected(conn, err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return got, fmt.Errorf("%w: the server closed after %d of %d bytes", ErrEchoDiffers, n, len(msg))
	case err != nil:
		return got, fmt.Errorf("reading from server: %w", err)
	case !bytes.Equal(got, msg):
		return got, fmt.Errorf("%w: sent %q, received %q", ErrEchoDiffers, msg, got)
	}
	return got, nil
}

// whyWriteFailed reads what the server said before it closed: a write
// fails with "broken pipe" when the server has refused the session with an
// alert (a TLS 1.3 client certificate, for one) and closed.
func whyWriteFailed(conn net.Conn, werr error) error {
	conn.SetReadDeadline(time.Now().Add(time.Second))
	_, err := conn.Read(make([]byte, 1))
	if isAlert(err) {
		return rejected(conn, err)
	}
	return fmt.Errorf("%w: the message was not sent: %w", ErrCutShort, unwrapOp(werr))
}

// rejected wraps an alert received after the handshake as a handshake
// failure, saying what became of the client certificate.
func rejected(conn net.Conn, err error) error {
	if c, ok := conn.(*Conn); ok {
		err = c.auth.explain(err)
	}
	return fmt.Errorf("%w: %w", ErrHandshake, err)
}
