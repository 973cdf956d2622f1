package echo

import (
	"context"
	"crypto/tls"
	"log/slog"
	"time"
)

// endAttrs is the most attributes a connection's end line carries.
const endAttrs = 12

// logEnd writes the one line that records a connection: who, what was
// negotiated, how much was echoed, and why it ended. It runs once per
// connection, so it skips the work when the line would be dropped and
// gathers the attributes without growing a slice.
func (s *Server) logEnd(c *conn, reason string) {
	ctx := context.Background()
	if !s.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	cs := c.tls.ConnectionState()
	var buf [endAttrs]slog.Attr
	attrs := append(buf[:0],
		slog.String("remote", c.tls.RemoteAddr().String()),
		slog.String("sni", cs.ServerName))
	if cs.HandshakeComplete {
		attrs = appendNegotiated(attrs, &cs)
	}
	attrs = append(attrs,
		slog.Int64("bytes_in", c.in),
		slog.Int64("bytes_out", c.out),
		slog.Duration("duration", time.Since(c.start).Round(time.Millisecond)),
		slog.String("reason", reason))
	s.log.LogAttrs(ctx, slog.LevelInfo, "connection closed", attrs...)
}

func appendNegotiated(attrs []slog.Attr, cs *tls.ConnectionState) []slog.Attr {
	attrs = append(attrs,
		slog.String("version", tls.VersionName(cs.Version)),
		slog.String("cipher", cipherName(cs.CipherSuite)),
		slog.String("group", GroupName(cs.CurveID)),
		slog.String("alpn", cs.NegotiatedProtocol),
		slog.Bool("resumed", cs.DidResume))
	if len(cs.PeerCertificates) > 0 {
		attrs = append(attrs, slog.String("client", cs.PeerCertificates[0].Subject.String()))
	}
	return attrs
}

// cipherNames is built once: tls.CipherSuiteName builds the list of every
// suite on each call, which would be a per-connection allocation.
var cipherNames = func() map[uint16]string {
	m := make(map[uint16]string)
	for _, list := range [][]*tls.CipherSuite{tls.CipherSuites(), tls.InsecureCipherSuites()} {
		for _, cs := range list {
			m[cs.ID] = cs.Name
		}
	}
	return m
}()

// cipherName names a cipher suite as tls.CipherSuiteName does.
func cipherName(id uint16) string {
	if name, ok := cipherNames[id]; ok {
		return name
	}
	return tls.CipherSuiteName(id)
}

// GroupName names a key-exchange group, or "" when none was used (a TLS 1.2
// resumption, for one).
func GroupName(id tls.CurveID) string {
	if id == 0 {
		return ""
	}
	return id.String()
}
