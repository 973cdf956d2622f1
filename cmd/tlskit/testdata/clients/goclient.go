//go:build ignore

// goclient is a TLS client for tlskit fixtures check: it fetches a URL with
// Go's net/http, trusting only -ca.
//
//	go run goclient.go -ca CA [-cert CERT -key KEY] URL
//
// It exits 0 when the server is accepted and answers, 1 otherwise.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	if err := fetch(); err != nil {
		fmt.Fprintln(os.Stderr, "rejected:", err)
		os.Exit(1)
	}
	fmt.Println("accepted")
}

func fetch() error {
	caFile := flag.String("ca", "", "CA certificate file")
	certFile := flag.String("cert", "", "client certificate file")
	keyFile := flag.String("key", "", "client key file")
	flag.Parse()
	pem, err := os.ReadFile(*caFile)
	if err != nil {
		return err
	}
	cfg := &tls.Config{RootCAs: x509.NewCertPool()}
	if !cfg.RootCAs.AppendCertsFromPEM(pem) {
		return fmt.Errorf("%s: no certificate", *caFile)
	}
	if *certFile != "" {
		pair, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return err
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
	resp, err := client.Get(flag.Arg(0))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
