package echo

import (
	"errors"
	"strings"
	"testing"
)

// TestALPNRefusesHTTP11ToH2: crypto/tls lets an http/1.1-only client
// through to a server offering only h2; the echo server refuses it as it
// refuses every client with no protocol in common.
func TestALPNRefusesHTTP11ToH2(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{NextProtos: []string{"h2"}})
	tests := []struct {
		offer   []string
		want    string // negotiated; "" with refused
		refused bool
	}{
		{[]string{"http/1.1"}, "", true},
		{[]string{"foo", "http/1.1"}, "", true},
		{[]string{"http/1.1", "h2"}, "h2", false},
		{nil, "", false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.offer, ","), func(t *testing.T) {
			c, err := dial(t, p, addr, func(cfg *ClientConfig) { cfg.NextProtos = tt.offer })
			if tt.refused {
				if !errors.Is(err, ErrHandshake) || !strings.Contains(err.Error(), "remote error: tls: no application protocol") {
					t.Fatalf("err = %v, want the no_application_protocol alert", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if got := c.ConnectionState().NegotiatedProtocol; got != tt.want {
				t.Fatalf("ALPN %q, want %q", got, tt.want)
			}
		})
	}
}
