package echo

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"net"

	"golang.org/x/crypto/cryptobyte"
)

// A server whose certificate has a key crypto/tls cannot use (RSA-PSS, for
// one: it signs only with the rsa_pss_pss schemes, which Go never offers)
// refuses Go's ClientHello with a bare handshake_failure alert. To say why,
// explainKeyType asks the server again with a TLS 1.2 ClientHello that
// offers those schemes, built here because crypto/tls cannot send it, and
// reads the certificate the server then sends in the clear. Nothing is
// verified or trusted from this exchange: it only names the key type.

// The signature schemes and suites the probe offers: every one in use.
var (
	probeSchemes = []uint16{0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0807, 0x0808,
		0x0403, 0x0503, 0x0603, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203}
	probeSuites = []uint16{0xc02f, 0xc030, 0xc02b, 0xc02c, 0xcca8, 0xcca9, 0xc013, 0xc014,
		0xc009, 0xc00a, 0x009c, 0x009d, 0x002f, 0x0035}
	probeGroups = []uint16{0x001d, 0x0017, 0x0018, 0x0019}
)

// probeLimit bounds what the probe reads from the server.
const probeLimit = 64 << 10

// keyTypeNames names the public key algorithms crypto/x509 cannot use.
var keyTypeNames = map[string]string{
	"1.2.840.113549.1.1.10": "RSA-PSS",
	"1.3.101.113":           "Ed448",
	"1.3.101.110":           "X25519",
	"1.3.101.111":           "X448",
	"1.2.840.10040.4.1":     "DSA",
}

// explainKeyType returns an error naming the server's key type when the
// server's certificate has one crypto/tls cannot use, and nil otherwise.
func explainKeyType(ctx context.Context, addr, serverName string) error {
	leaf, err := probeLeaf(ctx, addr, serverName)
	if err != nil || leaf.PublicKeyAlgorithm != x509.UnknownPublicKeyAlgorithm {
		return nil
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		Key       asn1.BitString
	}
	if _, err := asn1.Unmarshal(leaf.RawSubjectPublicKeyInfo, &spki); err != nil {
		return nil
	}
	oid := spki.Algorithm.Algorithm.String()
	name := keyTypeNames[oid]
	if name == "" {
		name = "OID " + oid
	}
	return fmt.Errorf("the server's certificate %s has an %s key: %w", leaf.Subject.String(), name, ErrUnsupportedKey)
}

// probeLeaf sends the probe's ClientHello and returns the server's leaf.
func probeLeaf(ctx context.Context, addr, serverName string) (*x509.Certificate, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	hello, err := probeHello(serverName)
	if err != nil {
		return nil, err
	}
	if _, err := c.Write(hello); err != nil {
		return nil, err
	}
	der, err := readCertificateMessage(io.LimitReader(c, probeLimit))
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// probeHello is a TLS 1.2 ClientHello record offering probeSchemes.
func probeHello(serverName string) ([]byte, error) {
	random := make([]byte, 32)
	rand.Read(random)
	var b cryptobyte.Builder
	b.AddUint8(22)      // handshake record
	b.AddUint16(0x0301) // record version, as clients send it
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint8(1) // client_hello
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint16(0x0303)
			b.AddBytes(random)
			b.AddUint8(0) // no session id
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { addUint16s(b, probeSuites) })
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { addProbeExtensions(b, serverName) })
		})
	})
	return b.Bytes()
}

func addProbeExtensions(b *cryptobyte.Builder, serverName string) {
	if serverName != "" && net.ParseIP(serverName) == nil {
		addExtension(b, 0, func(b *cryptobyte.Builder) { // server_name
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddUint8(0)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(serverName)) })
			})
		})
	}
	addExtension(b, 10, func(b *cryptobyte.Builder) { // supported_groups
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { addUint16s(b, probeGroups) })
	})
	addExtension(b, 11, func(b *cryptobyte.Builder) { // ec_point_formats: uncompressed
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
	})
	addExtension(b, 13, func(b *cryptobyte.Builder) { // signature_algorithms
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { addUint16s(b, probeSchemes) })
	})
	addExtension(b, 23, func(*cryptobyte.Builder) {})     // extended_master_secret
	addExtension(b, 0xff01, func(b *cryptobyte.Builder) { // renegotiation_info
		b.AddUint8(0)
	})
}

func addExtension(b *cryptobyte.Builder, id uint16, body func(*cryptobyte.Builder)) {
	b.AddUint16(id)
	b.AddUint16LengthPrefixed(body)
}

func addUint16s(b *cryptobyte.Builder, vs []uint16) {
	for _, v := range vs {
		b.AddUint16(v)
	}
}

var errNoCertificate = errors.New("the server sent no certificate")

// readCertificateMessage reads handshake records until the Certificate
// message and returns its first certificate.
func readCertificateMessage(r io.Reader) ([]byte, error) {
	var hs []byte // handshake bytes gathered across records
	for {
		var hdr [5]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return nil, err
		}
		body := make([]byte, int(hdr[3])<<8|int(hdr[4]))
		if _, err := io.ReadFull(r, body); err != nil {
			return nil, err
		}
		if hdr[0] != 22 {
			return nil, errNoCertificate // an alert, most likely
		}
		hs = append(hs, body...)
		if der, done, err := findCertificate(hs); done {
			return der, err
		}
	}
}

// findCertificate looks through complete handshake messages for the
// Certificate message (type 11); done is false while more bytes are needed.
func findCertificate(hs []byte) (der []byte, done bool, err error) {
	s := cryptobyte.String(hs)
	for {
		var typ uint8
		var msg cryptobyte.String
		if !s.ReadUint8(&typ) || !s.ReadUint24LengthPrefixed(&msg) {
			return nil, false, nil
		}
		switch typ {
		case 2: // server_hello: keep going
		case 11:
			var list, first cryptobyte.String
			if !msg.ReadUint24LengthPrefixed(&list) || !list.ReadUint24LengthPrefixed(&first) {
				return nil, true, errNoCertificate
			}
			return first, true, nil
		default:
			return nil, true, errNoCertificate
		}
	}
}
