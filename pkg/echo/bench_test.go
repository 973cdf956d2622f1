package echo

import (
	"crypto/tls"
	"io"
	"testing"
)

// benchHandshakes measures handshake plus a one-byte echo (the byte makes a
// TLS 1.3 client read the server's session ticket).
func benchHandshakes(b *testing.B, cache tls.ClientSessionCache) {
	p := newPKI(b, "Bench CA")
	_, addr := startServer(b, p, Config{})
	cfg := &tls.Config{RootCAs: p.pool, ServerName: "localhost", ClientSessionCache: cache}
	one := []byte{1}
	resumed, n := 0, 0
	for b.Loop() {
		c, err := rawDial(addr, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Exchange(c, one); err != nil {
			b.Fatal(err)
		}
		if c.ConnectionState().DidResume {
			resumed++
		}
		n++
		c.Close()
	}
	b.ReportMetric(float64(resumed)/float64(n), "resumed/op")
	if cache != nil && resumed < n-1 {
		b.Fatalf("only %d of %d handshakes resumed", resumed, n)
	}
}

func BenchmarkHandshakeFull(b *testing.B) { benchHandshakes(b, nil) }

// BenchmarkHandshakeResumed resumes with session tickets. TLS 1.3
// resumption still runs the (hybrid post-quantum) key exchange, so it saves
// the certificate signature and verification only.
func BenchmarkHandshakeResumed(b *testing.B) {
	benchHandshakes(b, tls.NewLRUClientSessionCache(1))
}

// BenchmarkEchoThroughput streams through one connection; the bytes per
// second reported are bytes echoed.
func BenchmarkEchoThroughput(b *testing.B) {
	p := newPKI(b, "Bench CA")
	_, addr := startServer(b, p, Config{})
	c := mustDial(b, p, addr, nil)
	const chunk = 256 << 10
	buf := make([]byte, chunk)
	done := make(chan error, 1)
	b.SetBytes(chunk)
	b.ResetTimer()
	go func() {
		_, err := io.CopyN(io.Discard, c, int64(b.N)*chunk)
		done <- err
	}()
	for range b.N {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}
