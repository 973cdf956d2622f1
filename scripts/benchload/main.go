// Command benchload drives a TLS echo server for scripts/bench.sh and
// prints what it measured as one line of key=value pairs: full handshakes
// per second and the server's CPU time per handshake, echo throughput, and
// the server's resident memory per idle connection (from /proc/PID).
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tlskit/tlskit/scripts/loadkit"
)

type options struct {
	addr, ca     string
	pid          int
	workers      int
	handshakeDur time.Duration
	streams      int
	streamDur    time.Duration
	idle         int
	settle       time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "", "server address")
	flag.StringVar(&o.ca, "ca", "server.crt", "CA certificate file")
	flag.IntVar(&o.pid, "pid", 0, "server process id, for its RSS")
	flag.IntVar(&o.workers, "workers", 8, "concurrent handshaking clients")
	flag.DurationVar(&o.handshakeDur, "handshake-time", 5*time.Second, "how long to run handshakes")
	flag.IntVar(&o.streams, "streams", 4, "concurrent echo streams")
	flag.DurationVar(&o.streamDur, "stream-time", 5*time.Second, "how long to stream")
	flag.IntVar(&o.idle, "idle", 4000, "idle connections to hold")
	flag.DurationVar(&o.settle, "settle", 3*time.Second, "wait before reading RSS")
	flag.Parse()
	if err := measure(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchload:", err)
		os.Exit(1)
	}
}

// firstError keeps the first error reported by any worker; failed tells
// the other workers to stop. Read err only after the workers are done.
type firstError struct {
	once   sync.Once
	failed atomic.Bool
	err    error
}

func (f *firstError) set(err error) {
	f.once.Do(func() { f.err = err })
	f.failed.Store(true)
}

func measure(o options) error {
	cfg, err := loadkit.ClientConfig(o.ca)
	if err != nil {
		return err
	}
	cpu0, err := loadkit.CPUSeconds(o.pid)
	if err != nil {
		return err
	}
	hs, n, err := handshakes(o, cfg)
	if err != nil {
		return err
	}
	cpu1, err := loadkit.CPUSeconds(o.pid)
	if err != nil {
		return err
	}
	mbs, err := throughput(o, cfg)
	if err != nil {
		return err
	}
	perConn, err := idleRSS(o, cfg)
	if err != nil {
		return err
	}
	fmt.Printf("handshakes_per_s=%.0f server_cpu_us_per_handshake=%.0f mb_per_s=%.1f rss_per_idle_conn_kb=%.1f\n",
		hs, (cpu1-cpu0)/float64(n)*1e6, mbs, perConn)
	return nil
}

// dialEcho makes a full handshake and echoes one byte, so that the server
// has finished its side too.
func dialEcho(addr string, cfg *tls.Config) (*tls.Conn, error) {
	c, err := tls.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, err
	}
	b := []byte{'x'}
	if _, err := c.Write(b); err == nil {
		_, err = io.ReadFull(c, b)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// handshakes returns the rate of handshakes and how many were made.
func handshakes(o options, cfg *tls.Config) (float64, int64, error) {
	var n atomic.Int64
	var fail firstError
	deadline := time.Now().Add(o.handshakeDur)
	start := time.Now()
	var wg sync.WaitGroup
	for range o.workers {
		wg.Go(func() {
			for time.Now().Before(deadline) && !fail.failed.Load() {
				c, err := dialEcho(o.addr, cfg)
				if err != nil {
					fail.set(fmt.Errorf("handshake: %w", err))
					return
				}
				c.Close()
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds(), n.Load(), fail.err
}

func throughput(o options, cfg *tls.Config) (float64, error) {
	var total atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range o.streams {
		c, err := dialEcho(o.addr, cfg)
		if err != nil {
			wg.Wait()
			return 0, err
		}
		c.SetDeadline(start.Add(o.streamDur))
		wg.Go(func() { stream(c, &total) })
	}
	wg.Wait()
	return float64(total.Load()) / time.Since(start).Seconds() / 1e6, nil
}

// stream writes until the deadline while counting what comes back.
func stream(c *tls.Conn, total *atomic.Int64) {
	defer c.Close()
	go func() {
		buf := make([]byte, 64<<10)
		for {
			if _, err := c.Write(buf); err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		total.Add(int64(n))
		if err != nil {
			return
		}
	}
}

func idleRSS(o options, cfg *tls.Config) (float64, error) {
	before, err := loadkit.RSSKB(o.pid)
	if err != nil {
		return 0, err
	}
	conns, err := openIdle(o, cfg)
	defer closeAll(conns)
	if err != nil {
		return 0, err
	}
	time.Sleep(o.settle)
	after, err := loadkit.RSSKB(o.pid)
	return float64(after-before) / float64(o.idle), err
}

// openIdle opens o.idle echoed connections with o.workers dialers.
func openIdle(o options, cfg *tls.Config) ([]net.Conn, error) {
	conns := make([]net.Conn, o.idle)
	var fail firstError
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range o.workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(o.idle) && !fail.failed.Load(); i = next.Add(1) - 1 {
				c, err := dialEcho(o.addr, cfg)
				if err != nil {
					fail.set(fmt.Errorf("idle connection %d: %w", i, err))
					return
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	return conns, fail.err
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}
