package main

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"
)

// TestServeStaysHardened: the fixture server's unhardened TLS option must
// never reach tlskit serve, whatever its flags: old versions and CBC-only
// clients are refused.
func TestServeStaysHardened(t *testing.T) {
	dir := fixtures(t, "echo_pki.txtar")
	pool := caPool(t, dir)
	cbc := []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, tls.TLS_RSA_WITH_AES_128_CBC_SHA}
	clients := []struct {
		name  string
		cfg   *tls.Config
		alert string
	}{
		{"TLS 1.0", &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}, "protocol version not supported"},
		{"TLS 1.1", &tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11}, "protocol version not supported"},
		{"TLS 1.2 CBC only", &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: cbc}, "handshake failure"},
	}
	for _, flags := range [][]string{nil, {"--min-tls", "1.2", "--client-ca", "ca.crt"}} {
		srv := startServe(t, dir, flags...)
		for _, tt := range clients {
			cfg := tt.cfg.Clone()
			cfg.RootCAs, cfg.ServerName = pool, "localhost"
			c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", srv.addr, cfg)
			if err == nil {
				c.Close()
				t.Fatalf("serve %v accepted a %s client", flags, tt.name)
			}
			if !strings.Contains(err.Error(), tt.alert) {
				t.Errorf("serve %v, %s client: %v, want %q", flags, tt.name, err, tt.alert)
			}
		}
	}
}
