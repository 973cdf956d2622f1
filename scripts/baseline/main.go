// Command baseline is the minimal TLS echo server that scripts/bench.sh
// measures tlskit serve against: tls.Listen and io.Copy, with Go's default
// TLS settings and no timeouts or limits. It exists only as that yardstick;
// do not deploy it.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	certFile := flag.String("cert", "server.crt", "certificate file")
	keyFile := flag.String("key", "server.key", "key file")
	flag.Parse()
	if err := serve(*addr, *certFile, *keyFile); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func serve(addr, certFile, keyFile string) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	l, err := tls.Listen("tcp", addr, &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		return err
	}
	fmt.Printf("listening on %s\n", l.Addr())
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		go echo(c)
	}
}

func echo(c net.Conn) {
	defer c.Close()
	io.Copy(c, c)
}
