package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The other direction of the testdata/ corpus: every kind of file tlskit
// writes (keys of each algorithm and KDF, requests and certificates in PEM
// and DER) is read by openssl, GnuTLS certtool, Python cryptography and node.

const peerPass = "peer-pass"

// written is one file tlskit made for the peers to read.
type written struct {
	file   string
	kind   string // "key", "csr" or "crt"
	der    bool
	plain  bool // an unencrypted key
	scrypt bool
}

func writeForPeers(t *testing.T, dir string) []written {
	t.Helper()
	t.Setenv("PEER_PASS", peerPass)
	var out []written
	for _, k := range []struct{ name, alg, curve string }{
		{"rsa", "rsa", ""}, {"p256", "ecdsa", "P-256"}, {"p384", "ecdsa", "P-384"}, {"p521", "ecdsa", "P-521"}, {"ed25519", "ed25519", ""},
	} {
		for _, kdf := range []string{"pbkdf2", "scrypt"} {
			file := filepath.Join(dir, k.name+"-"+kdf+".key")
			args := []string{"genkey", "--algorithm", k.alg, "--passout", "env:PEER_PASS", "--kdf", kdf, "--out", file}
			if kdf == "pbkdf2" {
				args = append(args, "--iter", "1000")
			}
			if k.curve != "" {
				args = append(args, "--curve", k.curve)
			}
			runTlskit(t, args...)
			out = append(out, written{file: file, kind: "key", scrypt: kdf == "scrypt"})
		}
	}
	plain := filepath.Join(dir, "plain.key")
	runTlskit(t, "genkey", "--algorithm", "ecdsa", "--no-encrypt", "--out", plain)
	out = append(out, written{file: plain, kind: "key", plain: true})
	for _, form := range []string{"pem", "der"} {
		csr, crt := filepath.Join(dir, "req."+form), filepath.Join(dir, "self."+form)
		runTlskit(t, "csr", "--key", plain, "--cn", "peer.example.com", "--outform", form, "--out", csr)
		runTlskit(t, "selfsign", "--key", plain, "--csr", csr, "--outform", form, "--out", crt)
		out = append(out, written{file: csr, kind: "csr", der: form == "der"}, written{file: crt, kind: "crt", der: form == "der"})
	}
	runTlskit(t, "ca", "init", "--no-encrypt", "--algorithm", "rsa", "--out-cert", filepath.Join(dir, "ca.der"),
		"--out-key", filepath.Join(dir, "ca.key"), "--outform", "der")
	out = append(out, written{file: filepath.Join(dir, "ca.der"), kind: "crt", der: true})
	return out
}

// peerReaders builds the command each peer reads a file with; nil means the
// peer has no way to read that kind (node has no CSR parser).
var peerReaders = map[string]func(bin string, w written) []string{
	"openssl": func(bin string, w written) []string {
		switch w.kind {
		case "key":
			return []string{bin, "pkey", "-in", w.file, "-passin", "pass:" + peerPass, "-noout"}
		case "csr":
			return append([]string{bin, "req", "-in", w.file, "-noout", "-verify"}, informDER(w, "-inform", "DER")...)
		}
		return append([]string{bin, "x509", "-in", w.file, "-noout"}, informDER(w, "-inform", "DER")...)
	},
	"certtool": func(bin string, w written) []string {
		switch w.kind {
		case "key":
			if w.plain {
				return []string{bin, "-k", "--infile", w.file}
			}
			return []string{bin, "-k", "--infile", w.file, "--password", peerPass}
		case "csr":
			return append([]string{bin, "--crq-info", "--infile", w.file}, informDER(w, "--inder")...)
		}
		return append([]string{bin, "-i", "--infile", w.file}, informDER(w, "--inder")...)
	},
	"python3": func(bin string, w written) []string {
		return []string{bin, "-c", pythonReader, w.kind, w.file, peerPass}
	},
	"node": func(bin string, w written) []string {
		if w.kind == "csr" {
			return nil
		}
		return []string{bin, "-e", nodeReader, w.kind, w.file, peerPass}
	},
}

func informDER(w written, flags ...string) []string {
	if w.der {
		return flags
	}
	return nil
}

const pythonReader = `
import sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization as s
kind, path, password = sys.argv[1:]
data = open(path, "rb").read()
pem = data.startswith(b"-----")
if kind == "key":
    pw = None if b"ENCRYPTED" not in data else password.encode()
    s.load_pem_private_key(data, pw)
elif kind == "csr":
    r = x509.load_pem_x509_csr(data) if pem else x509.load_der_x509_csr(data)
    assert r.is_signature_valid
else:
    (x509.load_pem_x509_certificate if pem else x509.load_der_x509_certificate)(data)
`

const nodeReader = `
const crypto = require("crypto"), fs = require("fs");
const [kind, path, passphrase] = process.argv.slice(1);
const data = fs.readFileSync(path);
if (kind === "key") crypto.createPrivateKey({key: data, passphrase});
else new crypto.X509Certificate(data);
`

// peerCannot lists what a peer is known not to read: GnuTLS has no scrypt
// (RFC 7914) for PKCS#8. The test checks that it still fails, so a GnuTLS
// that learns it shows up here.
func peerCannot(peer string, w written) bool {
	return peer == "certtool" && w.scrypt
}

func TestPeersReadWhatTlskitWrites(t *testing.T) {
	bins := map[string]string{}
	for name := range peerReaders {
		if name == "python3" {
			// Debian's python, where python3-cryptography is installed.
			bins[name] = peer(t, "/usr/bin/python3")
			continue
		}
		bins[name] = peer(t, name)
	}
	files := writeForPeers(t, t.TempDir())
	for name, reader := range peerReaders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, w := range files {
				checkPeerReads(t, name, reader(bins[name], w), w)
			}
		})
	}
}

func checkPeerReads(t *testing.T, name string, argv []string, w written) {
	if argv == nil {
		return
	}
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	switch {
	case peerCannot(name, w) && err == nil:
		t.Errorf("%s now reads %s: drop it from peerCannot and the docs", name, filepath.Base(w.file))
	case !peerCannot(name, w) && err != nil:
		t.Errorf("%s cannot read %s: %v\n%s", name, filepath.Base(w.file), err, strings.TrimSpace(string(out)))
	}
}
