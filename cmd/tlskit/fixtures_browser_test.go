package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium is a headless Chromium whose NSS database, under its own HOME,
// trusts what the test adds.
type chromium struct {
	bin, home string
}

func newChromium(t *testing.T) *chromium {
	t.Helper()
	c := &chromium{bin: echoPeer(t, "chromium"), home: t.TempDir()}
	certutil := echoPeer(t, "certutil")
	db := filepath.Join(c.home, ".pki", "nssdb")
	if err := os.MkdirAll(db, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(certutil, "-d", "sql:"+db, "-N", "--empty-password").CombinedOutput(); err != nil {
		t.Fatalf("certutil -N: %v\n%s", err, out)
	}
	return c
}

// trust adds a CA certificate to the NSS database as a TLS server CA.
func (c *chromium) trust(t *testing.T, caFile string) {
	t.Helper()
	db := "sql:" + filepath.Join(c.home, ".pki", "nssdb")
	out, err := exec.Command("certutil", "-d", db, "-A", "-t", "C,,", "-n", "tlskit fixtures", "-i", caFile).CombinedOutput()
	if err != nil {
		t.Fatalf("certutil -A: %v\n%s", err, out)
	}
}

// load opens url and returns the DOM and Chromium's log.
func (c *chromium) load(t *testing.T, url string) (dom, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// Background services (updates, sync, metrics) only add network
	// attempts and CPU on a busy machine; the test needs none of them.
	args := []string{"--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-extensions", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--dump-dom", url}
	if os.Geteuid() == 0 {
		args = append([]string{"--no-sandbox"}, args...) // Chromium refuses to run as root with its sandbox
	}
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+c.home)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	inGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if err := cmd.Run(); ctx.Err() != nil {
		t.Fatalf("chromium %s: %v after %s\n%s", url, err, time.Since(start).Round(time.Second), stderr.String())
	}
	return stdout.String(), stderr.String()
}

// TestFixturesInChromium: a browser that trusts the fixture CA loads the
// valid case (on its own port and by SNI) and shows its certificate errors
// for expired and wrong-host; without the CA it refuses the valid case too.
func TestFixturesInChromium(t *testing.T) {
	browser := newChromium(t)
	p := startFixturesServe(t)
	valid := p.info.Cases["valid"]
	if _, log := browser.load(t, valid.URL); !strings.Contains(log, "net::ERR_CERT_AUTHORITY_INVALID") {
		t.Errorf("before trusting the CA, the valid case did not fail with ERR_CERT_AUTHORITY_INVALID:\n%s", log)
	}
	browser.trust(t, p.info.CA)
	for _, url := range []string{valid.URL, valid.SNIURL} {
		if dom, log := browser.load(t, url); !strings.Contains(dom, `<h1 id="case">valid</h1>`) {
			t.Errorf("%s did not load:\n%s\n%s", url, dom, log)
		}
	}
	tests := []struct{ url, err string }{
		{p.info.Cases["expired"].URL, "net::ERR_CERT_DATE_INVALID"},
		{p.info.Cases["wrong-host"].SNIURL, "net::ERR_CERT_COMMON_NAME_INVALID"},
	}
	for _, tt := range tests {
		dom, log := browser.load(t, tt.url)
		if strings.Contains(dom, `<h1 id="case">`) || !strings.Contains(log, tt.err) {
			t.Errorf("%s: want %s, got page:\n%s\nlog:\n%s", tt.url, tt.err, dom, log)
		}
	}
}
