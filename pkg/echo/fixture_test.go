package echo

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// startFixtureServer serves f on 127.0.0.1:0 until the test ends.
func startFixtureServer(t *testing.T, f Fixture) string {
	t.Helper()
	return startFixtureServerLog(t, f, nil)
}

func startFixtureServerLog(t *testing.T, f Fixture, log *logCapture) string {
	t.Helper()
	cfg := Config{}
	if log != nil {
		cfg.Logger = log.logger()
	}
	srv, err := NewFixtureServer(cfg, f)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	t.Cleanup(func() { cancel(); <-done })
	return l.Addr().String()
}

func TestNewFixtureServerNeedsTLS(t *testing.T) {
	if _, err := NewFixtureServer(Config{}, Fixture{}); !errors.Is(err, ErrNoFixtureTLS) {
		t.Fatalf("err = %v, want ErrNoFixtureTLS", err)
	}
}

// TestFixtureServerUsesCallerTLS: the fixture option serves what the
// hardened server refuses (TestOldVersionsAndCBCRefused), and only there.
func TestFixtureServerUsesCallerTLS(t *testing.T) {
	p := newPKI(t, "Test CA")
	tests := []struct {
		name string
		cfg  *tls.Config
		want uint16
	}{
		{"TLS 1.0", &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}, tls.VersionTLS10},
		{"TLS 1.1", &tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11}, tls.VersionTLS11},
		{"TLS 1.2 CBC", &tls.Config{MaxVersion: tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}}, tls.VersionTLS12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg.Clone()
			cfg.Certificates = []tls.Certificate{p.server}
			addr := startFixtureServer(t, Fixture{TLS: cfg})
			client := tt.cfg.Clone()
			client.RootCAs, client.ServerName = p.pool, "localhost"
			c, err := rawDial(addr, client)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if v := c.ConnectionState().Version; v != tt.want {
				t.Fatalf("negotiated %s, want %s", tls.VersionName(v), tls.VersionName(tt.want))
			}
			if got, err := Exchange(c, []byte("ping")); err != nil || string(got) != "ping" {
				t.Fatalf("echo = %q, %v", got, err)
			}
		})
	}
}

func TestFixtureServerAnswersHTTP(t *testing.T) {
	p := newPKI(t, "Test CA")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "case for %s at %s", r.TLS.ServerName, r.URL.Path)
	})
	var log logCapture
	addr := startFixtureServerLog(t, Fixture{TLS: &tls.Config{Certificates: []tls.Certificate{p.server}}, HTTP: h}, &log)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.pool}}}
	_, port, _ := net.SplitHostPort(addr)
	for _, method := range []string{"GET", "HEAD"} {
		req, _ := http.NewRequest(method, "https://localhost:"+port+"/expired", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := "case for localhost at /expired"
		if method == "HEAD" {
			want = ""
		}
		if resp.StatusCode != 200 || string(body) != want {
			t.Fatalf("%s: %d %q, want 200 %q", method, resp.StatusCode, body, want)
		}
	}
	waitFor(t, "two connection lines", func() bool { return len(log.records("connection closed")) == 2 })
	for _, rec := range log.records("connection closed") {
		if r := rec["reason"]; r != "http 200 GET /expired" && r != "http 200 HEAD /expired" {
			t.Errorf("reason %q", r)
		}
		if in, _ := rec["bytes_in"].(float64); in == 0 {
			t.Errorf("bytes_in 0 for an HTTP request: %v", rec)
		}
	}
}

func TestFixtureServerEchoesOtherData(t *testing.T) {
	p := newPKI(t, "Test CA")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("HTTP handler called") })
	addr := startFixtureServer(t, Fixture{TLS: &tls.Config{Certificates: []tls.Certificate{p.server}}, HTTP: h})
	c := mustDial(t, p, addr, nil)
	msg := []byte("hello, not a GET\nsecond line\n")
	if got, err := Exchange(c, msg); err != nil || string(got) != string(msg) {
		t.Fatalf("echo = %q, %v", got, err)
	}
}

func TestFixtureServerRefusesBadHTTP(t *testing.T) {
	p := newPKI(t, "Test CA")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("HTTP handler called") })
	addr := startFixtureServer(t, Fixture{TLS: &tls.Config{Certificates: []tls.Certificate{p.server}}, HTTP: h})
	c := mustDial(t, p, addr, nil)
	io.WriteString(c, "GET / HTTP/9\r\n\r\n")
	line, _ := bufio.NewReader(c).ReadString('\n')
	if !strings.HasPrefix(line, "HTTP/1.1 400 ") {
		t.Fatalf("status line %q, want 400", line)
	}
}
