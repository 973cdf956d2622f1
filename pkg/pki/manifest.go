package pki

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// ManifestFormat identifies a bootstrap manifest and its schema version.
const ManifestFormat = "tlskit-bootstrap/1"

// Manifest lists what a bootstrap directory holds. It holds nothing that
// changes between runs that change nothing, so a run that keeps everything
// leaves manifest.json byte for byte as it was.
type Manifest struct {
	Format  string          `json:"format"`
	Hosts   []string        `json:"hosts"`
	CA      ManifestEntry   `json:"ca"`
	Server  ManifestEntry   `json:"server"`
	Clients []ManifestEntry `json:"clients"`
}

// ManifestEntry describes one certificate and its key.
type ManifestEntry struct {
	Name         string    `json:"name"` // "ca", "server" or the client name
	Cert         string    `json:"cert"` // file name in the directory
	Key          string    `json:"key"`
	KeyEncrypted bool      `json:"key_encrypted"`
	Subject      string    `json:"subject"`
	Names        []string  `json:"names,omitempty"` // DNS and IP SANs
	SHA256       string    `json:"sha256"`          // certificate fingerprint
	Serial       string    `json:"serial"`
	NotBefore    time.Time `json:"not_before"`
	NotAfter     time.Time `json:"not_after"`
	// Derived files (bootstrap --formats), absent when not asked for.
	P12      string `json:"p12,omitempty"`      // key, certificate and CA as PKCS#12
	Combined string `json:"combined,omitempty"` // key then certificate in one PEM file
	DER      string `json:"der,omitempty"`      // the certificate as DER
}

// Marshal encodes the manifest as indented JSON with a final newline.
func (m *Manifest) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// ParseManifest decodes a manifest.json and checks its format.
func ParseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if m.Format != ManifestFormat {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrUnsupported, m.Format, ManifestFormat)
	}
	return &m, nil
}

func checkManifest(state DirState) error {
	f, ok := state[ManifestFile]
	if !ok {
		return nil
	}
	if _, err := ParseManifest(f.Data); err != nil {
		return fmt.Errorf("%s: %w: %w", ManifestFile, ErrForeignFile, err)
	}
	return nil
}

// buildManifest describes final. Its hosts are the server certificate's, in
// the certificate's order: a request naming the same hosts in another order
// keeps the certificate, and so must keep the manifest.
func buildManifest(final []issued, formats Formats) (*Manifest, error) {
	m := &Manifest{Format: ManifestFormat, Clients: []ManifestEntry{}}
	for i, is := range final {
		e, err := manifestEntry(is)
		if err != nil {
			return nil, err
		}
		formats.derivedManifest(&e, i)
		switch {
		case i == 0:
			m.CA = e
		case i == 1:
			m.Server = e
		default:
			e.Name = e.Name[len("client-"):]
			m.Clients = append(m.Clients, e)
		}
	}
	m.Hosts = m.Server.Names
	return m, nil
}

func manifestEntry(is issued) (ManifestEntry, error) {
	info, err := keys.DescribeKeyPEM(is.keyData)
	if err != nil {
		return ManifestEntry{}, fmt.Errorf("%s: %w", is.item.KeyFile, err)
	}
	c := is.cert
	return ManifestEntry{
		Name: is.item.Name, Cert: is.item.CertFile, Key: is.item.KeyFile, KeyEncrypted: info.Encrypted,
		Subject: certs.DN(c.RawSubject, c.Subject), Names: certHosts(c), SHA256: certs.CertFingerprint(c),
		Serial: certs.ColonHex(c.SerialNumber.Bytes()), NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(),
	}, nil
}
