package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/tlskit/tlskit/scripts/loadkit"
)

// realSource is where the real clients come from; realWorkers of them
// connect one after another, each attempt bounded by realTimeout.
const (
	realSource  = "127.0.0.2"
	realWorkers = 4
	realTimeout = 5 * time.Second
)

type result struct {
	ok, tried             int
	latencies             []time.Duration // of the successful ones
	rssStartKB, rssPeakKB int64
	attackConns           int64
	firstErr              error
}

// realClients starts real clients until end and waits for the last one.
func realClients(end time.Time, addr string, cfg *tls.Config) result {
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	for range realWorkers {
		wg.Go(func() {
			for time.Now().Before(end) {
				d, err := realOnce(context.Background(), addr, cfg)
				mu.Lock()
				res.tried++
				if err == nil {
					res.ok++
					res.latencies = append(res.latencies, d)
				} else if res.firstErr == nil {
					res.firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return res
}

// realOnce connects from realSource, handshakes, echoes "ping", closes
// its side and reads to the server's close (which leaves the TIME_WAIT
// socket on the server, not on realSource's ports).
func realOnce(ctx context.Context, addr string, cfg *tls.Config) (time.Duration, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, realTimeout)
	defer cancel()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(realSource)}}
	c, err := (&tls.Dialer{NetDialer: &d, Config: cfg}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	deadline, _ := ctx.Deadline()
	c.SetDeadline(deadline)
	tc := c.(*tls.Conn)
	if _, err := tc.Write([]byte("ping")); err != nil {
		return 0, err
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(tc, buf); err != nil || string(buf) != "ping" {
		return 0, fmt.Errorf("echo %q: %v", buf, err)
	}
	d0 := time.Since(start)
	tc.CloseWrite()
	io.Copy(io.Discard, tc)
	return d0, nil
}

// watchRSS samples the server's RSS every 100 ms until ctx ends; the
// returned func gives the first sample and the peak.
func watchRSS(ctx context.Context, pid int) func() (int64, int64) {
	first, _ := loadkit.RSSKB(pid)
	peak := first
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if kb, err := loadkit.RSSKB(pid); err == nil {
				peak = max(peak, kb)
			}
		}
	}()
	return func() (int64, int64) { <-done; return first, peak }
}

func fmtWhat(format string, a ...any) string { return fmt.Sprintf(format, a...) }

const rowFormat = "%-11s %-52s %8s %12s %8s %8s %9s %9s\n"

func printHeader() {
	fmt.Printf(rowFormat, "scenario", "attack (from its own 127.0.0.x)", "attack", "real ok", "p50", "p95",
		"rss start", "rss peak")
	fmt.Printf(rowFormat, "", "", "conns", "", "ms", "ms", "MB", "MB")
}

func printRow(sc scenario, r result) {
	rate := "-"
	if r.tried > 0 {
		rate = fmt.Sprintf("%d/%d %3.0f%%", r.ok, r.tried, 100*float64(r.ok)/float64(r.tried))
	}
	fmt.Printf(rowFormat, sc.name, sc.what, strconv.FormatInt(r.attackConns, 10), rate,
		percentile(r.latencies, 50), percentile(r.latencies, 95),
		fmt.Sprintf("%.1f", float64(r.rssStartKB)/1024), fmt.Sprintf("%.1f", float64(r.rssPeakKB)/1024))
}

func percentile(ds []time.Duration, p int) string {
	if len(ds) == 0 {
		return "-"
	}
	slices.Sort(ds)
	d := ds[(len(ds)-1)*p/100]
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}

// printErr says why the first real client failed.
func printErr(sc scenario, r result) {
	if r.firstErr != nil {
		fmt.Fprintf(os.Stderr, "%s: first real-client failure: %v\n", sc.name, r.firstErr)
	}
}
