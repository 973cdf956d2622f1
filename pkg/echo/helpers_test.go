package echo

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// pki is a throwaway CA with a server and a client certificate.
type pki struct {
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	pool   *x509.CertPool
	server tls.Certificate
	client tls.Certificate
}

func newPKI(t testing.TB, cn string) *pki {
	t.Helper()
	p := &pki{}
	p.caKey = newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, p.caKey.Public(), p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	p.caCert, _ = x509.ParseCertificate(der)
	p.pool = x509.NewCertPool()
	p.pool.AddCert(p.caCert)
	p.server = p.leaf(t, "localhost", x509.ExtKeyUsageServerAuth)
	p.client = p.leaf(t, "alice", x509.ExtKeyUsageClientAuth)
	return p
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// leaf issues a certificate for cn, valid for localhost and 127.0.0.1.
func (p *pki) leaf(t testing.TB, cn string, usage x509.ExtKeyUsage) tls.Certificate {
	t.Helper()
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, key.Public(), p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// testServer is a Server with its listener not yet served.
type testServer struct {
	*Server
	l net.Listener
}

func (s *testServer) listener(testing.TB) net.Listener { return s.l }

// newTestServer makes a server and a listener for tests that drive Serve
// themselves; addr is the listener's address.
func newTestServer(t testing.TB, p *pki, cfg Config) (*testServer, *string) {
	t.Helper()
	if cfg.Certificate == nil {
		cfg.Certificate = &p.server
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	return &testServer{Server: srv, l: l}, &addr
}

// startServer serves cfg on 127.0.0.1:0 until the test ends.
func startServer(t testing.TB, p *pki, cfg Config) (*Server, string) {
	t.Helper()
	ts, _ := newTestServer(t, p, cfg)
	srv, l := ts.Server, ts.l
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return srv, l.Addr().String()
}

// dial connects with tlskit's client, trusting p's CA.
func dial(t testing.TB, p *pki, addr string, mod func(*ClientConfig)) (*Conn, error) {
	t.Helper()
	cfg := ClientConfig{Addr: addr, RootCAs: p.pool, Timeout: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	return Dial(context.Background(), cfg)
}

func mustDial(t testing.TB, p *pki, addr string, mod func(*ClientConfig)) *Conn {
	t.Helper()
	c, err := dial(t, p, addr, mod)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// rawDial connects with crypto/tls directly, for handshakes tlskit's client
// would never attempt.
func rawDial(addr string, cfg *tls.Config) (*tls.Conn, error) {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return tls.DialWithDialer(d, "tcp", addr, cfg)
}
