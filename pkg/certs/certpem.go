package certs

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"strings"

	"github.com/tlskit/tlskit/pkg/safefile"
)

// ReadPublicFile reads a certificate, chain or request file; a directory fails
// as an *fs.PathError and a file over 16 MiB with safefile.ErrTooLarge.
func ReadPublicFile(path string) ([]byte, error) {
	return safefile.ReadFile(path, safefile.MaxPublicFile, publicWhat)
}

// ReadLimited reads r, named name in errors, to its end; more than 16 MiB
// fails with safefile.ErrTooLarge.
func ReadLimited(r io.Reader, name string) ([]byte, error) {
	return safefile.ReadLimit(r, name, safefile.MaxPublicFile, publicWhat)
}

const publicWhat = "a certificate, request or key"

// readPEMFile reads a certificate or request file and decodes it with parse;
// errors name the file.
func readPEMFile[T any](path string, parse func([]byte) (T, error)) (T, error) {
	var zero T
	data, err := ReadPublicFile(path)
	if err != nil {
		return zero, err
	}
	v, err := parse(data)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// EncodePEM wraps der in a PEM block of the given type.
func EncodePEM(blockType string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
}

// decodePEMBlocks returns every PEM block in data. It fails with ErrNoPEM
// when there is none, and with ErrMalformed when a block that begins is
// truncated or not valid base64 (pem.Decode silently skips those).
func decodePEMBlocks(data []byte) ([]*pem.Block, error) {
	var blocks []*pem.Block
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		blocks = append(blocks, b)
	}
	begins := bytes.Count(data, []byte("-----BEGIN "))
	switch {
	case begins > len(blocks):
		return nil, fmt.Errorf("%w: truncated or corrupted PEM block", ErrMalformed)
	case len(blocks) == 0:
		return nil, ErrNoPEM
	}
	return blocks, nil
}

// blockTypes lists the types of blocks for error messages.
func blockTypes(blocks []*pem.Block) string {
	types := make([]string, len(blocks))
	for i, b := range blocks {
		types[i] = b.Type
	}
	return strings.Join(types, ", ")
}

// ParseCertificatesPEM decodes every CERTIFICATE block, in order. Other
// blocks (a private key in a combined file) are ignored, but a file holding
// no certificate at all fails with ErrNotCertificate naming what it holds.
func ParseCertificatesPEM(data []byte) ([]*x509.Certificate, error) {
	blocks, err := decodePEMBlocks(data)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	for _, b := range blocks {
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: certificate %d: %s", ErrMalformed, len(certs)+1, err.Error())
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w (found %s)", ErrNotCertificate, blockTypes(blocks))
	}
	return certs, nil
}

// ReadCertFile reads a PEM file of one or more certificates; errors name the file.
func ReadCertFile(path string) ([]*x509.Certificate, error) {
	return readPEMFile(path, ParseCertificatesPEM)
}
