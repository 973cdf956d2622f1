package main

import (
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/echo"
)

// TestTTYServeSecondCtrlC: on a terminal, the first Ctrl-C says that open
// connections may finish and that a second Ctrl-C quits at once; the
// second does, with exit 130.
func TestTTYServeSecondCtrlC(t *testing.T) {
	dir := fixtures(t, "echo_pki.txtar")
	s := startTTY(t, dir, "serve", "--log-format", "json", "127.0.0.1:0")
	scr := s.waitFor(`"msg":"listening"`)
	m := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`).FindStringSubmatch(scr)
	if m == nil {
		t.Fatalf("no listening line:\n%s", scr)
	}
	conn := dialTestServer(t, dir, m[1])
	defer conn.Close()
	s.tmux("send-keys", "C-c")
	s.waitFor("tlskit: stopping: 1 open connections have up to 30s to finish; press Ctrl-C again to quit at once")
	s.tmux("send-keys", "C-c")
	scr = s.waitFor("EXIT=")
	for _, want := range []string{`"msg":"second signal: closing open connections now","signal":"SIGINT","open":1`,
		"tlskit: error: stopped by a second SIGINT: open connections were closed at once", "EXIT=130"} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(scr) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
}

func dialTestServer(t *testing.T, dir, addr string) *echo.Conn {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	c, err := echo.Dial(context.Background(), echo.ClientConfig{Addr: addr, RootCAs: roots, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
