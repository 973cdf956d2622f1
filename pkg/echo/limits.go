package echo

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// source is what one client address has open: handshakes in progress and
// connections in all (handshaking or established).
type source struct {
	handshakes, conns int
}

// sources counts connections per client address, so that one address
// cannot take every handshake or connection slot. IPv6 clients are counted
// per /64, the smallest block a site is usually given.
type sources struct {
	maxHandshakes, maxConns int // <= 0: no limit
	mu                      sync.Mutex
	open                    map[netip.Addr]*source
}

func newSources(maxHandshakes, maxConns int) *sources {
	return &sources{maxHandshakes: maxHandshakes, maxConns: maxConns, open: map[netip.Addr]*source{}}
}

// sourceOf maps a remote address to the key it is counted under; the zero
// Addr (not a TCP address) is counted as one source.
func sourceOf(a net.Addr) netip.Addr {
	ta, ok := a.(*net.TCPAddr)
	if !ok {
		return netip.Addr{}
	}
	ip, _ := netip.AddrFromSlice(ta.IP)
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.Addr()
	}
	return ip
}

// admit counts a new handshake from ip, or reports false when ip already
// has as many handshakes or connections open as it may.
func (s *sources) admit(ip netip.Addr) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	src := s.open[ip]
	if src == nil {
		src = &source{}
		s.open[ip] = src
	}
	if (s.maxHandshakes > 0 && src.handshakes >= s.maxHandshakes) || (s.maxConns > 0 && src.conns >= s.maxConns) {
		return false
	}
	src.handshakes++
	src.conns++
	return true
}

// handshakeDone ends ip's handshake; the connection stays counted.
func (s *sources) handshakeDone(ip netip.Addr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.open[ip].handshakes--
}

// closed stops counting one of ip's connections.
func (s *sources) closed(ip netip.Addr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	src := s.open[ip]
	src.conns--
	if src.conns == 0 {
		delete(s.open, ip)
	}
}

// throttle lets a warning through at most once per interval and counts
// the occurrences it held back, so that a flood cannot flood the log too.
type throttle struct {
	interval time.Duration
	last     atomic.Int64 // unix nanoseconds of the last warning let through
	held     atomic.Int64
}

// allow reports whether to log now and how many occurrences, this one
// included, the line stands for.
func (t *throttle) allow() (bool, int64) {
	now := time.Now().UnixNano()
	last := t.last.Load()
	if now-last < int64(t.interval) || !t.last.CompareAndSwap(last, now) {
		t.held.Add(1)
		return false, 0
	}
	return true, t.held.Swap(0) + 1
}
