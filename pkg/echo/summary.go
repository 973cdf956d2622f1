package echo

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"time"
)

// Summary describes an established client connection.
type Summary struct {
	Address      string        `json:"address"`
	ServerName   string        `json:"server_name"`
	Version      string        `json:"version"`
	CipherSuite  string        `json:"cipher"`
	Group        string        `json:"group"`
	ALPN         string        `json:"alpn"`
	Resumed      bool          `json:"resumed"`
	Verified     bool          `json:"verified"`
	Verification string        `json:"verification"`
	Chain        []CertSummary `json:"chain"`
}

// CertSummary describes one certificate of the peer's chain.
type CertSummary struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	DNSNames  []string  `json:"dns_names,omitempty"`
	IPs       []string  `json:"ip_addresses,omitempty"`
	Emails    []string  `json:"emails,omitempty"`
	URIs      []string  `json:"uris,omitempty"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	PEM       string    `json:"pem,omitempty"` // filled in by callers that want the certificate itself
}

// Summarize describes conn, dialled with cfg. When cfg.Insecure skipped
// verification, the chain is verified here only to report what the result
// would have been.
func Summarize(conn *Conn, cfg ClientConfig) Summary {
	cs := conn.ConnectionState()
	s := Summary{
		Address:     conn.RemoteAddr().String(),
		ServerName:  serverName(cfg),
		Version:     tls.VersionName(cs.Version),
		CipherSuite: cipherName(cs.CipherSuite),
		Group:       GroupName(cs.CurveID),
		ALPN:        cs.NegotiatedProtocol,
		Resumed:     cs.DidResume,
	}
	for _, c := range cs.PeerCertificates {
		s.Chain = append(s.Chain, describeCert(c))
	}
	s.Verified, s.Verification = verification(cs, cfg.RootCAs, s.ServerName, cfg.Insecure)
	return s
}

func verification(cs tls.ConnectionState, roots *x509.CertPool, name string, insecure bool) (bool, string) {
	if !insecure {
		return true, "ok"
	}
	err := verifyChain(cs, roots, name)
	if err == nil {
		return false, "skipped (--insecure); the chain would verify"
	}
	return false, "skipped (--insecure); would fail: " + err.Error()
}

func verifyChain(cs tls.ConnectionState, roots *x509.CertPool, name string) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{
		DNSName: name, Roots: roots, Intermediates: inter,
	})
	return err
}

func describeCert(c *x509.Certificate) CertSummary {
	cs := CertSummary{
		Subject:   c.Subject.String(),
		Issuer:    c.Issuer.String(),
		DNSNames:  c.DNSNames,
		Emails:    c.EmailAddresses,
		NotBefore: c.NotBefore.UTC(),
		NotAfter:  c.NotAfter.UTC(),
	}
	for _, ip := range c.IPAddresses {
		cs.IPs = append(cs.IPs, ip.String())
	}
	for _, u := range c.URIs {
		cs.URIs = append(cs.URIs, u.String())
	}
	return cs
}
