package pki

import (
	"crypto"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
)

// The files of a case directory besides NAME.crt (the chain the case's
// server sends, leaf first) and NAME.key for every case.
const (
	CAFile          = "ca.crt"
	ClientCertFile  = "client.crt"
	ClientKeyFile   = "client.key"
	OtherCertFile   = "other-client.crt"
	OtherKeyFile    = "other-client.key"
	caseDirReadme   = "README"
	caseDirReadmeIs = "Fixture cases made by tlskit fixtures serve; see docs/fixtures.md.\n" +
		"The keys are unencrypted test material: never use them outside tests.\n"
)

// WriteCaseDir writes set into dir, which must not hold any of its files.
// Keys are unencrypted (test material) with mode 0400. If a write fails, the
// files written so far and a directory it made are removed.
func WriteCaseDir(dir string, set *CaseSet) error {
	files, err := caseDirFiles(set)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := safefile.CheckOutputPath(filepath.Join(dir, f.name), false); err != nil {
			return err
		}
	}
	removeDirs, err := safefile.MkdirAll(dir, 0o755)
	if err != nil {
		return err
	}
	for i, f := range files {
		if err := safefile.WriteFileAtomic(filepath.Join(dir, f.name), f.data, f.mode, false); err != nil {
			for _, done := range files[:i] {
				safefile.Remove(filepath.Join(dir, done.name))
			}
			removeDirs()
			return err
		}
	}
	return nil
}

type caseDirFile struct {
	name string
	data []byte
	mode os.FileMode
}

func caseDirFiles(set *CaseSet) ([]caseDirFile, error) {
	files := []caseDirFile{{CAFile, certs.EncodePEM("CERTIFICATE", set.CA.Raw), 0o644},
		{caseDirReadme, []byte(caseDirReadmeIs), 0o644}}
	pairs := []filePair{
		{ClientCertFile, ClientKeyFile, [][]byte{set.Client.Cert.Raw}, set.Client.Key},
		{OtherCertFile, OtherKeyFile, [][]byte{set.OtherClient.Cert.Raw}, set.OtherClient.Key},
	}
	for _, c := range set.Cases {
		pairs = append(pairs, filePair{c.CertFile(), c.KeyFile(), c.Chain, c.Key})
	}
	for _, p := range pairs {
		keyPEM, err := keys.MarshalKeyPEM(p.signer, nil, keys.Encryption{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.key, err)
		}
		files = append(files, caseDirFile{p.cert, chainPEM(p.chain), 0o644}, caseDirFile{p.key, keyPEM, keys.KeyFileMode})
	}
	return files, nil
}

// filePair is a certificate chain and its key, with their file names.
type filePair struct {
	cert, key string
	chain     [][]byte
	signer    crypto.Signer
}

// chainPEM encodes DER certificates as one PEM file, in order.
func chainPEM(chain [][]byte) []byte {
	var pem []byte
	for _, der := range chain {
		pem = append(pem, certs.EncodePEM("CERTIFICATE", der)...)
	}
	return pem
}

// ReadCaseDir reads a directory written by WriteCaseDir. Verdicts and TLS
// settings come from this package's case table, not from the files. A case
// that must be accepted but whose certificate is no longer valid at now is
// ErrStaleFixtures.
func ReadCaseDir(dir string, now time.Time) (*CaseSet, error) {
	set, err := readCaseDir(dir, now)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is not a complete set of fixture cases (made by another command, or an older tlskit): %w", dir, err)
	}
	return set, err
}

func readCaseDir(dir string, now time.Time) (*CaseSet, error) {
	ca, err := certs.ReadCertFile(filepath.Join(dir, CAFile))
	if err != nil {
		return nil, err
	}
	set := &CaseSet{CA: ca[0]}
	if set.Client, err = readPair(dir, ClientCertFile, ClientKeyFile); err != nil {
		return nil, err
	}
	if set.OtherClient, err = readPair(dir, OtherCertFile, OtherKeyFile); err != nil {
		return nil, err
	}
	for _, spec := range caseSpecs() {
		c, err := readCase(dir, spec, now)
		if err != nil {
			return nil, err
		}
		set.Cases = append(set.Cases, c)
	}
	return set, nil
}

func readCase(dir string, spec caseSpec, now time.Time) (Case, error) {
	chain, err := certs.ReadCertFile(filepath.Join(dir, spec.name+".crt"))
	if err != nil {
		return Case{}, err
	}
	key, err := keys.ReadKeyFile(filepath.Join(dir, spec.name+".key"), keys.ReadKeyOptions{})
	if err != nil {
		return Case{}, err
	}
	if spec.verdict == Accept && !now.Before(chain[0].NotAfter) {
		return Case{}, fmt.Errorf("%w: %s expired on %s", ErrStaleFixtures,
			filepath.Join(dir, spec.name+".crt"), chain[0].NotAfter.UTC().Format(time.DateOnly))
	}
	c := Case{Name: spec.name, Verdict: spec.verdict, Why: spec.why, Key: key, TLS: spec.tls}
	for _, cert := range chain {
		c.Chain = append(c.Chain, cert.Raw)
	}
	return c, nil
}

func readPair(dir, certName, keyName string) (ClientCert, error) {
	cert, err := certs.ReadCertFile(filepath.Join(dir, certName))
	if err != nil {
		return ClientCert{}, err
	}
	key, err := keys.ReadKeyFile(filepath.Join(dir, keyName), keys.ReadKeyOptions{})
	return ClientCert{Cert: cert[0], Key: key}, err
}

// HasCaseDir reports whether dir already holds a case set (its ca.crt).
func HasCaseDir(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, CAFile))
	return err == nil
}

// CertFile and KeyFile name a case's files in a case directory.
func (c *Case) CertFile() string { return c.Name + ".crt" }
func (c *Case) KeyFile() string  { return c.Name + ".key" }
