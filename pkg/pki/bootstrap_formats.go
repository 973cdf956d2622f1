package pki

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// Files that bootstrap --formats derives from the PEM files.
const (
	CADERFile          = "ca.der"              // der: the CA certificate as DER
	ServerCombinedFile = "server-combined.pem" // combined: server key then certificate, for HAProxy
)

// P12File is the PKCS#12 file of a leaf ("server", "client-NAME").
func P12File(name string) string { return name + ".p12" }

// Formats are the files a bootstrap writes beside the PEM ones, which it
// always writes. Derived files are rewritten only when what they hold
// changes, so a run that changes nothing leaves them byte for byte.
type Formats struct {
	P12      bool // server.p12, client-NAME.p12: key, certificate and CA; modern profile, passwordless without a passphrase
	DER      bool // ca.der
	Combined bool // server-combined.pem, mode 0400: the key as in server.key, then the certificate
}

// ParseFormats reads a --formats list: pem, p12, der, combined.
func ParseFormats(list []string) (Formats, error) {
	var f Formats
	for _, name := range list {
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "pem":
		case "p12":
			f.P12 = true
		case "der":
			f.DER = true
		case "combined":
			f.Combined = true
		default:
			return f, &formatError{name}
		}
	}
	return f, nil
}

// formatError names an unknown format; it matches ErrUnsupported.
type formatError struct{ name string }

func (e *formatError) Error() string {
	return fmt.Sprintf("unknown format %q (want pem, p12, der or combined)", e.name)
}

func (e *formatError) Unwrap() error { return ErrUnsupported }

// derivedNames lists every file a bootstrap may derive for clients, so that
// ReadBootstrapDir reads them whatever formats this run asks for.
func derivedNames(clients []string) []string {
	names := []string{CADERFile, ServerCombinedFile, P12File("server")}
	for _, c := range clients {
		names = append(names, P12File("client-"+c))
	}
	return names
}

// derived returns the derived files of final that are missing or out of
// date. A derived file that exists but cannot be read with the request's
// passphrase is someone else's: ErrForeignFile, and nothing is written.
func (p *Plan) derived(final []issued) ([]pendingWrite, error) {
	var writes []pendingWrite
	for _, want := range p.derivedFiles(final) {
		old, exists := p.state[want.name]
		same, err := p.sameDerived(old, want, exists)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", want.name, err)
		}
		if same {
			continue
		}
		if want.p12 != nil {
			if want.data, err = p.encodeP12(want.p12); err != nil {
				return nil, fmt.Errorf("%s: %w", want.name, err)
			}
		}
		writes = append(writes, want.pendingWrite)
	}
	return writes, nil
}

// derivedFile is a file to derive: its bytes, or, for a PKCS#12 file
// (whose encryption is salted, so never the same twice), what it holds.
type derivedFile struct {
	pendingWrite
	p12 *p12Want
}

type p12Want struct {
	leaf, ca issued
}

func (p *Plan) derivedFiles(final []issued) []derivedFile {
	f, ca := p.req.Formats, final[0]
	var out []derivedFile
	if f.DER {
		out = append(out, derivedFile{pendingWrite: pendingWrite{CADERFile, ca.cert.Raw, certFileMode}})
	}
	for i, leaf := range final[1:] {
		if f.Combined && i == 0 {
			combined := append(slices.Clone(leaf.keyData), certs.EncodePEM("CERTIFICATE", leaf.cert.Raw)...)
			out = append(out, derivedFile{pendingWrite: pendingWrite{ServerCombinedFile, combined, keys.KeyFileMode}})
		}
		if f.P12 {
			out = append(out, derivedFile{pendingWrite: pendingWrite{P12File(leaf.item.Name), nil, keys.KeyFileMode},
				p12: &p12Want{leaf: leaf, ca: ca}})
		}
	}
	return out
}

func (p *Plan) p12Profile() string {
	if p.req.Passphrase == nil {
		return keys.P12Passwordless
	}
	return keys.P12Modern
}

func (p *Plan) encodeP12(w *p12Want) ([]byte, error) {
	return keys.EncodeP12(w.leaf.key, w.leaf.cert, []*x509.Certificate{w.ca.cert}, p.req.Passphrase, p.p12Profile())
}

// sameDerived reports whether old already holds what want holds.
func (p *Plan) sameDerived(old DirFile, want derivedFile, exists bool) (bool, error) {
	switch {
	case !exists:
		return false, nil
	case want.mode == keys.KeyFileMode && old.Mode&0o077 != 0:
		return false, fmt.Errorf("%w (mode %04o)", keys.ErrInsecurePerms, old.Mode)
	case want.p12 == nil:
		return bytes.Equal(old.Data, want.data), nil
	}
	info, err := keys.DescribeP12(old.Data)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrForeignFile, err)
	}
	got, err := keys.DecodeP12(old.Data, p.passphrase)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrForeignFile, err)
	}
	return info.Profile == p.p12Profile() && sameP12Contents(got, want.p12), nil
}

func sameP12Contents(got *keys.P12Contents, want *p12Want) bool {
	return got.Key != nil && keys.PublicKeysEqual(got.Key.Public(), want.leaf.key.Public()) &&
		got.Leaf.Equal(want.leaf.cert) && len(got.Chain) == 1 && got.Chain[0].Equal(want.ca.cert)
}

// derivedManifest names an entry's derived files in the manifest.
func (f Formats) derivedManifest(e *ManifestEntry, index int) {
	switch {
	case index == 0 && f.DER:
		e.DER = CADERFile
	case index == 0:
	case f.P12:
		e.P12 = P12File(e.Name)
	}
	if index == 1 && f.Combined {
		e.Combined = ServerCombinedFile
	}
}
