package echo

import (
	"crypto/tls"
	"errors"
	"strings"
	"testing"
)

func TestMutualTLS(t *testing.T) {
	p := newPKI(t, "Test CA")
	other := newPKI(t, "Other CA")
	_, addr := startServer(t, p, Config{ClientCAs: p.pool})
	tests := []struct {
		name   string
		certs  []tls.Certificate
		wantOK bool
	}{
		{"client certificate from the trusted CA", []tls.Certificate{p.client}, true},
		{"no client certificate", nil, false},
		{"client certificate from another CA", []tls.Certificate{other.client}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dial(t, p, addr, func(cfg *ClientConfig) { cfg.Certificates = tt.certs })
			if err == nil {
				defer c.Close()
				// In TLS 1.3 the server's verdict on the client certificate
				// arrives after the client's handshake is done.
				_, err = Exchange(c, []byte("ping"))
			}
			if tt.wantOK && err != nil {
				t.Fatalf("want echo, got %v", err)
			}
			if !tt.wantOK && !errors.Is(err, ErrHandshake) {
				t.Fatalf("err = %v, want ErrHandshake", err)
			}
		})
	}
}

func TestALPN(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{NextProtos: []string{"echo/1", "h2"}})
	tests := []struct {
		offer   []string
		want    string
		wantErr bool
	}{
		{[]string{"h2"}, "h2", false},
		{[]string{"foo", "echo/1"}, "echo/1", false},
		{nil, "", false},
		{[]string{"foo"}, "", true}, // no overlap: no_application_protocol
		// crypto/tls alone lets this one through to an h2 server, without ALPN.
		{[]string{"http/1.1"}, "", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.offer, ","), func(t *testing.T) {
			c, err := dial(t, p, addr, func(cfg *ClientConfig) { cfg.NextProtos = tt.offer })
			if tt.wantErr {
				if !errors.Is(err, ErrHandshake) {
					t.Fatalf("err = %v, want ErrHandshake", err)
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

// Alerts as crypto/tls reports them when the server sends them.
const (
	alertVersion   = "remote error: tls: protocol version not supported"
	alertHandshake = "remote error: tls: handshake failure"
)

// TestOldVersionsAndCBCRefused checks the intermediate profile from a
// client's side: what an old or CBC-only client can get.
func TestOldVersionsAndCBCRefused(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	cbc := []uint16{
		tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
		tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
	}
	tests := []struct {
		name  string
		cfg   *tls.Config
		alert string
	}{
		{"TLS 1.0", &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}, alertVersion},
		{"TLS 1.1", &tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11}, alertVersion},
		{"TLS 1.2 CBC and static RSA only", &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: cbc}, alertHandshake},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg.Clone()
			cfg.RootCAs, cfg.ServerName = p.pool, "localhost"
			c, err := rawDial(addr, cfg)
			if err == nil {
				c.Close()
				t.Fatalf("handshake succeeded: %s %s", tls.VersionName(c.ConnectionState().Version),
					tls.CipherSuiteName(c.ConnectionState().CipherSuite))
			}
			if err == nil || !strings.Contains(err.Error(), tt.alert) {
				t.Fatalf("err = %v, want %q from the server", err, tt.alert)
			}
		})
	}
}

func TestModernProfileRefusesTLS12(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{MinVersion: tls.VersionTLS13})
	_, err := rawDial(addr, &tls.Config{RootCAs: p.pool, ServerName: "localhost", MaxVersion: tls.VersionTLS12})
	if err == nil || !strings.Contains(err.Error(), alertVersion) {
		t.Fatalf("err = %v, want %q from the server", err, alertVersion)
	}
}

func TestPostQuantumGroupNegotiated(t *testing.T) {
	p := newPKI(t, "Test CA")
	_, addr := startServer(t, p, Config{})
	c := mustDial(t, p, addr, nil)
	cs := c.ConnectionState()
	if cs.CurveID != tls.X25519MLKEM768 {
		t.Fatalf("group %s, want X25519MLKEM768", GroupName(cs.CurveID))
	}
	if s := Summarize(c, ClientConfig{Addr: "127.0.0.1:1", RootCAs: p.pool}); s.Group != "X25519MLKEM768" || s.Version != "TLS 1.3" {
		t.Fatalf("summary says %s over %s, want X25519MLKEM768 over TLS 1.3", s.Group, s.Version)
	}
}

func TestIntermediateSuitesAreAEAD(t *testing.T) {
	for _, id := range IntermediateSuites() {
		name := tls.CipherSuiteName(id)
		if !strings.HasPrefix(name, "TLS_ECDHE_") || !(strings.Contains(name, "GCM") || strings.Contains(name, "CHACHA20")) {
			t.Errorf("suite %s is not ECDHE with AEAD", name)
		}
	}
	if n := len(IntermediateSuites()); n != 6 {
		t.Errorf("%d suites, want 6", n)
	}
}

func TestHotReload(t *testing.T) {
	p := newPKI(t, "Test CA")
	srv, addr := startServer(t, p, Config{})
	before := mustDial(t, p, addr, nil)
	renewed := p.leaf(t, "renewed", 0)
	renewed.Leaf.ExtKeyUsage = nil
	if err := srv.SetCertificate(&renewed); err != nil {
		t.Fatal(err)
	}
	after := mustDial(t, p, addr, nil)
	if cn := after.ConnectionState().PeerCertificates[0].Subject.CommonName; cn != "renewed" {
		t.Fatalf("new connection got certificate %q, want the renewed one", cn)
	}
	if _, err := Exchange(before, []byte("still here")); err != nil {
		t.Fatalf("connection made before the reload: %v", err)
	}
	if err := srv.SetCertificate(&tls.Certificate{}); !errors.Is(err, ErrNoCertificate) {
		t.Fatalf("SetCertificate(empty) = %v, want ErrNoCertificate", err)
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in      string
		want    uint16
		wantErr error
	}{
		{"", tls.VersionTLS12, nil},
		{"1.2", tls.VersionTLS12, nil},
		{"1.3", tls.VersionTLS13, nil},
		{"1.1", 0, ErrBadVersion},
		{"tls13", 0, ErrBadVersion},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCipherNameMatchesCryptoTLS(t *testing.T) {
	ids := []uint16{0x0000, 0xfefe} // unknown ones print as hex
	for _, list := range [][]*tls.CipherSuite{tls.CipherSuites(), tls.InsecureCipherSuites()} {
		for _, cs := range list {
			ids = append(ids, cs.ID)
		}
	}
	for _, id := range ids {
		if got, want := cipherName(id), tls.CipherSuiteName(id); got != want {
			t.Errorf("cipherName(%#04x) = %q, want %q", id, got, want)
		}
	}
}
