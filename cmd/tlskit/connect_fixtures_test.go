package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConnectFixtureDiagnosis: tlskit connect gives the true cause for the
// fixture cases whose Go error misleads: a SHA-1 signature (Go reports an
// unknown authority), a name constraint (Go names no CA), and a server that
// speaks only TLS 1.0 (Go shows the alert alone).
func TestConnectFixtureDiagnosis(t *testing.T) {
	p := startFixturesServe(t)
	tests := []struct{ name, stderr string }{
		{"sha1", "tlskit: error: verifying ADDR: certificate \"CN=sha1 fixture\" is signed with ECDSA-SHA1, an insecure algorithm that tlskit refuses (issuer: CN=tlskit fixtures CA)\n" +
			"tlskit: hint: reissue the certificate with a SHA-256 signature (as tlskit sign does)\n"},
		{"name-constraint", "tlskit: error: verifying ADDR: a CA in the chain is not allowed to issue \"CN=name-constraint fixture\": " +
			"IP address \"127.0.0.1\" is not permitted by any constraint " +
			"(name constraints of \"CN=tlskit fixtures example.test CA\": permitted DNS:example.test, IP:192.0.2.0/24)\n" +
			"tlskit: hint: issue the certificate from a CA whose name constraints allow the name, or drop the name\n"},
		{"tls10", "tlskit: error: TLS handshake failed with ADDR: remote error: tls: protocol version not supported\n" +
			"tlskit: hint: the server speaks none of the TLS versions tlskit offers (1.2 and 1.3, or 1.3 alone with --min-tls 1.3): " +
			"it likely speaks only TLS 1.0 or 1.1, which tlskit refuses as insecure\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := p.info.Cases[tt.name].Addr
			cmd := exec.Command("tlskit", "connect", "--ca", p.info.CA, "--servername", "localhost", "--message", "hi", addr)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.ExitCode() != exitHandshake {
				t.Errorf("exit: %v, want %d", err, exitHandshake)
			}
			if want := strings.ReplaceAll(tt.stderr, "ADDR", addr); stderr.String() != want {
				t.Errorf("stderr\n got %q\nwant %q", stderr.String(), want)
			}
		})
	}
}

// TestVerifyFixtureWeakKey: verify refuses what connect refuses, a 1024-bit
// RSA key, though crypto/x509 (and openssl verify) find the chain valid.
func TestVerifyFixtureWeakKey(t *testing.T) {
	p := startFixturesServe(t)
	crt := filepath.Join(filepath.Dir(p.info.CA), "rsa1024.crt")
	cmd := exec.Command("tlskit", "verify", "--ca", p.info.CA, crt)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != exitHandshake {
		t.Errorf("exit: %v, want %d", err, exitHandshake)
	}
	want := "tlskit: error: " + crt + ": the certificate \"CN=rsa1024 fixture\" has a 1024-bit RSA key; " +
		"TLS clients (tlskit connect, openssl s_client, curl, browsers) refuse keys under 2048 bits\n" +
		"tlskit: hint: reissue it for a key of 2048 bits or more (tlskit genkey)\n" +
		"tlskit: error: verification failed for 1 certificate\n"
	if stderr.String() != want {
		t.Errorf("stderr\n got %q\nwant %q", stderr.String(), want)
	}
}
