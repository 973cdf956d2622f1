package pki

import (
	"bytes"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

var allFormats = Formats{P12: true, DER: true, Combined: true}

func withFormats(r BootstrapRequest, f Formats) BootstrapRequest {
	r.Formats = f
	return r
}

// dirBytes is readAll as bytes.
func dirBytes(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, data := range readAll(t, dir) {
		out[name] = []byte(data)
	}
	return out
}

func TestBootstrapFormatsWriteDerivedFiles(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, withFormats(bootstrapReq(now), allFormats))
	files := dirBytes(t, dir)
	ca, err := x509.ParseCertificate(files[CADERFile])
	if err != nil || !bytes.Equal(certs.EncodePEM("CERTIFICATE", ca.Raw), files[CACertFile]) {
		t.Fatalf("ca.der is not ca.crt as DER: %v", err)
	}
	if want := append(bytes.Clone(files[ServerKeyFile]), files[ServerCertFile]...); !bytes.Equal(files[ServerCombinedFile], want) {
		t.Errorf("server-combined.pem is not server.key then server.crt")
	}
	for name, leaf := range map[string]string{"server.p12": ServerCertFile, "client-ci.p12": "client-ci.crt"} {
		got, err := keys.DecodeP12(files[name], func() ([]byte, error) { return []byte("correct-horse"), nil })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(certs.EncodePEM("CERTIFICATE", got.Leaf.Raw), files[leaf]) || len(got.Chain) != 1 || !got.Chain[0].Equal(ca) {
			t.Errorf("%s does not hold %s and the CA", name, leaf)
		}
		info, _ := keys.DescribeP12(files[name])
		if info.Profile != keys.P12Modern {
			t.Errorf("%s: profile %q, want modern", name, info.Profile)
		}
	}
	for name, mode := range map[string]os.FileMode{"server.p12": 0o400, "client-ci.p12": 0o400, ServerCombinedFile: 0o400, CADERFile: 0o644} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, %v; want %04o", name, fi.Mode(), err, mode)
		}
	}
	m, err := ParseManifest(files[ManifestFile])
	if err != nil || m.CA.DER != CADERFile || m.Server.P12 != "server.p12" || m.Server.Combined != ServerCombinedFile ||
		m.Clients[0].P12 != "client-ci.p12" || m.CA.P12 != "" {
		t.Errorf("manifest does not list the derived files: %+v, %v", m, err)
	}
}

// A second run that changes nothing leaves every file byte for byte,
// although a PKCS#12 file is never encoded the same way twice; a reissued
// certificate brings its derived files along.
func TestBootstrapFormatsIdempotent(t *testing.T) {
	now := time.Now()
	req := withFormats(bootstrapReq(now), allFormats)
	dir := bootstrapDir(t, req)
	before := dirBytes(t, dir)
	applyDir(t, dir, req)
	after := dirBytes(t, dir)
	for name := range before {
		if !bytes.Equal(before[name], after[name]) {
			t.Errorf("%s changed on a run that changed nothing", name)
		}
	}
	applyDir(t, dir, withFormats(bootstrapReq(now, "localhost", "127.0.0.1"), allFormats))
	changed := dirBytes(t, dir)
	for _, name := range []string{"server.p12", ServerCombinedFile, CADERFile, "client-ci.p12"} {
		if bytes.Equal(before[name], changed[name]) {
			t.Errorf("%s kept although its certificate was reissued", name)
		}
	}
}

func TestBootstrapFormatsPasswordless(t *testing.T) {
	req := withFormats(bootstrapReq(time.Now()), Formats{P12: true})
	req.Passphrase = nil
	files := dirBytes(t, bootstrapDir(t, req))
	if info, err := keys.DescribeP12(files["server.p12"]); err != nil || info.Profile != keys.P12Passwordless {
		t.Errorf("server.p12 of an unencrypted bootstrap: %+v, %v; want passwordless", info, err)
	}
	if _, ok := files[CADERFile]; ok {
		t.Error("ca.der written without der in the formats")
	}
}

func TestBootstrapFormatsRefuseForeignFiles(t *testing.T) {
	now := time.Now()
	req := withFormats(bootstrapReq(now), allFormats)
	tests := []struct {
		name, file string
		data       []byte
		mode       os.FileMode
		want       error
	}{
		{"garbage p12", "server.p12", []byte("not a p12"), 0o400, ErrForeignFile},
		{"p12 under another password", "client-ci.p12", nil, 0o400, ErrForeignFile},
		{"readable p12", "server.p12", nil, 0o644, keys.ErrInsecurePerms},
	}
	for _, tt := range tests {
		dir := bootstrapDir(t, req)
		path := filepath.Join(dir, tt.file)
		data := tt.data
		if data == nil && tt.name == "p12 under another password" {
			other := bootstrapReq(now)
			other.Passphrase = []byte("another-passphrase")
			data = dirBytes(t, bootstrapDir(t, withFormats(other, allFormats)))[tt.file]
		}
		if data == nil {
			data, _ = os.ReadFile(path)
		}
		os.Remove(path)
		if err := os.WriteFile(path, data, tt.mode); err != nil {
			t.Fatal(err)
		}
		before := dirBytes(t, dir)
		plan, err := planDirErr(dir, req)
		if err == nil {
			_, err = ApplyBootstrap(dir, plan)
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
		if after := dirBytes(t, dir); len(after) != len(before) || !bytes.Equal(after[tt.file], before[tt.file]) {
			t.Errorf("%s: the directory changed", tt.name)
		}
	}
}

func TestParseFormats(t *testing.T) {
	if f, err := ParseFormats([]string{"pem", "P12", " der", "combined"}); err != nil || f != allFormats {
		t.Errorf("ParseFormats = %+v, %v", f, err)
	}
	if _, err := ParseFormats([]string{"pem", "pdf"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("unknown format: error %v, want ErrUnsupported", err)
	}
}
