package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/urfave/cli/v2"
)

// keyPair loads the server certificate and key from disk, at start and again
// on each reload, with the passphrase asked (or read) only once.
type keyPair struct {
	certFile, keyFile string
	opts              keys.ReadKeyOptions
	// spinner shows the first load's decryption on the terminal; reloads
	// run while the server logs, and show nothing.
	spinner *env
}

func (e *env) newKeyPair(c *cli.Context) (*keyPair, error) {
	keyFile := c.String("key")
	pass, err := e.passinFor(c.String(flagPassin), keyFile)
	if err != nil {
		return nil, err
	}
	return &keyPair{
		spinner:  e,
		certFile: c.String("cert"),
		keyFile:  keyFile,
		opts: keys.ReadKeyOptions{
			Passphrase:         cachePassphrase(pass),
			AllowInsecurePerms: c.Bool(flagAllowInsecure),
		},
	}, nil
}

// load reads both files and checks that the key belongs to the certificate.
func (kp *keyPair) load() (*tls.Certificate, error) {
	chain, err := certs.ReadCertFile(kp.certFile)
	if err != nil {
		return nil, err
	}
	read := keys.ReadKeyFile
	if kp.spinner != nil {
		read, kp.spinner = kp.spinner.readKeyFile, nil
	}
	key, err := read(kp.keyFile, kp.opts)
	if err != nil {
		return nil, keyHints(err, kp.keyFile, "--key takes the private key; the certificate goes in --cert")
	}
	if err := keys.CheckKeyPair(key, chain[0].PublicKey, kp.certFile); err != nil {
		return nil, withHint(fmt.Errorf("%s does not match %s: %w", kp.keyFile, kp.certFile, err),
			"pass the key the certificate was issued for, or the certificate for this key")
	}
	cert := &tls.Certificate{PrivateKey: key, Leaf: chain[0]}
	for _, c := range chain {
		cert.Certificate = append(cert.Certificate, c.Raw)
	}
	return cert, nil
}

// cachePassphrase asks f once: SIGHUP reloads must not prompt again, and a
// source such as stdin can only be read once. The bytes stay in memory only.
func cachePassphrase(f keys.PassphraseFunc) keys.PassphraseFunc {
	var cached []byte
	return func() ([]byte, error) {
		if cached != nil {
			return bytes.Clone(cached), nil
		}
		p, err := f()
		if err != nil {
			return nil, err
		}
		cached = bytes.Clone(p)
		return p, nil
	}
}

// loadCAPool reads the CA certificates in file, all of which must be CAs
// (certs.CheckTrustAnchors); "" means none.
func loadCAPool(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	cas, err := certs.ReadCertFile(file)
	if err != nil {
		return nil, err
	}
	if err := certs.CheckTrustAnchors(cas); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	pool := x509.NewCertPool()
	for _, ca := range cas {
		pool.AddCert(ca)
	}
	return pool, nil
}

// addCerts adds every certificate in file to pool.
func addCerts(pool *x509.CertPool, file string) error {
	cas, err := certs.ReadCertFile(file)
	if err != nil {
		return err
	}
	for _, ca := range cas {
		pool.AddCert(ca)
	}
	return nil
}
