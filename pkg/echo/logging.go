package echo

import (
	"context"
	"crypto/tls"
	"log/slog"
	"time"
)

// logEnd writes the one line that records a connection: who, what was
// negotiated, how much was echoed, and why it ended.
func (s *Server) logEnd(c *conn, reason string) {
	cs := c.tls.ConnectionState()
	attrs := []slog.Attr{
		slog.String("remote", c.tls.RemoteAddr().String()),
		slog.String("sni", cs.ServerName),
	}
	if cs.HandshakeComplete {
		attrs = append(attrs, negotiated(cs)...)
	}
	attrs = append(attrs,
		slog.Int64("bytes_in", c.in),
		slog.Int64("bytes_out", c.out),
		slog.Duration("duration", time.Since(c.start).Round(time.Millisecond)),
		slog.String("reason", reason))
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "connection closed", attrs...)
}

func negotiated(cs tls.ConnectionState) []slog.Attr {
	attrs := []slog.Attr{
		slog.String("version", tls.VersionName(cs.Version)),
		slog.String("cipher", tls.CipherSuiteName(cs.CipherSuite)),
		slog.String("group", GroupName(cs.CurveID)),
		slog.String("alpn", cs.NegotiatedProtocol),
		slog.Bool("resumed", cs.DidResume),
	}
	if len(cs.PeerCertificates) > 0 {
		attrs = append(attrs, slog.String("client", cs.PeerCertificates[0].Subject.String()))
	}
	return attrs
}

// GroupName names a key-exchange group, or "" when none was used (a TLS 1.2
// resumption, for one).
func GroupName(id tls.CurveID) string {
	if id == 0 {
		return ""
	}
	return id.String()
}
