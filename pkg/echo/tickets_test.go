package echo

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tlskit/tlskit/internal/testkit"
)

// sClient runs openssl s_client against addr, saving the session to
// sessOut or resuming the one in sessIn, and says whether it resumed.
func sClient(t *testing.T, dir, addr, version, sessFlag, sessFile string) bool {
	t.Helper()
	cmd := exec.Command(testkit.OpenSSLPath(t), "s_client", "-connect", addr, "-servername", "localhost",
		"-CAfile", "ca.pem", "-verify_return_error", version, sessFlag, sessFile)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader("ping\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl s_client %s %s: %v\n%s", version, sessFlag, err, out)
	}
	switch {
	case strings.Contains(string(out), "\nReused, "):
		return true
	case strings.Contains(string(out), "\nNew, "):
		return false
	}
	t.Fatalf("openssl s_client said neither New nor Reused:\n%s", out)
	return false
}

func TestReloadInvalidatesResumption(t *testing.T) {
	p := newPKI(t, "Test CA")
	dir := t.TempDir()
	testkit.WriteFile(t, dir, "ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.caCert.Raw}))
	srv, addr := startServer(t, p, Config{})
	for _, version := range []string{"-tls1_2", "-tls1_3"} {
		t.Run(version, func(t *testing.T) {
			sess := filepath.Join(dir, "sess"+version)
			if sClient(t, dir, addr, version, "-sess_out", sess) {
				t.Fatal("first connection resumed")
			}
			if !sClient(t, dir, addr, version, "-sess_in", sess) {
				t.Fatal("the session was not resumed before the reload")
			}
			if err := srv.SetCertificate(new(p.leaf(t, "localhost", x509.ExtKeyUsageServerAuth))); err != nil {
				t.Fatal(err)
			}
			if sClient(t, dir, addr, version, "-sess_in", sess) {
				t.Fatal("a session made under the old certificate was resumed after the reload")
			}
		})
	}
}

// setClock moves the server's ticket clock to start+d.
func setClock(srv *Server, start time.Time, d time.Duration) {
	srv.keys.mu.Lock()
	defer srv.keys.mu.Unlock()
	srv.keys.now = func() time.Time { return start.Add(d) }
}

// resumes gets a session at issue (on the server's clock, from its start)
// and tries to resume it at resume, after another client's connection at
// that time (which rotates the keys when due).
func resumes(t *testing.T, p *pki, srv *Server, addr string, issue, resume time.Duration) bool {
	t.Helper()
	start := srv.keys.since
	cfg := &tls.Config{RootCAs: p.pool, ServerName: "localhost", ClientSessionCache: tls.NewLRUClientSessionCache(1)}
	exchange := func(cfg *tls.Config, msg string) *tls.Conn {
		c, err := rawDial(addr, cfg)
		if err == nil {
			_, err = Exchange(c, []byte(msg))
			c.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	setClock(srv, start, issue)
	exchange(cfg, "first")
	setClock(srv, start, resume)
	exchange(&tls.Config{RootCAs: p.pool, ServerName: "localhost"}, "another client")
	return exchange(cfg, "second").ConnectionState().DidResume
}

func TestSessionLifetime(t *testing.T) {
	p := newPKI(t, "Test CA")
	tests := []struct {
		name          string
		lifetime      time.Duration
		issue, resume time.Duration
		want          bool
	}{
		{"fresh session resumes", time.Hour, 0, time.Minute, true},
		{"session past the lifetime does not", time.Hour, 0, 61 * time.Minute, false},
		{"default lifetime keeps a session for a day", 0, 0, 23 * time.Hour, true},
		{"default lifetime drops it after a day", 0, 0, 25 * time.Hour, false},
		{"ticket under the previous key still resumes", time.Hour, 59 * time.Minute, 61 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, addr := startServer(t, p, Config{SessionLifetime: tt.lifetime})
			if got := resumes(t, p, srv, addr, tt.issue, tt.resume); got != tt.want {
				t.Fatalf("resumed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRotationDropsKeysTwoLifetimesOld(t *testing.T) {
	p := newPKI(t, "Test CA")
	srv, _ := startServer(t, p, Config{SessionLifetime: time.Hour})
	first := srv.keys.keys[0]
	start := srv.keys.since
	for i, at := range []time.Duration{61 * time.Minute, 122 * time.Minute} {
		setClock(srv, start, at)
		if err := srv.keys.rotateIfDue(); err != nil {
			t.Fatal(err)
		}
		srv.keys.mu.Lock()
		kept := slices.Contains(srv.keys.keys, first)
		srv.keys.mu.Unlock()
		if want := i == 0; kept != want {
			t.Fatalf("after rotation %d the first key kept = %v, want %v", i+1, kept, want)
		}
	}
}
