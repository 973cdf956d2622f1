// Command hostile attacks a running TLS echo server for scripts/hostile.sh,
// one scenario at a time, while real clients from another loopback address
// keep connecting, and prints a table: for each attack, how many real
// clients were served, their latency, and the server's peak RSS (read from
// /proc/PID). Every attack comes from its own 127.0.0.0/8 address, holds a
// bounded number of sockets and stops after -time.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tlskit/tlskit/scripts/loadkit"
)

type options struct {
	addr, ca string
	pid      int
	dur      time.Duration
	n        int
	only     string
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "", "server address")
	flag.StringVar(&o.ca, "ca", "server.crt", "CA certificate file")
	flag.IntVar(&o.pid, "pid", 0, "server process id, for its RSS")
	flag.DurationVar(&o.dur, "time", 8*time.Second, "how long each scenario runs")
	flag.IntVar(&o.n, "n", 300, "sockets each attack holds (the flood holds up to 4n)")
	flag.StringVar(&o.only, "only", "", "comma-separated scenarios to run (default: all)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	cfg, err := loadkit.ClientConfig(o.ca)
	if err != nil {
		return err
	}
	if _, err := loadkit.RSSKB(o.pid); err != nil {
		return err
	}
	printHeader()
	for _, sc := range scenarios(o.n) {
		if o.only != "" && !strings.Contains(","+o.only+",", ","+sc.name+",") {
			continue
		}
		res := runScenario(o, cfg, sc)
		printRow(sc, res)
		printErr(sc, res)
		settle(o, cfg)
	}
	return nil
}

// runScenario starts the attack, gives it a second to take hold, then
// measures real clients and the server's RSS; the attack goes on until the
// last real client has finished.
func runScenario(o options, cfg *tls.Config, sc scenario) result {
	ctx, cancel := context.WithCancel(context.Background())
	a := newAttack(o.addr, cfg, sc.source)
	if sc.attack != nil {
		go sc.attack(ctx, a)
	}
	rss := watchRSS(ctx, o.pid)
	time.Sleep(time.Second)
	res := realClients(time.Now().Add(o.dur-time.Second), o.addr, cfg)
	cancel()
	a.stop()
	res.rssStartKB, res.rssPeakKB = rss()
	res.attackConns = a.opened.Load()
	return res
}

// settle waits until a real client is served again (at most 20 s), so that
// one scenario's leftovers do not count against the next.
func settle(o options, cfg *tls.Config) {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := realOnce(context.Background(), o.addr, cfg); err == nil {
			time.Sleep(500 * time.Millisecond)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}
