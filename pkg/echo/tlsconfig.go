package echo

import (
	"crypto/tls"
	"fmt"
)

// intermediateSuites are the TLS 1.2 suites of Mozilla's intermediate
// profile that crypto/tls implements: ECDHE with AES-GCM or ChaCha20-Poly1305
// only. Go's own default list still includes CBC suites, so it is set
// explicitly. TLS 1.3 suites are not configurable in crypto/tls and are all
// AEAD.
var intermediateSuites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// IntermediateSuites returns the TLS 1.2 cipher suites tlskit offers.
func IntermediateSuites() []uint16 {
	return append([]uint16(nil), intermediateSuites...)
}

// ParseVersion maps "1.2" and "1.3" to TLS version numbers; "" is TLS 1.2.
// Older versions are refused: they have no AEAD suites.
func ParseVersion(s string) (uint16, error) {
	switch s {
	case "", "1.2":
		return tls.VersionTLS12, nil
	case "1.3":
		return tls.VersionTLS13, nil
	}
	return 0, fmt.Errorf("%q: %w (use 1.2 or 1.3)", s, ErrBadVersion)
}

// ProfileName names the TLS profile a minimum version selects.
func ProfileName(minVersion uint16) string {
	if minVersion >= tls.VersionTLS13 {
		return "modern (TLS 1.3)"
	}
	return "intermediate (TLS 1.2, 1.3)"
}

// baseConfig is the part of the TLS configuration shared by server and
// client. CurvePreferences stays nil on purpose: Go's default list puts the
// hybrid post-quantum group X25519MLKEM768 first.
func baseConfig(minVersion uint16, nextProtos []string) *tls.Config {
	if minVersion < tls.VersionTLS12 {
		minVersion = tls.VersionTLS12
	}
	return &tls.Config{
		MinVersion:   minVersion,
		CipherSuites: IntermediateSuites(),
		NextProtos:   append([]string(nil), nextProtos...),
	}
}
