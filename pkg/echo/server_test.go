package echo

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"io"
	mrand "math/rand/v2"
	"sync"
	"testing"
)

// stream sends size pseudo-random bytes in writes of varied sizes, half-closes,
// and checks that exactly the same bytes come back before the server closes.
// halfCloser is a client connection: *tls.Conn or *Conn.
type halfCloser interface {
	io.ReadWriter
	CloseWrite() error
}

func stream(t testing.TB, c halfCloser, size int, seed uint64) error {
	src := io.LimitReader(mrand.NewChaCha8([32]byte{byte(seed)}), int64(size))
	sent := sha256.New()
	werr := make(chan error, 1)
	go func() {
		_, err := io.CopyBuffer(c, io.TeeReader(src, sent), make([]byte, 1000+int(seed*7919%40000)))
		if err == nil {
			err = c.CloseWrite()
		}
		werr <- err
	}()
	got := sha256.New()
	n, err := io.Copy(got, c)
	if err != nil {
		return err
	}
	if err := <-werr; err != nil {
		return err
	}
	if n != int64(size) || !bytes.Equal(got.Sum(nil), sent.Sum(nil)) {
		return errors.New("echoed bytes differ from the bytes sent")
	}
	return nil
}

func TestEchoTransfers(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	tests := []struct {
		name    string
		size    int
		version uint16
	}{
		{"one byte TLS 1.3", 1, tls.VersionTLS13},
		{"one record TLS 1.3", chunkSize, tls.VersionTLS13},
		{"8 MiB TLS 1.3", 8 << 20, tls.VersionTLS13},
		{"8 MiB TLS 1.2", 8 << 20, tls.VersionTLS12},
		{"nothing then half-close", 0, tls.VersionTLS13},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustDial(t, p, addr, nil)
			if err := stream(t, c, tt.size, uint64(i)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestEchoTLS12(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	c, err := rawDial(addr, &tls.Config{RootCAs: p.pool, ServerName: "localhost", MaxVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v := c.ConnectionState().Version; v != tls.VersionTLS12 {
		t.Fatalf("version %s, want TLS 1.2", tls.VersionName(v))
	}
	if err := stream(t, c, 8<<20, 7); err != nil {
		t.Fatal(err)
	}
}

func TestHalfCloseEchoesEverythingThenCloses(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	c := mustDial(t, p, addr, nil)
	msg := []byte("all of this must come back before the close\n")
	if _, err := c.Write(msg); err != nil {
		t.Fatal(err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(c) // io.EOF only on the server's close_notify
	if err != nil {
		t.Fatalf("read after half-close: %v", err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("echo %q, want %q", got, msg)
	}
}

func TestConcurrentClients(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			c, err := dial(t, p, addr, nil)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			errs <- stream(t, c, 64<<10+i*997, uint64(i))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestExchange(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	c := mustDial(t, p, addr, nil)
	got, err := Exchange(c, []byte("hello"))
	if err != nil || string(got) != "hello" {
		t.Fatalf("Exchange = %q, %v; want hello, nil", got, err)
	}
}

func TestPipe(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	c := mustDial(t, p, addr, nil)
	in := bytes.Repeat([]byte("pipe me\n"), 10000)
	var out bytes.Buffer
	tr, err := Pipe(c, bytes.NewReader(in), &out, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(len(in)); tr.Sent != want || tr.Received != want || tr.Unsent != 0 {
		t.Errorf("Pipe counted %+v, want %d sent and received", tr, want)
	}
	if !bytes.Equal(out.Bytes(), in) {
		t.Fatalf("piped %d bytes back, want %d identical", out.Len(), len(in))
	}
}
