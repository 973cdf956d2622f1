package pki

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
)

// certFileMode is the mode of certificates and the manifest: public data.
const certFileMode fs.FileMode = 0o644

// pendingWrite is one file ApplyBootstrap writes.
type pendingWrite struct {
	name string
	data []byte
	mode fs.FileMode
}

// ApplyBootstrap carries out plan in dir (created 0755 if missing, so that
// another user, a web server's, can read the certificates; keys are 0400) and
// returns the manifest of the result. All keys and certificates are made in
// memory first; then files are written atomically, new files without
// overwriting anything. If a write fails, the files written so far are
// removed or restored, so the directory is as it was (and a directory this
// run made is removed). A journal written first and removed last lets the
// next run complete what a killed run left half done.
func ApplyBootstrap(dir string, plan *Plan) (*Manifest, error) {
	writes, final, err := plan.render()
	if err != nil {
		return nil, err
	}
	derived, err := plan.derived(final)
	if err != nil {
		return nil, err
	}
	writes = append(writes, derived...)
	m, err := buildManifest(final, plan.req.Formats)
	if err != nil {
		return nil, err
	}
	mdata, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	if old, ok := plan.state[ManifestFile]; !ok || string(old.Data) != string(mdata) {
		writes = append(writes, pendingWrite{ManifestFile, mdata, certFileMode})
	}
	if len(writes) > 0 {
		err = plan.writeJournaled(dir, writes)
	}
	if _, ok := plan.state[JournalFile]; err == nil && (ok || len(writes) > 0) {
		err = safefile.Remove(filepath.Join(dir, JournalFile))
	}
	return m, err
}

// writeJournaled writes the journal, then every file.
func (p *Plan) writeJournaled(dir string, writes []pendingWrite) error {
	jdata, err := nextJournal(p.journal, p.state, writes)
	if err != nil {
		return err
	}
	removeDirs, err := safefile.MkdirAll(dir, 0o755)
	if err != nil {
		return err
	}
	writes = append([]pendingWrite{{JournalFile, jdata, 0o600}}, writes...)
	if err := p.write(dir, writes); err != nil {
		removeDirs()
		return err
	}
	return nil
}

// issued is a certificate and key as they are after the bootstrap.
type issued struct {
	item    PlanItem
	cert    *x509.Certificate
	key     crypto.Signer
	keyData []byte
}

// render makes every new key and certificate, CA first, and returns the
// files to write and the final state of every item.
func (p *Plan) render() ([]pendingWrite, []issued, error) {
	var writes []pendingWrite
	var final []issued
	var ca issued
	var caKey crypto.Signer
	for i, it := range p.Items {
		res, key, w, err := p.renderItem(it, ca.cert, caKey)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", it.CertFile, err)
		}
		if i == 0 {
			ca, caKey = res, key
		}
		writes = append(writes, w...)
		final = append(final, res)
	}
	return writes, final, nil
}

func (p *Plan) renderItem(it PlanItem, caCert *x509.Certificate, caKey crypto.Signer) (issued, crypto.Signer, []pendingWrite, error) {
	res := issued{item: it, cert: it.cert, key: it.key, keyData: p.state[it.KeyFile].Data}
	if it.Action == ActionKeep {
		return res, it.key, nil, nil
	}
	var writes []pendingWrite
	key := it.key
	if key == nil {
		var err error
		spec := p.req.Key
		if caCert == nil {
			spec = CAKey
		}
		if key, res.keyData, err = p.newKey(spec); err != nil {
			return res, nil, nil, err
		}
		writes = append(writes, pendingWrite{it.KeyFile, res.keyData, keys.KeyFileMode})
	}
	der, err := p.issue(it, key, caCert, caKey)
	if err != nil {
		return res, nil, nil, err
	}
	if res.cert, err = x509.ParseCertificate(der); err != nil {
		return res, nil, nil, err
	}
	writes = append(writes, pendingWrite{it.CertFile, certs.EncodePEM("CERTIFICATE", der), certFileMode})
	res.key = key
	return res, key, writes, nil
}

// CAKey is the key of a new bootstrap CA, whatever the leaves use: ECDSA
// P-256 signs fast and every TLS peer verifies it.
var CAKey = keys.KeySpec{Algorithm: "ecdsa", Curve: "P-256"}

func (p *Plan) newKey(spec keys.KeySpec) (crypto.Signer, []byte, error) {
	key, err := keys.GenerateKey(spec)
	if err != nil {
		return nil, nil, err
	}
	data, err := keys.MarshalKeyPEM(key, p.req.Passphrase, p.req.Encryption)
	return key, data, err
}

// issue makes the certificate of it: the CA when caCert is nil.
func (p *Plan) issue(it PlanItem, key crypto.Signer, caCert *x509.Certificate, caKey crypto.Signer) ([]byte, error) {
	if caCert == nil {
		cn := it.commonName
		if cn == "" {
			cn = "tlskit bootstrap CA " + keyTag(key)
		}
		return certs.CreateCA(key, certs.CAOptions{CommonName: cn, Days: p.req.CADays, Now: p.req.Now,
			Constraints: p.req.caConstraints()})
	}
	subject := certs.SubjectFields{CommonName: it.commonName}.RDNs()
	csrDER, err := certs.CreateCSR(key, subject, it.sans)
	if it.usage == certs.UsageClient {
		csrDER, err = certs.CreateClientCSR(key, subject)
	}
	if err != nil {
		return nil, err
	}
	csr, err := certs.ParseCSRPEM(certs.EncodePEM("CERTIFICATE REQUEST", csrDER))
	if err != nil {
		return nil, err
	}
	return certs.SignCSR(csr, caCert, caKey, certs.LeafOptions{Days: p.req.Days, Usage: it.usage, Now: p.req.Now})
}

// keyTag is a short tag derived from a public key, so that two bootstrap CAs
// never share a subject name.
func keyTag(key crypto.Signer) string {
	der, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return "0"
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:4])
}

// write writes every file, undoing all of them if one fails.
func (p *Plan) write(dir string, writes []pendingWrite) error {
	for i, w := range writes {
		_, existed := p.state[w.name]
		err := safefile.WriteFileAtomic(filepath.Join(dir, w.name), w.data, w.mode, existed)
		if err != nil {
			return errors.Join(err, p.undo(dir, writes[:i]))
		}
	}
	return nil
}

func (p *Plan) undo(dir string, done []pendingWrite) error {
	var errs []error
	for _, w := range done {
		path := filepath.Join(dir, w.name)
		if old, existed := p.state[w.name]; existed {
			errs = append(errs, safefile.WriteFileAtomic(path, old.Data, old.Mode, true))
		} else {
			errs = append(errs, safefile.Remove(path))
		}
	}
	return errors.Join(errs...)
}
