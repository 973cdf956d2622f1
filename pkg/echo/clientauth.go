package echo

import (
	"context"
	"crypto/tls"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// verdictWait bounds how long Dial waits, after a TLS 1.3 handshake in
// which the server asked for a client certificate, for the server to
// accept it (a session ticket or data) or refuse it (an alert). A server
// that sends neither costs this much delay once.
const verdictWait = time.Second

// clientAuth remembers what happened to the client certificate during one
// handshake, and notices session tickets, which a TLS 1.3 server sends only
// once it has accepted the client.
type clientAuth struct {
	certs []tls.Certificate

	mu        sync.Mutex
	requested bool   // the server sent a CertificateRequest
	sent      bool   // and the client answered with a certificate
	onTicket  func() // set while waiting for the verdict
	subject   string // of the certificate sent
	unfit     error  // why the certificate given was not sent
}

// choose is tls.Config.GetClientCertificate: crypto/tls's own choice (the
// first certificate the request allows), noting that a request came.
func (a *clientAuth) choose(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requested = true
	for i := range a.certs {
		if cri.SupportsCertificate(&a.certs[i]) == nil {
			a.sent = true
			if leaf := a.certs[i].Leaf; leaf != nil {
				a.subject = leaf.Subject.String()
			}
			return &a.certs[i], nil
		}
	}
	if len(a.certs) > 0 {
		a.unfit = whyUnfit(cri, &a.certs[0])
	}
	return new(tls.Certificate), nil
}

// whyUnfit says why the server's request rules out cert: most often it
// names the CAs it trusts, and cert is from another.
func whyUnfit(cri *tls.CertificateRequestInfo, cert *tls.Certificate) error {
	leaf := cert.Leaf
	if leaf == nil || len(cri.AcceptableCAs) == 0 {
		return cri.SupportsCertificate(cert)
	}
	var names []string
	for _, raw := range cri.AcceptableCAs {
		var rdn pkix.RDNSequence
		if _, err := asn1.Unmarshal(raw, &rdn); err == nil {
			var n pkix.Name
			n.FillFromRDNSequence(&rdn)
			names = append(names, n.String())
		}
	}
	return unfitError(fmt.Sprintf("the one given (%s, issued by %s) is not from the CAs the server named (%s)",
		leaf.Subject.String(), leaf.Issuer.String(), strings.Join(names, "; ")))
}

// unfitError says why the client certificate given was not sent; it
// counts as ErrClientCertRejected, since the server's request ruled it out.
type unfitError string

func (e unfitError) Error() string        { return string(e) }
func (e unfitError) Is(target error) bool { return target == ErrClientCertRejected }

// Get and Put make clientAuth a tls.ClientSessionCache that keeps nothing:
// Put tells that a session ticket arrived.
func (a *clientAuth) Get(string) (*tls.ClientSessionState, bool) { return nil, false }

func (a *clientAuth) Put(string, *tls.ClientSessionState) {
	a.mu.Lock()
	f := a.onTicket
	a.mu.Unlock()
	if f != nil {
		f()
	}
}

func (a *clientAuth) setOnTicket(f func()) {
	a.mu.Lock()
	a.onTicket = f
	a.mu.Unlock()
}

func (a *clientAuth) state() (requested, sent bool, subject string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.requested, a.sent, a.subject
}

func (a *clientAuth) whyNotSent() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.unfit
}

// explain adds what became of the client certificate to an alert from the
// server; other errors pass unchanged.
func (a *clientAuth) explain(err error) error {
	requested, sent, subject := a.state()
	if !requested || !isAlert(err) {
		return err
	}
	if !sent {
		if why := a.whyNotSent(); why != nil {
			return fmt.Errorf("%w: %w (%w)", ErrClientCertRequired, why, err)
		}
		return fmt.Errorf("%w (%w)", ErrClientCertRequired, err)
	}
	return fmt.Errorf("%w %s (%w)", ErrClientCertRejected, subject, err)
}

// isAlert tells an alert received from the peer: crypto/tls reports those as
// a net.OpError with Op "remote error".
func isAlert(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "remote error"
}

// awaitVerdict waits, after a TLS 1.3 handshake in which the server asked
// for a client certificate, until the server accepts or refuses it. Bytes
// the server sends meanwhile are kept for Read.
func (c *Conn) awaitVerdict(ctx context.Context) error {
	requested, _, _ := c.auth.state()
	if !requested || c.ConnectionState().Version < tls.VersionTLS13 {
		return nil
	}
	deadline := time.Now().Add(verdictWait)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.SetReadDeadline(deadline)
	c.auth.setOnTicket(func() { c.NetConn().SetReadDeadline(time.Now()) })
	defer func() {
		c.auth.setOnTicket(nil)
		c.SetReadDeadline(time.Time{})
	}()
	buf := make([]byte, 512)
	n, err := c.Conn.Read(buf)
	c.early = buf[:n]
	if err == nil || isTimeout(err) || !isAlert(err) {
		// Accepted, or silent until the deadline, or closed: what follows
		// reads that end again.
		return nil
	}
	return c.auth.explain(err)
}
