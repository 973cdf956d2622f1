package echo

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// TestProbeLeaf: the probe's hand-built ClientHello is one a real server
// (crypto/tls here; openssl s_server in the CLI's interop tests) answers
// with its certificate.
func TestProbeLeaf(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	leaf, err := probeLeaf(ctx, addr, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(leaf.Raw, p.server.Certificate[0]) {
		t.Fatalf("probe got %s, want the server's certificate", leaf.Subject)
	}
	if err := explainKeyType(ctx, addr, "localhost"); err != nil {
		t.Fatalf("explainKeyType = %v for an ECDSA key, want nil", err)
	}
}

func FuzzFindCertificate(f *testing.F) {
	f.Add([]byte{2, 0, 0, 1, 0, 11, 0, 0, 6, 0, 0, 3, 0, 0, 1, 0xaa})
	f.Add([]byte{11, 0, 0, 3, 0, 0, 0})
	f.Add([]byte{11, 0xff, 0xff, 0xff})
	f.Add([]byte{14, 0, 0, 0})
	f.Fuzz(func(t *testing.T, hs []byte) {
		der, done, err := findCertificate(hs)
		if !done && (der != nil || err != nil) {
			t.Fatal("an unfinished search returned a result")
		}
		if len(der) > len(hs) {
			t.Fatal("a certificate longer than its input")
		}
	})
}
