package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/tlskit/tlskit/pkg/echo"
)

// fixtures writes the files of a testdata archive into a temporary directory,
// keys with mode 0400.
func fixtures(t *testing.T, archive string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", archive))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(f.Name, ".key") {
			mode = 0o400
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// serverProc is a tlskit serve process.
type serverProc struct {
	cmd    *exec.Cmd
	addr   string
	stderr *syncBuffer
	done   chan struct{}
	err    error
}

var listeningRE = regexp.MustCompile(`^listening on (127\.0\.0\.1:\d+)\n$`)

// startServe runs tlskit serve in dir on 127.0.0.1:0 and reads its address.
func startServe(t *testing.T, dir string, args ...string) *serverProc {
	t.Helper()
	cmd := exec.Command("tlskit", append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = dir
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
	m := listeningRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q is not a listening line", line)
	}
	p.addr = m[1]
	return p
}

// wait waits for the server to exit; the bound turns a hang into a failure.
func (p *serverProc) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(60 * time.Second):
		t.Fatal("tlskit serve did not exit")
		return nil
	}
}

func caPool(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return pool
}

// TestServeSIGTERMLetsStreamsComplete: SIGTERM while five clients stream 8
// MiB each; every stream completes intact and the server exits 0.
func TestServeSIGTERMLetsStreamsComplete(t *testing.T) {
	dir := fixtures(t, "echo_pki.txtar")
	srv := startServe(t, dir)
	pool := caPool(t, dir)
	const clients, size, head = 5, 8 << 20, 1 << 20
	var started, wg sync.WaitGroup
	started.Add(clients)
	errs := make(chan error, clients)
	signalled := make(chan struct{})
	for i := range clients {
		wg.Go(func() { errs <- streamAcrossSignal(srv.addr, pool, uint64(i), size, head, &started, signalled) })
	}
	started.Wait()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	close(signalled)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if err := srv.wait(t); err != nil {
		t.Fatalf("tlskit serve: %v\n%s", err, srv.stderr.String())
	}
	if !strings.Contains(srv.stderr.String(), `msg="shutting down" open=5`) {
		t.Errorf("log has no shutdown line with 5 open connections:\n%s", srv.stderr.String())
	}
}

// streamAcrossSignal echoes head bytes, reports started, waits for the
// signal, then sends the rest and checks every byte came back.
func streamAcrossSignal(addr string, pool *x509.CertPool, seed uint64, size, head int, started *sync.WaitGroup, signalled chan struct{}) error {
	c, err := echo.Dial(context.Background(), echo.ClientConfig{Addr: addr, RootCAs: pool})
	if err != nil {
		started.Done()
		return err
	}
	defer c.Close()
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{byte(seed)}).Read(data)
	_, err = echo.Exchange(c, data[:head])
	started.Done()
	if err != nil {
		return err
	}
	<-signalled
	go func() { c.Write(data[head:]); c.CloseWrite() }()
	got := sha256.New()
	n, err := io.Copy(got, c)
	if err != nil {
		return err
	}
	if want := sha256.Sum256(data[head:]); n != int64(size-head) || !bytes.Equal(got.Sum(nil), want[:]) {
		return fmt.Errorf("client %d: %d bytes echoed after the signal differ from the %d sent", seed, n, size-head)
	}
	return nil
}

// TestServeBarePort: "tlskit serve PORT", openssl's -accept habit, listens on
// localhost:PORT.
func TestServeBarePort(t *testing.T) {
	dir := fixtures(t, "echo_pki.txtar")
	cmd := exec.Command("tlskit", "serve", "--max-accept", "1", "0")
	cmd.Dir = dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if !regexp.MustCompile(`^listening on (127\.0\.0\.1|\[::1\]):[1-9][0-9]*\n$`).MatchString(line) {
		t.Fatalf("tlskit serve 0 printed %q, want a localhost listening line", line)
	}
}
