package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCurlPinnedPubkey: the pin inspect --pin prints is the one curl's
// --pinnedpubkey checks, against tlskit serve. curl speaks HTTP and the
// server echoes, so with --http0.9 curl prints its own request back once the
// idle timeout closes the connection.
func TestCurlPinnedPubkey(t *testing.T) {
	curl := peer(t, "curl")
	dir := t.TempDir()
	runTlskit(t, "bootstrap", "--dir", dir, "--host", "localhost,127.0.0.1", "--no-encrypt")
	srv := startServe(t, dir, "--cert", "server.crt", "--key", "server.key", "--idle-timeout", "1s")
	pin, _ := runTlskit(t, "inspect", "--pin", filepath.Join(dir, "server.crt"))
	pin = strings.TrimSpace(pin)
	if !strings.HasPrefix(pin, "sha256//") || strings.Contains(pin, "\n") {
		t.Fatalf("inspect --pin printed %q", pin)
	}
	tests := []struct {
		pin      string
		wantCode int // curl's exit code: 90 is "public key does not match pinned public key"
	}{
		{pin, 0},
		{pin + ";sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 0},
		{"sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 90},
	}
	for _, tt := range tests {
		cmd := exec.Command(curl, "-sS", "--cacert", filepath.Join(dir, "ca.crt"), "--pinnedpubkey", tt.pin,
			"--http0.9", "--max-time", "20", "https://"+srv.addr+"/")
		out, err := cmd.Output()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != tt.wantCode {
			t.Errorf("curl --pinnedpubkey %s: exit %d (%v), want %d", tt.pin, code, err, tt.wantCode)
		}
		if tt.wantCode == 0 && !strings.HasPrefix(string(out), "GET / HTTP/1.1") {
			t.Errorf("curl got %q, want its request echoed", out)
		}
	}
}

// TestFingerprintsMatchOpenSSL: inspect --fingerprint prints what openssl
// x509 -fingerprint does, for PEM and DER certificates.
func TestFingerprintsMatchOpenSSL(t *testing.T) {
	openssl := peer(t, "openssl")
	dir := t.TempDir()
	runTlskit(t, "bootstrap", "--dir", dir, "--host", "localhost", "--no-encrypt")
	crt := filepath.Join(dir, "server.crt")
	der := filepath.Join(dir, "server.der")
	if out, err := exec.Command(openssl, "x509", "-in", crt, "-outform", "DER", "-out", der).CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	for _, hash := range []string{"sha256", "sha1"} {
		out, err := exec.Command(openssl, "x509", "-in", crt, "-noout", "-fingerprint", "-"+hash).Output()
		if err != nil {
			t.Fatal(err)
		}
		_, want, _ := strings.Cut(strings.TrimSpace(string(out)), "=")
		got, _ := runTlskit(t, "inspect", "--fingerprint", hash, crt, der)
		if got != want+"\n"+want+"\n" {
			t.Errorf("--fingerprint %s: %q, want %q twice", hash, got, want)
		}
	}
}
