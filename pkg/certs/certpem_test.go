package certs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tlskit/tlskit/internal/testkit"
	"github.com/tlskit/tlskit/pkg/safefile"
)

func TestParseCertificatesPEM(t *testing.T) {
	ca, caKey := testCA(t, "Chain CA", 365)
	leaf := signedLeaf(t, ca, caKey, "/CN=chain.example.com", LeafOptions{Days: 30, Now: testNow})
	leafPEM, caPEM := EncodePEM("CERTIFICATE", leaf.Raw), EncodePEM("CERTIFICATE", ca.Raw)
	keyPEM := EncodePEM("PRIVATE KEY", []byte{1, 2, 3})
	csrDER, err := CreateCSR(caKey, SubjectFields{CommonName: "x"}.RDNs(), SANs{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    []byte
		count int
		want  error
		why   string
	}{
		{"one", leafPEM, 1, nil, ""},
		{"chain in order", concat(leafPEM, caPEM), 2, nil, ""},
		{"with a key block", concat(keyPEM, leafPEM), 1, nil, ""},
		{"with text around", concat([]byte("subject=...\n"), leafPEM, []byte("trailer\n")), 1, nil, ""},
		{"empty", nil, 0, ErrNoPEM, ""},
		{"DER", leaf.Raw, 0, ErrNoPEM, ""},
		{"key only", keyPEM, 0, ErrNotCertificate, "(found PRIVATE KEY)"},
		{"CSR", EncodePEM("CERTIFICATE REQUEST", csrDER), 0, ErrNotCertificate, "(found CERTIFICATE REQUEST)"},
		{"garbage DER", concat(leafPEM, EncodePEM("CERTIFICATE", []byte("nope"))), 0, ErrMalformed, "certificate 2"},
		{"truncated", leafPEM[:len(leafPEM)/2], 0, ErrMalformed, "truncated"},
		{"second truncated", concat(leafPEM, caPEM[:len(caPEM)-40]), 0, ErrMalformed, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			certs, err := ParseCertificatesPEM(tt.in)
			testkit.CheckErr(t, err, tt.want, tt.why)
			if len(certs) != tt.count {
				t.Fatalf("got %d certificates, want %d", len(certs), tt.count)
			}
			if tt.count > 0 && !bytes.Equal(certs[0].Raw, leaf.Raw) {
				t.Error("first certificate is not the leaf")
			}
		})
	}
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestReadCertFile(t *testing.T) {
	dir := t.TempDir()
	key := testkit.Key(t, "p256")
	keyFile := testkit.WriteFile(t, dir, "server.key", EncodePEM("PRIVATE KEY", []byte{1}))
	_, err := ReadCertFile(keyFile)
	testkit.CheckErr(t, err, ErrNotCertificate, keyFile+": not a certificate (found PRIVATE KEY)")
	_, err = ReadCertFile(filepath.Join(dir, "none.crt"))
	testkit.CheckErr(t, err, os.ErrNotExist, "none.crt")

	cert := selfSignedWith(t, key, "/CN=file.example.com")
	certFile := testkit.WriteFile(t, dir, "server.crt", EncodePEM("CERTIFICATE", cert.Raw))
	certs, err := ReadCertFile(certFile)
	if err != nil || len(certs) != 1 || certs[0].Subject.CommonName != "file.example.com" {
		t.Fatalf("ReadCertFile = %v, %v", certs, err)
	}
}

// TestReadLimited: a device or pipe that never ends (/dev/zero, a stuck
// stdin) is refused once past the limit instead of read into all memory.
func TestReadLimited(t *testing.T) {
	tests := []struct {
		size    int64
		wantErr error
	}{
		{0, nil},
		{safefile.MaxPublicFile, nil},
		{safefile.MaxPublicFile + 1, safefile.ErrTooLarge},
		{1 << 40, safefile.ErrTooLarge},
	}
	for _, tt := range tests {
		data, err := ReadLimited(io.LimitReader(zeros{}, tt.size), "input")
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%d bytes: error %v, want %v", tt.size, err, tt.wantErr)
		}
		if err == nil && int64(len(data)) != tt.size {
			t.Errorf("%d bytes: read %d", tt.size, len(data))
		}
	}
	if _, err := ReadPublicFile("/dev/zero"); !errors.Is(err, safefile.ErrNotRegular) {
		t.Errorf("/dev/zero: %v, want ErrNotRegular", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
