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

// warnInterval spaces out the warnings a flood would repeat.
const warnInterval = 10 * time.Second

// acceptLoop accepts until shutdown, MaxAccept, or a permanent listener error.
// A handshake slot is taken before Accept, and the loop waits while
// MaxConns connections are established, so at either limit new clients
// wait in the kernel's backlog instead of costing memory here.
func (s *Server) acceptLoop(l net.Listener) error {
	defer s.removeListener(l)
	var backoff time.Duration
	for accepted := 0; s.cfg.MaxAccept <= 0 || accepted < s.cfg.MaxAccept; {
		if !s.awaitRoom() {
			return nil
		}
		rc, err := l.Accept()
		if err != nil {
			s.releaseHandshake()
			if s.isQuitting() {
				return nil
			}
			if backoff, err = s.backOff(err, backoff); err != nil {
				return err
			}
			continue
		}
		backoff = 0
		if !s.admit(rc) {
			continue
		}
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

// awaitRoom takes a handshake slot, then waits until an established slot
// is free without taking it (the connection takes one when its handshake
// ends). It reports false when shutdown begins first.
func (s *Server) awaitRoom() bool {
	if !s.acquire(s.hands, "handshake limit reached: new clients wait", "max_handshakes", s.cfg.MaxHandshakes) {
		return false
	}
	if !s.acquire(s.slots, "connection limit reached: new clients wait", "max_conns", s.cfg.MaxConns) {
		s.releaseHandshake()
		return false
	}
	s.releaseSlot()
	return true
}

// acquire takes a slot from slots, waiting (with a throttled warning)
// while all are taken; it reports false when shutdown begins first.
func (s *Server) acquire(slots chan struct{}, warning, key string, limit int) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
	}
	if ok, n := s.busyWarn.allow(); ok {
		s.log.Warn(warning, key, limit, "times", n)
	}
	select {
	case slots <- struct{}{}:
		return true
	case <-s.quit:
		return false
	}
}

func (s *Server) releaseSlot()      { <-s.slots }
func (s *Server) releaseHandshake() { <-s.hands }

// admit counts rc against its source's limits, or closes it with a reset
// (no TIME_WAIT socket left here) when the source is over one of them.
func (s *Server) admit(rc net.Conn) bool {
	if s.srcs.admit(sourceOf(rc.RemoteAddr())) {
		return true
	}
	if tc, ok := rc.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	rc.Close()
	s.releaseHandshake()
	if ok, n := s.sourceWarn.allow(); ok {
		s.log.Warn("source over its limit: closing its new connections", "source", sourceOf(rc.RemoteAddr()).String(),
			"max_handshakes_per_source", s.cfg.MaxHandshakesPerSource, "max_conns_per_source", s.cfg.MaxConnsPerSource,
			"refused", n)
	}
	return false
}

func (s *Server) isQuitting() bool {
	select {
	case <-s.quit:
		return true
	default:
		return false
	}
}
