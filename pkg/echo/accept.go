package echo

import (
	"errors"
	"net"
	"time"
)

// Accept errors (out of file descriptors, mostly) back off between these
// bounds so that a persistent error never turns the loop into a busy spin.
const (
	minAcceptBackoff = 5 * time.Millisecond
	maxAcceptBackoff = time.Second
)

// acceptLoop accepts until shutdown, MaxAccept, or a permanent listener error.
// A slot is taken before Accept, so at MaxConns the loop pauses and new
// clients wait in the kernel's backlog instead of costing memory here.
func (s *Server) acceptLoop(l net.Listener) error {
	defer s.removeListener(l)
	var backoff time.Duration
	for accepted := 0; s.cfg.MaxAccept <= 0 || accepted < s.cfg.MaxAccept; {
		if !s.acquireSlot() {
			return nil
		}
		rc, err := l.Accept()
		if err != nil {
			s.releaseSlot()
			if s.isQuitting() {
				return nil
			}
			if backoff, err = s.backOff(err, backoff); err != nil {
				return err
			}
			continue
		}
		backoff = 0
		if !s.startConn(rc) {
			return nil
		}
		accepted++
	}
	return nil
}

// backOff sleeps after a temporary accept error and returns the next
// backoff, or returns err itself when the listener is unusable.
func (s *Server) backOff(err error, backoff time.Duration) (time.Duration, error) {
	var ne net.Error
	if errors.Is(err, net.ErrClosed) || !errors.As(err, &ne) {
		return 0, err
	}
	backoff = min(max(2*backoff, minAcceptBackoff), maxAcceptBackoff)
	s.log.Error("accept failed", "err", err, "retry_in", backoff)
	select {
	case <-time.After(backoff):
	case <-s.quit:
	}
	return backoff, nil
}

// acquireSlot takes a connection slot, waiting while MaxConns are open; it
// reports false when shutdown begins first.
func (s *Server) acquireSlot() bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
	}
	s.log.Warn("connection limit reached: waiting for a connection to end", "max_conns", s.cfg.MaxConns)
	select {
	case s.slots <- struct{}{}:
		return true
	case <-s.quit:
		return false
	}
}

func (s *Server) releaseSlot() { <-s.slots }

func (s *Server) isQuitting() bool {
	select {
	case <-s.quit:
		return true
	default:
		return false
	}
}
