package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/pki"
)

// fixturesProc is a tlskit fixtures serve process and its first line.
type fixturesProc struct {
	*serverProc
	info serveInfo
}

// startFixturesServe runs tlskit fixtures serve and decodes its first line.
func startFixturesServe(t *testing.T, args ...string) *fixturesProc {
	t.Helper()
	cmd := exec.Command("tlskit", append([]string{"fixtures", "serve"}, args...)...)
	cmd.Dir = t.TempDir()
	// Its temporary directory goes under the test's, so that even a killed
	// server leaves nothing behind.
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	p := &serverProc{cmd: cmd, stderr: new(syncBuffer), done: make(chan struct{})}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	line, _ := r.ReadString('\n')
	go func() { io.Copy(io.Discard, r); p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	fp := &fixturesProc{serverProc: p}
	if err := json.Unmarshal([]byte(line), &fp.info); err != nil {
		t.Fatalf("first line %q is not JSON: %v\n%s", line, err, p.stderr.String())
	}
	return fp
}

func (p *fixturesProc) trust(t *testing.T) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	pem, err := os.ReadFile(p.info.CA)
	if err != nil || !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("the CA file %s: %v", p.info.CA, err)
	}
	return pool
}

// get fetches url with Go's net/http, trusting the fixture CA, and dialing
// 127.0.0.1 whatever the URL's host.
func (p *fixturesProc) get(t *testing.T, url string) (string, error) {
	t.Helper()
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.trust(t)},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, _ := net.SplitHostPort(addr)
			return dialer.DialContext(ctx, network, "127.0.0.1:"+port)
		}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

func TestFixturesServeFirstLine(t *testing.T) {
	p := startFixturesServe(t)
	set, err := pki.MakeCases(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.info.Cases) != len(set.Cases) {
		t.Fatalf("%d cases on the first line, want %d", len(p.info.Cases), len(set.Cases))
	}
	for _, c := range set.Cases {
		got := p.info.Cases[c.Name]
		_, port, _ := net.SplitHostPort(got.Addr)
		_, sniPort, _ := net.SplitHostPort(p.info.SNIAddr)
		if got.Verdict != string(c.Verdict) || got.ServerName != "localhost" || !strings.HasPrefix(got.Addr, "127.0.0.1:") ||
			got.URL != "https://localhost:"+port+"/" || got.SNIURL != "https://"+c.Name+".localhost:"+sniPort+"/" || got.Why != c.Why {
			t.Errorf("%s: %+v", c.Name, got)
		}
	}
	for _, f := range []string{p.info.CA, p.info.ClientCert, p.info.ClientKey} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("file on the first line: %v", err)
		}
	}
}

// TestFixturesServePages: each case's port and the SNI port answer HTTP
// with the case's page, the index lists every case, refused cases are
// refused, other data is echoed, and the log records it all.
func TestFixturesServePages(t *testing.T) {
	p := startFixturesServe(t)
	index, err := p.get(t, p.info.Index)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range p.info.Cases {
		if !strings.Contains(index, `<a href="`+c.URL+`">`) || !strings.Contains(index, `<a href="`+c.SNIURL+`">`) {
			t.Errorf("the index has no links to %s", name)
		}
	}
	for _, url := range []string{p.info.Cases["intermediate"].URL, p.info.Cases["intermediate"].SNIURL} {
		page, err := p.get(t, url)
		if err != nil || !strings.Contains(page, `<h1 id="case">intermediate</h1>`) {
			t.Errorf("%s: %v\n%s", url, err, page)
		}
	}
	for _, url := range []string{p.info.Cases["expired"].URL, p.info.Cases["expired"].SNIURL} {
		if _, err := p.get(t, url); err == nil || !strings.Contains(err.Error(), "certificate has expired") {
			t.Errorf("%s: %v, want an expired certificate", url, err)
		}
	}
	checkEcho(t, p)
	waitFor(t, p.stderr, "tlskit: serving 17 cases: trust "+p.info.CA+", then open "+p.info.Index+" (stop with Ctrl-C)")
	waitFor(t, p.stderr, `msg="client hello" case=expired`)
	waitFor(t, p.stderr, `msg="connection closed" case=expired`)
}

func checkEcho(t *testing.T, p *fixturesProc) {
	t.Helper()
	c, err := tls.Dial("tcp", p.info.Cases["valid"].Addr, &tls.Config{RootCAs: p.trust(t), ServerName: "localhost"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "hello\n")
	line, err := bufio.NewReader(c).ReadString('\n')
	if line != "hello\n" {
		t.Errorf("echo %q, %v", line, err)
	}
}

// waitFor waits until the log has a line containing s.
func waitFor(t *testing.T, log *syncBuffer, s string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(log.String(), s) {
			return
		}
	}
	t.Errorf("no %q in the log:\n%s", s, log.String())
}

// TestFixturesServeTempDirRemoved: without --dir the files live in a
// temporary directory that SIGTERM removes.
func TestFixturesServeTempDirRemoved(t *testing.T) {
	p := startFixturesServe(t)
	dir := filepath.Dir(p.info.CA)
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.wait(t); err != nil {
		t.Fatalf("exit: %v\n%s", err, p.stderr.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still there: %v", dir, err)
	}
}

// TestFixturesServeDir: --dir keeps the cases, so a CA trusted once stays
// trusted across runs.
func TestFixturesServeDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "fixtures")
	first := startFixturesServe(t, "--dir", dir)
	ca, _ := os.ReadFile(filepath.Join(dir, "ca.crt"))
	first.cmd.Process.Signal(syscall.SIGTERM)
	first.wait(t)
	second := startFixturesServe(t, "--dir", dir)
	if second.info.CA != filepath.Join(dir, "ca.crt") {
		t.Errorf("ca %s, want the one in --dir", second.info.CA)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if len(ca) == 0 || !bytes.Equal(ca, again) {
		t.Error("the second run did not keep the CA")
	}
	if page, err := second.get(t, second.info.Cases["valid"].URL); err != nil || !strings.Contains(page, "All cases") {
		t.Errorf("valid case from --dir: %v", err)
	}
}

// TestFixturesCheckInterrupted: SIGINT stops the clients, exits 1 and
// removes the temporary directory with its keys.
func TestFixturesCheckInterrupted(t *testing.T) {
	tmp := t.TempDir()
	cmd := exec.Command("tlskit", "fixtures", "check", "--jobs", "2", "--", "sleep", "30")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	stderr := new(syncBuffer)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("check made no temporary directory")
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("check did not stop on SIGINT")
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), "tlskit: error: interrupted: the check was stopped before every case ran") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
