package echo

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"testing"
	"time"
)

// TestDialWaitsForClientCertVerdict: under TLS 1.3 the server judges the
// client certificate after the client's handshake; Dial waits for that
// verdict, so a refusal is a Dial error every time, naming the reason.
func TestDialWaitsForClientCertVerdict(t *testing.T) {
	p := newPKI(t, "Test CA")
	other := newPKI(t, "Other CA")
	_, addr := startServer(t, p, Config{ClientCAs: p.pool, MinVersion: tls.VersionTLS13})
	tests := []struct {
		name  string
		certs []tls.Certificate
		want  error
	}{
		{"no client certificate", nil, ErrClientCertRequired},
		// The server names its CAs, so the client sends nothing; the
		// error is both: asked for one, and this one ruled out.
		{"client certificate from another CA", []tls.Certificate{other.client}, ErrClientCertRejected},
		{"client certificate from the trusted CA", []tls.Certificate{p.client}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 10 {
				c, err := dial(t, p, addr, func(cfg *ClientConfig) { cfg.Certificates = tt.certs })
				if tt.want == nil {
					if err != nil {
						t.Fatal(err)
					}
					if _, err := Exchange(c, []byte("ping")); err != nil {
						t.Fatal(err)
					}
					c.Close()
					continue
				}
				if !errors.Is(err, ErrHandshake) || !errors.Is(err, tt.want) {
					t.Fatalf("Dial: %v, want ErrHandshake and %v", err, tt.want)
				}
			}
		})
	}
}

func TestClientAuthExplain(t *testing.T) {
	alert := &net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")}
	other := errors.New("EOF")
	tests := []struct {
		name string
		auth *clientAuth
		err  error
		want error
		msg  string
	}{
		{"not asked", &clientAuth{}, alert, nil, "remote error: tls: bad certificate"},
		{"asked, none sent", &clientAuth{requested: true}, alert, ErrClientCertRequired,
			"the server asked for a client certificate and none was sent (remote error: tls: bad certificate)"},
		{"asked, sent, refused", &clientAuth{requested: true, sent: true, subject: "CN=alice"}, alert, ErrClientCertRejected,
			"the server rejected the client certificate CN=alice (remote error: tls: bad certificate)"},
		{"not an alert", &clientAuth{requested: true}, other, nil, "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.auth.explain(tt.err)
			if got.Error() != tt.msg || (tt.want != nil && !errors.Is(got, tt.want)) || !errors.Is(got, tt.err) {
				t.Fatalf("explain = %q, want %q wrapping %v", got, tt.msg, tt.want)
			}
		})
	}
}

// TestDialTimeoutSaysHowLong: a server that accepts and stays silent is a
// handshake failure that says how long tlskit waited.
func TestDialTimeoutSaysHowLong(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close() // the kernel completes the TCP handshake; nobody answers
	_, err = Dial(context.Background(), ClientConfig{Addr: l.Addr().String(), Timeout: 300 * time.Millisecond})
	want := "TLS handshake failed with " + l.Addr().String() + ": the server did not finish the handshake within 300ms"
	if !errors.Is(err, ErrHandshake) || err.Error() != want {
		t.Fatalf("Dial: %v, want %q", err, want)
	}
}

func TestDialCauseSaysHowLong(t *testing.T) {
	refused := &net.OpError{Op: "dial", Err: errors.New("connect: connection refused")}
	tests := []struct {
		err  error
		want string
	}{
		{context.DeadlineExceeded, "no answer within 10s"},
		{&net.OpError{Op: "dial", Err: context.DeadlineExceeded}, "no answer within 10s"},
		{refused, "connect: connection refused"},
	}
	for _, tt := range tests {
		if got := dialCause(tt.err, 10*time.Second).Error(); got != tt.want {
			t.Errorf("dialCause(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
