package certs

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
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

// maxListed is how many items an error lists: a hostile file of half a
// million blocks, or a certificate of ten thousand names, must not make a
// megabyte-long error line.
const maxListed = 5

// listFew joins the first maxListed items with ", " and says how many more
// there are.
func listFew(items []string) string {
	list := strings.Join(items[:min(len(items), maxListed)], ", ")
	if more := len(items) - maxListed; more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	return list
}

// blockTypes lists the types of blocks for error messages, each once, in
// the order they come, with their count when more than one.
func blockTypes(blocks []*pem.Block) string {
	count := map[string]int{}
	var types []string
	for _, b := range blocks {
		if count[b.Type] == 0 {
			types = append(types, b.Type)
		}
		count[b.Type]++
	}
	for i, t := range types {
		if n := count[t]; n > 1 {
			types[i] = fmt.Sprintf("%s (%d blocks)", t, n)
		}
	}
	return listFew(types)
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

// ReadCertFile reads a file of one or more certificates, PEM or DER;
// errors name the file.
func ReadCertFile(path string) ([]*x509.Certificate, error) {
	return readPEMFile(path, ParseCertificates)
}

// ParseCertificates is ParseCertificatesPEM that also takes DER: one
// certificate, or several concatenated (as openssl x509 -outform DER and
// keytool -exportcert write them).
func ParseCertificates(data []byte) ([]*x509.Certificate, error) {
	certs, err := ParseCertificatesPEM(data)
	if errors.Is(err, ErrNoPEM) && isDER(data) {
		if der, derErr := x509.ParseCertificates(data); derErr == nil && len(der) > 0 {
			return der, nil
		}
	}
	return certs, err
}

// isDER reports whether data starts like a DER SEQUENCE, so that a text file
// that is not PEM keeps its "no PEM data" error.
func isDER(data []byte) bool {
	return len(data) > 0 && data[0] == 0x30
}

// Encode returns der as PEM of blockType, or as it is for DER output.
func Encode(blockType string, der []byte, asDER bool) []byte {
	if asDER {
		return der
	}
	return EncodePEM(blockType, der)
}
