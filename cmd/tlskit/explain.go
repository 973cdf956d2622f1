package main

// Builders of the openssl commands that --explain prints. Each returns one
// shell command line; passphrase sources are shown as the user gave them
// (env:VAR, file:PATH, ...), a literal pass:TEXT as a placeholder, and no
// source at all as nothing, which makes openssl prompt like tlskit does.

import (
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// printExplain writes the openssl equivalent of a command to w (stderr).
func printExplain(w io.Writer, cmds ...string) {
	fmt.Fprintln(w, "tlskit: openssl equivalent:")
	for _, c := range cmds {
		fmt.Fprintln(w, "  "+c)
	}
}

// explainGenkey is genkey: make a key and write it mode 0400, encrypted as
// PKCS#8 PBES2 unless encrypt is false. passout is the --passout spec.
func explainGenkey(spec keys.KeySpec, out string, encrypt bool, passout string, enc keys.Encryption) string {
	gen := "openssl genpkey " + genpkeyArgs(spec)
	if !encrypt {
		return fmt.Sprintf("(umask 377 && %s -out %s)", gen, shQuote(out))
	}
	return fmt.Sprintf("(umask 377 && %s | openssl pkcs8 -topk8 %s -out %s)", gen, pbes2Args(passout, enc), shQuote(out))
}

func iterations(enc keys.Encryption) int {
	if enc.Iterations > 0 {
		return enc.Iterations
	}
	return keys.DefaultIterations
}

func genpkeyArgs(spec keys.KeySpec) string {
	switch strings.ToLower(spec.Algorithm) {
	case "ecdsa", "ec":
		curve := spec.Curve
		if curve == "" {
			curve = "P-256"
		}
		return "-algorithm EC -pkeyopt ec_paramgen_curve:" + curve
	case "ed25519":
		return "-algorithm ED25519"
	}
	bits := spec.Bits
	if bits == 0 {
		bits = 2048
	}
	return fmt.Sprintf("-algorithm RSA -pkeyopt rsa_keygen_bits:%d", bits)
}

// explainCSR is csr: a request for key with subject (openssl syntax) and SANs
// such as "DNS:localhost" or "IP:127.0.0.1".
func explainCSR(key, passin, subject string, sans []string, out string) string {
	return fmt.Sprintf("openssl req -new -key %s%s -subj %s%s -out %s",
		shQuote(key), passArg("-passin", passin), shQuote(subject), sanArg(sans), shQuote(out))
}

// explainSelfsign is selfsign: a self-signed leaf for key.
func explainSelfsign(key, passin, subject string, sans []string, days int, usage certs.Usage, rsaKey bool, out string) string {
	return fmt.Sprintf("openssl req -x509 -new -key %s%s -subj %s -days %d%s"+
		" -addext basicConstraints=critical,CA:FALSE -addext keyUsage=critical,%s -addext extendedKeyUsage=%s -out %s",
		shQuote(key), passArg("-passin", passin), shQuote(subject), days, sanArg(sans),
		leafKeyUsage(rsaKey), extKeyUsage(usage), shQuote(out))
}

// explainCA is ca init's certificate: self-signed, CA:TRUE with the path
// length and name constraints asked for.
func explainCA(key, passin, commonName string, days int, opts certs.CAOptions, out string) string {
	var exts string
	for _, e := range caExtensions(opts) {
		exts += " -addext " + shQuote(e)
	}
	return fmt.Sprintf("openssl req -x509 -new -key %s%s -subj %s -days %d%s -out %s",
		shQuote(key), passArg("-passin", passin), shQuote(caSubject(commonName)), days, exts, shQuote(out))
}

// explainIntermediate is ca init --intermediate's certificate: a request for
// the new key, signed by the issuing CA with the CA extensions.
func explainIntermediate(key, passout, commonName string, days int, opts certs.CAOptions, ca, caKey, passin, out string) string {
	ext := strings.Join(append(caExtensions(opts), "authorityKeyIdentifier=keyid"), `\n`)
	return fmt.Sprintf("openssl req -new -key %s%s -subj %s | openssl x509 -req -CA %s -CAkey %s%s"+
		" -set_serial 0x$(openssl rand -hex 16) -days %d -extfile <(printf '%s\\n') -out %s",
		shQuote(key), passArg("-passin", passout), shQuote(caSubject(commonName)), shQuote(ca), shQuote(caKey),
		passArg("-passin", passin), days, ext, shQuote(out))
}

func caSubject(commonName string) string {
	return certs.FormatSubject(certs.SubjectFields{CommonName: commonName}.RDNs())
}

// caExtensions are a tlskit CA's extensions in openssl's config syntax.
func caExtensions(opts certs.CAOptions) []string {
	exts := []string{
		fmt.Sprintf("basicConstraints=critical,CA:TRUE,pathlen:%d", opts.PathLen),
		"keyUsage=critical,digitalSignature,keyCertSign,cRLSign",
		"subjectKeyIdentifier=hash",
	}
	if nc := opensslConstraints(opts.Constraints); nc != "" {
		exts = append(exts, "nameConstraints=critical,"+nc)
	}
	return exts
}

// opensslConstraints writes name constraints as openssl's config takes them:
// permitted;DNS:test,excluded;IP:0.0.0.0/0.0.0.0 (networks with a netmask).
func opensslConstraints(nc certs.NameConstraints) string {
	var parts []string
	for _, side := range []struct {
		name  string
		trees certs.Subtrees
	}{{"permitted", nc.Permitted}, {"excluded", nc.Excluded}} {
		for _, d := range side.trees.DNS {
			parts = append(parts, side.name+";DNS:"+d)
		}
		for _, n := range side.trees.IPs {
			parts = append(parts, side.name+";IP:"+n.IP.String()+"/"+net.IP(n.Mask).String())
		}
		for _, e := range side.trees.Emails {
			parts = append(parts, side.name+";email:"+e)
		}
		for _, u := range side.trees.URIs {
			parts = append(parts, side.name+";URI:"+u)
		}
	}
	return strings.Join(parts, ",")
}

// explainSign is sign: a leaf for csr issued by the CA with the SANs tlskit
// puts in it (sans) and nothing else of the request. Never
// -copy_extensions copy: that would copy every extension of a hostile
// request (name constraints, CRL and OCSP URLs, any OID) into the
// certificate. The extensions file is given through bash process
// substitution, one shell-quoted line each.
func explainSign(caCert, caKey, passin, csr string, days int, usage certs.Usage, rsaKey bool, sans []string, out string) string {
	ext := []string{"basicConstraints=critical,CA:FALSE", "keyUsage=critical," + leafKeyUsage(rsaKey),
		"extendedKeyUsage=" + extKeyUsage(usage), "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"}
	if len(sans) > 0 {
		ext = append(ext, "subjectAltName="+strings.Join(sans, ","))
	}
	for i, l := range ext {
		ext[i] = shQuote(l)
	}
	return fmt.Sprintf("openssl x509 -req -in %s -CA %s -CAkey %s%s -set_serial 0x$(openssl rand -hex 16)"+
		" -days %d -extfile <(printf '%%s\\n' %s) -out %s",
		shQuote(csr), shQuote(caCert), shQuote(caKey), passArg("-passin", passin), days, strings.Join(ext, " "), shQuote(out))
}

// passArg renders a passphrase option without ever showing a passphrase.
func passArg(flag, spec string) string {
	switch {
	case spec == "":
		return ""
	case strings.HasPrefix(spec, "pass:"):
		return " " + flag + " pass:PASSPHRASE"
	}
	return " " + flag + " " + shQuote(spec)
}

func sanArg(sans []string) string {
	if len(sans) == 0 {
		return ""
	}
	return " -addext " + shQuote("subjectAltName="+strings.Join(sans, ","))
}

func leafKeyUsage(rsaKey bool) string {
	if rsaKey {
		return "digitalSignature,keyEncipherment"
	}
	return "digitalSignature"
}

func extKeyUsage(u certs.Usage) string {
	switch u {
	case certs.UsageServer:
		return "serverAuth"
	case certs.UsageClient:
		return "clientAuth"
	}
	return "serverAuth,clientAuth"
}

var shSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// shQuote quotes s for a POSIX shell when it needs quoting.
func shQuote(s string) string {
	if shSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
