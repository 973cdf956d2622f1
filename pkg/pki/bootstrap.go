package pki

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// File names in a bootstrap directory.
const (
	CACertFile     = "ca.crt"
	CAKeyFile      = "ca.key"
	ServerCertFile = "server.crt"
	ServerKeyFile  = "server.key"
	ManifestFile   = "manifest.json"
)

// ClientFiles returns the certificate and key file names of client name.
func ClientFiles(name string) (cert, key string) {
	return "client-" + name + ".crt", "client-" + name + ".key"
}

var clientNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$`)

// CheckClientName rejects client names that cannot be part of a file name.
func CheckClientName(name string) error {
	if !clientNameRE.MatchString(name) {
		return fmt.Errorf("client name %q: %w: use letters, digits, '.', '_' and '-' (at most 63)", name, certs.ErrInvalidSubject)
	}
	return nil
}

// BootstrapRequest is what a bootstrap directory must hold.
type BootstrapRequest struct {
	Hosts       certs.SANs // DNS names and IPs of the server certificate
	Clients     []string   // one client certificate per name
	Days        int        // validity of new leaf certificates
	CADays      int        // validity of a new CA certificate
	RenewWithin time.Duration
	Passphrase  []byte // encrypts new keys and decrypts existing ones; nil: no encryption
	Encryption  keys.Encryption
	Key         keys.KeySpec // new server and client keys; the CA key is always ECDSA P-256 (CAKey)
	Now         time.Time    // zero means time.Now()
	// Unconstrained leaves the CA without name constraints. By default the
	// CA may issue only for Hosts (certs.HostConstraints), so that trusting
	// it cannot let it vouch for any other site.
	Unconstrained bool
	// Formats are the files derived beside the PEM ones (none by default).
	Formats Formats
}

// caConstraints are the name constraints the CA must have for req.
func (req BootstrapRequest) caConstraints() certs.NameConstraints {
	if req.Unconstrained {
		return certs.NameConstraints{}
	}
	return certs.HostConstraints(req.Hosts)
}

// DirFile is a file found in a bootstrap directory.
type DirFile struct {
	Data []byte
	Mode fs.FileMode
}

// DirState holds the files of a bootstrap directory that bootstrap cares
// about, by name; a missing file has no entry.
type DirState map[string]DirFile

// ReadBootstrapDir reads the files a bootstrap for clients would look at. A
// missing directory is an empty state.
func ReadBootstrapDir(dir string, clients []string) (DirState, error) {
	names := []string{CACertFile, CAKeyFile, ServerCertFile, ServerKeyFile, ManifestFile, JournalFile}
	for _, c := range clients {
		crt, key := ClientFiles(c)
		names = append(names, crt, key)
	}
	names = append(names, derivedNames(clients)...)
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	st := DirState{}
	for _, n := range names {
		p := filepath.Join(dir, n)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: %w: not a regular file", n, ErrForeignFile)
		}
		data, err := certs.ReadPublicFile(p)
		if err != nil {
			return nil, err
		}
		st[n] = DirFile{Data: data, Mode: fi.Mode().Perm()}
	}
	return st, nil
}

// Action is what a bootstrap does with one certificate and its key.
type Action string

const (
	ActionKeep    Action = "keep"    // valid and as requested
	ActionCreate  Action = "create"  // missing: new key and certificate
	ActionReissue Action = "reissue" // new certificate for the existing key
)

// PlanItem is the plan for one certificate and its key.
type PlanItem struct {
	Name     string // "ca", "server" or "client-NAME"
	CertFile string
	KeyFile  string
	Action   Action
	Reason   string // why it is created or reissued; empty when kept

	commonName string
	sans       certs.SANs
	usage      certs.Usage
	cert       *x509.Certificate // the existing certificate, if any
	key        crypto.Signer     // the existing key, if any
	// sameKeyAndName: a CA reissued with its key and name, whose earlier
	// certificates keep verifying under the new one.
	sameKeyAndName bool
}

// KeepsIssued reports whether a reissued CA keeps its key and name, so that
// what it issued before stays valid (clients still need the new ca.crt).
func (it PlanItem) KeepsIssued() bool { return it.sameKeyAndName }

// Plan is the outcome of PlanBootstrap: what exists, what stays, what is
// (re)issued. ApplyBootstrap carries it out.
type Plan struct {
	Items   []PlanItem // CA first, then server, then clients
	req     BootstrapRequest
	state   DirState
	journal *journal // left by an interrupted run; nil if none
}

// Changes reports whether applying the plan (re)issues anything.
func (p *Plan) Changes() bool {
	return slices.ContainsFunc(p.Items, func(it PlanItem) bool { return it.Action != ActionKeep })
}

// PlanBootstrap decides, without writing anything, what a bootstrap of state
// must do to satisfy req. Files that tlskit did not make or that do not fit
// together (a leaf not signed by ca.crt, a key not matching its certificate,
// an unreadable file) are errors wrapping ErrForeignFile: nothing may be
// written then. Existing keys are decrypted with req.Passphrase.
func PlanBootstrap(state DirState, req BootstrapRequest) (*Plan, error) {
	req, err := normalizeRequest(req)
	if err != nil {
		return nil, err
	}
	if err := checkManifest(state); err != nil {
		return nil, err
	}
	j, err := readJournal(state)
	if err != nil {
		return nil, err
	}
	p := &Plan{req: req, state: state, journal: j}
	ca, err := p.planCA()
	if err != nil {
		return nil, err
	}
	p.Items = append(p.Items, ca)
	for _, want := range p.leaves() {
		it, err := p.planLeaf(want, ca)
		if err != nil {
			return nil, err
		}
		p.Items = append(p.Items, it)
	}
	return p, nil
}

func normalizeRequest(req BootstrapRequest) (BootstrapRequest, error) {
	if len(req.Hosts.DNSNames)+len(req.Hosts.IPs) == 0 {
		return req, fmt.Errorf("%w: at least one host name or IP is needed", certs.ErrInvalidSAN)
	}
	if len(req.Hosts.Emails)+len(req.Hosts.URIs) > 0 {
		return req, fmt.Errorf("%w: server hosts are DNS names or IPs, not e-mail addresses or URIs", certs.ErrInvalidSAN)
	}
	if req.Days <= 0 || req.CADays <= 0 {
		return req, fmt.Errorf("%w: days must be positive", certs.ErrInvalidDays)
	}
	clients := slices.Clone(req.Clients)
	slices.Sort(clients)
	req.Clients = slices.Compact(clients)
	for _, c := range req.Clients {
		if err := CheckClientName(c); err != nil {
			return req, err
		}
		if !req.Unconstrained && strings.Contains(c, ".") {
			return req, fmt.Errorf("client name %q: %w: with a dot, openssl takes the name for a host name and checks it "+
				"against the CA's name constraints, which allow only the server's hosts", c, certs.ErrInvalidSubject)
		}
	}
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	return req, nil
}

// leaves lists the leaf certificates req asks for, server first.
func (p *Plan) leaves() []PlanItem {
	items := []PlanItem{{Name: "server", CertFile: ServerCertFile, KeyFile: ServerKeyFile,
		commonName: firstHost(p.req.Hosts), sans: p.req.Hosts, usage: certs.UsageServer}}
	for _, c := range p.req.Clients {
		crt, key := ClientFiles(c)
		items = append(items, PlanItem{Name: "client-" + c, CertFile: crt, KeyFile: key, commonName: c, usage: certs.UsageClient})
	}
	return items
}

func firstHost(h certs.SANs) string {
	if len(h.DNSNames) > 0 {
		return h.DNSNames[0]
	}
	return h.IPs[0].String()
}

func (p *Plan) planCA() (PlanItem, error) {
	it := PlanItem{Name: "ca", CertFile: CACertFile, KeyFile: CAKeyFile}
	_, hasCert := p.state[CACertFile]
	_, hasKey := p.state[CAKeyFile]
	switch {
	case !hasCert && !hasKey:
		return p.create(it), nil
	case !hasCert && p.journal.vouches(p.state, it.KeyFile):
		return p.completeInterrupted(it)
	case !hasCert || !hasKey:
		return it, halfPair(it, hasCert)
	}
	var err error
	if it.cert, err = p.readCert(CACertFile); err != nil {
		return it, err
	}
	if !it.cert.IsCA || it.cert.CheckSignatureFrom(it.cert) != nil {
		return it, fmt.Errorf("%s: %w: not a self-signed CA certificate", CACertFile, ErrForeignFile)
	}
	if it.key, err = p.readKey(CAKeyFile, it.cert); err != nil {
		return it, err
	}
	it.commonName = it.cert.Subject.CommonName
	it = p.renewIfExpiring(it)
	if it.Action == ActionKeep && !sameConstraints(it.cert, p.req.caConstraints()) {
		it.Action, it.Reason, it.sameKeyAndName = ActionReissue, "name constraints changed to "+constraintText(p.req.caConstraints()), true
	}
	return it, nil
}

// sameConstraints compares a certificate's name constraints with want,
// ignoring order.
func sameConstraints(c *x509.Certificate, want certs.NameConstraints) bool {
	have := certs.ConstraintsOf(c)
	return slices.Equal(sortedHosts(have.Permitted.Strings()), sortedHosts(want.Permitted.Strings())) &&
		slices.Equal(sortedHosts(have.Excluded.Strings()), sortedHosts(want.Excluded.Strings()))
}

func constraintText(nc certs.NameConstraints) string {
	if nc.Empty() {
		return "none"
	}
	text := "permitted " + strings.Join(nc.Permitted.Strings(), ",")
	if x := nc.Excluded.Strings(); len(x) > 0 {
		text += ", excluded " + strings.Join(x, ",")
	}
	return text
}

func halfPair(it PlanItem, hasCert bool) error {
	if hasCert {
		return fmt.Errorf("%s exists without %s: %w", it.CertFile, it.KeyFile, ErrForeignFile)
	}
	return fmt.Errorf("%s exists without %s: %w", it.KeyFile, it.CertFile, ErrForeignFile)
}

func (p *Plan) create(it PlanItem) PlanItem {
	it.Action, it.Reason = ActionCreate, "missing"
	return it
}

func (p *Plan) renewIfExpiring(it PlanItem) PlanItem {
	left := it.cert.NotAfter.Sub(p.req.Now)
	switch {
	case left <= 0:
		it.Action, it.Reason = ActionReissue, "expired "+it.cert.NotAfter.UTC().Format(time.DateOnly)
	case left < p.req.RenewWithin:
		it.Action, it.Reason = ActionReissue, "expires "+it.cert.NotAfter.UTC().Format(time.DateOnly)+", within the renewal window"
	default:
		it.Action = ActionKeep
	}
	return it
}

func (p *Plan) planLeaf(it PlanItem, ca PlanItem) (PlanItem, error) {
	_, hasCert := p.state[it.CertFile]
	_, hasKey := p.state[it.KeyFile]
	switch {
	case !hasCert && !hasKey:
		return p.create(it), nil
	case !hasCert && p.journal.vouches(p.state, it.KeyFile):
		return p.completeInterrupted(it)
	case !hasCert:
		return it, halfPair(it, false)
	case ca.cert == nil:
		return it, fmt.Errorf("%s exists but %s does not: %w", it.CertFile, CACertFile, ErrForeignFile)
	}
	var err error
	if it.cert, err = p.readCert(it.CertFile); err != nil {
		return it, err
	}
	if it.cert.CheckSignatureFrom(ca.cert) != nil {
		return it, fmt.Errorf("%s: %w: not signed by %s", it.CertFile, ErrForeignFile, CACertFile)
	}
	if !hasKey {
		it.Action, it.Reason = ActionCreate, it.KeyFile+" missing"
		return it, nil
	}
	if it.key, err = p.readKey(it.KeyFile, it.cert); errors.Is(err, certs.ErrKeyMismatch) && p.journal.vouches(p.state, it.KeyFile) {
		return p.completeInterrupted(it) // the new key was written, its certificate not yet
	}
	if err != nil {
		return it, err
	}
	return p.leafDecision(it, ca), nil
}

// completeInterrupted plans a new certificate for the key an interrupted run
// wrote (the journal vouches for it) before it could write the certificate.
func (p *Plan) completeInterrupted(it PlanItem) (PlanItem, error) {
	key, err := p.decryptKey(it.KeyFile)
	if err != nil {
		return it, err
	}
	it.key, it.cert = key, nil
	it.Action, it.Reason = ActionCreate, "completing an interrupted run: "+it.KeyFile+" was written, "+it.CertFile+" was not"
	return it, nil
}

func (p *Plan) leafDecision(it PlanItem, ca PlanItem) PlanItem {
	if ca.Action != ActionKeep && !ca.sameKeyAndName {
		it.Action, it.Reason = ActionReissue, "the CA is "+string(ca.Action)+"d"
		return it
	}
	if it.usage == certs.UsageServer && !sameHosts(it.cert, it.sans) {
		it.Action, it.Reason = ActionReissue, fmt.Sprintf("hosts changed from %s", strings.Join(certHosts(it.cert), ","))
		return it
	}
	if !hasOnlyUsage(it.cert, it.usage) {
		it.Action, it.Reason = ActionReissue, "extended key usage differs"
		return it
	}
	return p.renewIfExpiring(it)
}

func (p *Plan) readCert(name string) (*x509.Certificate, error) {
	certs, err := certs.ParseCertificatesPEM(p.state[name].Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrForeignFile, err)
	}
	if len(certs) != 1 {
		return nil, fmt.Errorf("%s: %w: holds %d certificates, not 1", name, ErrForeignFile, len(certs))
	}
	return certs[0], nil
}

// readKey decrypts a key with the request's passphrase and checks that it
// belongs to cert.
func (p *Plan) readKey(name string, cert *x509.Certificate) (crypto.Signer, error) {
	key, err := p.decryptKey(name)
	if err != nil {
		return nil, err
	}
	if !keys.PublicKeysEqual(key.Public(), cert.PublicKey) {
		return nil, fmt.Errorf("%s: %w: %w for %s", name, ErrForeignFile, certs.ErrKeyMismatch, certs.DN(cert.RawSubject, cert.Subject))
	}
	return key, nil
}

// decryptKey decrypts a key with the request's passphrase.
func (p *Plan) decryptKey(name string) (crypto.Signer, error) {
	f := p.state[name]
	if f.Mode&0o077 != 0 {
		return nil, fmt.Errorf("%s: %w (mode %04o)", name, keys.ErrInsecurePerms, f.Mode)
	}
	key, err := keys.ParseKeyPEM(f.Data, p.passphrase)
	switch {
	case errors.Is(err, keys.ErrWrongPassphrase) || errors.Is(err, keys.ErrNoPassphrase):
		return nil, fmt.Errorf("%s: %w", name, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w: %w", name, ErrForeignFile, err)
	}
	return key, nil
}

func (p *Plan) passphrase() ([]byte, error) {
	if p.req.Passphrase == nil {
		return nil, keys.ErrNoPassphrase
	}
	return p.req.Passphrase, nil
}

func sameHosts(c *x509.Certificate, want certs.SANs) bool {
	return slices.Equal(sortedHosts(certHosts(c)), sortedHosts(hostStrings(want)))
}

func certHosts(c *x509.Certificate) []string {
	return hostStrings(certs.SANs{DNSNames: c.DNSNames, IPs: c.IPAddresses})
}

func hostStrings(s certs.SANs) []string {
	var out []string
	for _, d := range s.DNSNames {
		out = append(out, strings.ToLower(d))
	}
	for _, ip := range s.IPs {
		out = append(out, ip.String())
	}
	return out
}

func sortedHosts(h []string) []string {
	h = slices.Clone(h)
	slices.Sort(h)
	return slices.Compact(h)
}

func hasOnlyUsage(c *x509.Certificate, u certs.Usage) bool {
	want := map[certs.Usage][]x509.ExtKeyUsage{
		certs.UsageServer: {x509.ExtKeyUsageServerAuth},
		certs.UsageClient: {x509.ExtKeyUsageClientAuth},
		certs.UsageBoth:   {x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}[u]
	got := slices.Clone(c.ExtKeyUsage)
	slices.Sort(got)
	return slices.Equal(got, want)
}
