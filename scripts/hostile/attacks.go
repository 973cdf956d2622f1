package main

import (
	"context"
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// scenario is one attack from its own source address.
type scenario struct {
	name, what string
	source     string
	attack     func(context.Context, *attack)
}

func scenarios(n int) []scenario {
	return []scenario{
		{"none", "no attack", "", nil},
		{"silent", fmtWhat("%d silent TCP sockets, reopened as they close", n), "127.0.0.3",
			func(ctx context.Context, a *attack) { a.hold(ctx, n, minCycle, a.silent) }},
		{"flood", fmtWhat("up to 1000 new silent sockets/s, %d open at most", 4*n), "127.0.0.4",
			func(ctx context.Context, a *attack) { a.flood(ctx, 4*n, time.Millisecond) }},
		{"slowloris", fmtWhat("%d TLS connections sending 1 byte/s", n), "127.0.0.5",
			func(ctx context.Context, a *attack) { a.hold(ctx, n, minCycle, a.trickle) }},
		{"nonreading", fmtWhat("%d TLS connections writing, never reading", n), "127.0.0.6",
			func(ctx context.Context, a *attack) { a.hold(ctx, n, minCycle, a.deaf) }},
		{"churn", "16 workers: connect, half a hello or a reset, close", "127.0.0.7",
			func(ctx context.Context, a *attack) { a.hold(ctx, 16, 0, a.churn) }},
	}
}

// attack dials from one source address and tracks its sockets so that
// stop can close them all.
type attack struct {
	addr   string
	cfg    *tls.Config
	dialer net.Dialer
	opened atomic.Int64
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
}

func newAttack(addr string, cfg *tls.Config, source string) *attack {
	a := &attack{addr: addr, cfg: cfg, conns: map[net.Conn]struct{}{}}
	a.dialer.Timeout = 5 * time.Second
	if source != "" {
		a.dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(source)}
	}
	return a
}

// minCycle bounds how often one holding worker reconnects when the server
// turns it away at once: n workers make at most n/0.3 connections a second.
const minCycle = 300 * time.Millisecond

// hold keeps n workers running f, each starting again when f returns, at
// most once per cycle.
func (a *attack) hold(ctx context.Context, n int, cycle time.Duration, f func(context.Context)) {
	for range n {
		a.wg.Go(func() {
			for ctx.Err() == nil {
				start := time.Now()
				f(ctx)
				sleepCtx(ctx, cycle-time.Since(start))
			}
		})
	}
}

// flood opens a silent socket every interval, keeping at most max open.
func (a *attack) flood(ctx context.Context, max int, interval time.Duration) {
	sem := make(chan struct{}, max)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		select {
		case sem <- struct{}{}:
		default:
			continue
		}
		a.wg.Go(func() { a.silent(ctx); <-sem })
	}
}

func (a *attack) stop() {
	a.mu.Lock()
	for c := range a.conns {
		c.Close()
	}
	a.mu.Unlock()
	a.wg.Wait()
}

// dial opens a tracked TCP connection, or returns nil.
func (a *attack) dial(ctx context.Context) net.Conn {
	c, err := a.dialer.DialContext(ctx, "tcp", a.addr)
	if err != nil {
		sleepCtx(ctx, 50*time.Millisecond) // out of ports or refused: do not spin
		return nil
	}
	a.opened.Add(1)
	a.mu.Lock()
	defer a.mu.Unlock()
	if ctx.Err() != nil {
		c.Close()
		return nil
	}
	a.conns[c] = struct{}{}
	return c
}

func (a *attack) drop(c net.Conn) {
	a.mu.Lock()
	delete(a.conns, c)
	a.mu.Unlock()
	c.Close()
}

// silent connects and sends nothing until the server closes the socket.
func (a *attack) silent(ctx context.Context) {
	c := a.dial(ctx)
	if c == nil {
		return
	}
	defer a.drop(c)
	var b [1]byte
	c.Read(b[:])
}

// handshake dials and completes a TLS handshake.
func (a *attack) handshake(ctx context.Context) (net.Conn, *tls.Conn) {
	c := a.dial(ctx)
	if c == nil {
		return nil, nil
	}
	tc := tls.Client(c, a.cfg)
	hctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if tc.HandshakeContext(hctx) != nil {
		a.drop(c)
		return nil, nil
	}
	return c, tc
}

// trickle sends one byte a second over TLS and never reads the echo.
func (a *attack) trickle(ctx context.Context) {
	c, tc := a.handshake(ctx)
	if c == nil {
		return
	}
	defer a.drop(c)
	for ctx.Err() == nil {
		if _, err := tc.Write([]byte{'.'}); err != nil {
			return
		}
		sleepCtx(ctx, time.Second)
	}
}

// deaf writes as fast as the server accepts and never reads.
func (a *attack) deaf(ctx context.Context) {
	c, tc := a.handshake(ctx)
	if c == nil {
		return
	}
	defer a.drop(c)
	buf := make([]byte, 16<<10)
	for ctx.Err() == nil {
		if _, err := tc.Write(buf); err != nil {
			return
		}
	}
}

// churn alternates between three short-lived misbehaviours.
func (a *attack) churn(ctx context.Context) {
	switch a.opened.Load() % 3 {
	case 0: // half a ClientHello, then a reset
		if c := a.dial(ctx); c != nil {
			c.Write([]byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03})
			reset(c)
			a.drop(c)
		}
	case 1: // connect and reset at once
		if c := a.dial(ctx); c != nil {
			reset(c)
			a.drop(c)
		}
	default: // a full handshake, then a reset
		if c, _ := a.handshake(ctx); c != nil {
			reset(c)
			a.drop(c)
		}
	}
}

// reset makes Close send a TCP reset, which leaves no TIME_WAIT socket
// holding one of the source address's ports.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
