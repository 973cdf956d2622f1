package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/urfave/cli/v2"
)

func inspectCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "describe certificates, requests and keys (openssl x509 -text -noout, without the noise)",
		UsageText: "tlskit inspect [--json] FILE... (- reads stdin)",
		ArgsUsage: "FILE...",
		Description: "Recognises certificates (and chains), certificate requests, private keys and PKCS#12 files, PEM or DER.\n" +
			"A PKCS#12 file's algorithms and profile are shown without a password; --passin lists its contents.\n" +
			"Keys are described without being decrypted: type, size, encryption scheme and KDF parameters;\n" +
			"no key material is ever printed and no passphrase is asked for.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print JSON on stdout instead of text"},
			&cli.StringFlag{Name: "fingerprint", Usage: "print only the `HASH` fingerprint of each certificate: sha256 or sha1 (openssl x509 -fingerprint)"},
			&cli.BoolFlag{Name: "pin", Usage: "print only the SPKI pin (sha256//BASE64, for curl --pinnedpubkey) of each certificate, request or public key"},
			&cli.StringFlag{Name: flagPassin, Usage: "password `SRC` of PKCS#12 files, to list what they hold: " + passSourceSyntax},
			&cli.IntFlag{Name: "max-blocks", Value: defaultMaxBlocks, Usage: "describe at most `N` PEM blocks per file (0: all)"},
		},
		Action: func(c *cli.Context) error { return e.inspect(c) },
	}
}

// defaultMaxBlocks bounds what inspect describes of one file: a real bundle
// holds a few dozen certificates, while a hostile 16 MiB file of half a
// million blocks would otherwise print 51 MB.
const defaultMaxBlocks = 100

// inspectedFile is one FILE argument in `inspect --json` output.
type inspectedFile struct {
	File    string         `json:"file"`
	PKCS12  *p12Report     `json:"pkcs12,omitempty"`
	Objects []certs.Object `json:"objects"`
	Omitted int            `json:"omitted_blocks,omitempty"` // PEM blocks past --max-blocks
}

func (e *env) inspect(c *cli.Context) error {
	// --fingerprint first: "--fingerprint FILE" took the file as its value.
	values, err := inspectValueMode(c)
	if err != nil {
		return err
	}
	if !c.Args().Present() {
		return usageError("name a file, or - for stdin", "no file to inspect")
	}
	if c.Int("max-blocks") < 0 {
		return usageError("use --max-blocks 0 to describe every block", "--max-blocks must not be negative")
	}
	p12Pass, err := e.p12InspectPassword(c.String(flagPassin))
	if err != nil {
		return err
	}
	files, errs := e.inspectFiles(c, p12Pass)
	if err := e.printInspection(c, files, values); err != nil {
		return err
	}
	// What could be read is described first; then each file that could
	// not, one error line each (the last is returned: exit 1).
	for _, err := range errs[:max(len(errs)-1, 0)] {
		report(e.stderr, err)
	}
	if len(errs) > 0 {
		return errs[len(errs)-1]
	}
	return nil
}

// inspectFiles reads every FILE argument, going on past one that fails.
func (e *env) inspectFiles(c *cli.Context, p12Pass keys.PassphraseFunc) ([]inspectedFile, []error) {
	now := time.Now()
	var files []inspectedFile
	var errs []error
	for _, name := range c.Args().Slice() {
		f, err := e.inspectFile(name, now, p12Pass, c.Int("max-blocks"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if f.Omitted > 0 {
			noticef(e.stderr, "%s: %d more PEM blocks not described (--max-blocks 0 describes them all)", displayName(name), f.Omitted)
		}
		files = append(files, f)
	}
	return files, errs
}

// printInspection prints the files that could be read, in the output form
// asked for.
func (e *env) printInspection(c *cli.Context, files []inspectedFile, values *inspectValue) error {
	if len(files) == 0 {
		return nil
	}
	if values != nil {
		return e.printValues(files, values)
	}
	if c.Bool("json") {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Files []inspectedFile `json:"files"`
		}{files})
	}
	for i, f := range files {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		printInspected(e.stdout, f)
	}
	return nil
}

func (e *env) inspectFile(name string, now time.Time, p12Pass keys.PassphraseFunc, maxBlocks int) (inspectedFile, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = certs.ReadLimited(e.stdin, "stdin")
	} else {
		data, err = certs.ReadPublicFile(name)
	}
	if err != nil {
		return inspectedFile{}, err
	}
	if keys.IsP12(data) {
		return inspectP12(name, data, now, p12Pass)
	}
	objs, omitted, err := certs.InspectN(data, now, maxBlocks)
	if err != nil {
		return inspectedFile{}, fmt.Errorf("%s: %w", displayName(name), err)
	}
	return inspectedFile{File: name, Objects: objs, Omitted: omitted}, nil
}

func displayName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

func printInspected(w io.Writer, f inspectedFile) {
	if f.PKCS12 != nil {
		printP12(w, f)
	}
	for i, o := range f.Objects {
		title := o.Kind
		if len(f.Objects) > 1 {
			title = fmt.Sprintf("%s (%d of %d)", o.Kind, i+1, len(f.Objects))
		}
		if i > 0 || f.PKCS12 != nil {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s: %s\n", displayName(f.File), title)
		printObject(w, o)
	}
}

func printObject(w io.Writer, o certs.Object) {
	switch {
	case o.Certificate != nil:
		printCert(w, o.Certificate)
	case o.CSR != nil:
		printCSR(w, o.CSR)
	case o.Key != nil:
		printKey(w, o.Key)
	case o.PublicKey != nil:
		field(w, "Key", publicKeyText(*o.PublicKey))
	default:
		field(w, "PEM type", o.PEMType+" (not described by tlskit)")
	}
	if o.SPKIPin != "" {
		field(w, "SPKI pin", o.SPKIPin)
	}
}

func field(w io.Writer, name, value string) {
	fmt.Fprintf(w, "  %-18s%s\n", name+":", value)
}

func printCert(w io.Writer, c *certs.CertSummary) {
	field(w, "Subject", c.Subject)
	field(w, "SANs", namesText(c.SANs))
	issuer := c.Issuer
	if c.SelfIssued {
		issuer += " (self-issued)"
	}
	field(w, "Issuer", issuer)
	field(w, "Valid from", validFromText(c, time.Now()))
	field(w, "Valid until", c.NotAfter.Format(time.DateTime)+" UTC ("+expiryText(c)+")")
	field(w, "Serial", c.Serial)
	field(w, "Key", publicKeyText(c.PublicKey))
	field(w, "Signature", c.SignatureAlgorithm)
	field(w, "CA", caText(c))
	if nc := c.NameConstraints; nc != nil {
		field(w, "Permitted names", listText(nc.Permitted))
		field(w, "Excluded names", listText(nc.Excluded))
	}
	field(w, "Key usage", listText(c.KeyUsage))
	field(w, "Ext key usage", listText(c.ExtKeyUsage))
	if c.SubjectKeyID != "" {
		field(w, "Subject key ID", c.SubjectKeyID)
	}
	if c.AuthorityKeyID != "" {
		field(w, "Authority key ID", c.AuthorityKeyID)
	}
	field(w, "SHA-256", c.SHA256)
	field(w, "SHA-1", c.SHA1)
}

func expiryText(c *certs.CertSummary) string {
	switch d := c.DaysLeft; {
	case d < 0:
		return fmt.Sprintf("expired %s ago", plural(-d, "day"))
	case d == 0:
		return "expires in less than a day"
	default:
		return fmt.Sprintf("expires in %s", plural(d, "day"))
	}
}

// validFromText is the start of validity, and when a certificate that is
// not valid yet becomes valid.
func validFromText(c *certs.CertSummary, now time.Time) string {
	from := c.NotBefore.Format(time.DateTime) + " UTC"
	if !now.Before(c.NotBefore) {
		return from
	}
	if d := certs.DaysLeft(c.NotBefore, now); d > 0 {
		return from + fmt.Sprintf(" (NOT VALID YET: becomes valid in %s)", plural(d, "day"))
	}
	return from + " (NOT VALID YET: becomes valid in less than a day)"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func caText(c *certs.CertSummary) string {
	switch {
	case !c.IsCA:
		return "no"
	case c.MaxPathLen != nil:
		return fmt.Sprintf("yes, path length %d", *c.MaxPathLen)
	}
	return "yes"
}

func printCSR(w io.Writer, r *certs.CSRSummary) {
	field(w, "Subject", r.Subject)
	field(w, "SANs", namesText(r.SANs))
	field(w, "Key", publicKeyText(r.PublicKey))
	sig := r.SignatureAlgorithm + ", valid"
	switch {
	case r.PublicKey.Unsupported:
		sig = r.SignatureAlgorithm + ", not checked: tlskit cannot use the key"
	case !r.SignatureValid:
		sig = r.SignatureAlgorithm + ", INVALID: the request was altered or is corrupted"
	}
	field(w, "Signature", sig)
}

func printKey(w io.Writer, k *certs.KeySummary) {
	field(w, "Format", k.Format)
	if k.Algorithm != "" {
		field(w, "Key", publicKeyText(keys.PublicKeyInfo{Algorithm: k.Algorithm, Bits: k.Bits, Curve: k.Curve}))
	}
	if !k.Encrypted {
		field(w, "Encryption", "none: anyone who can read the file can use the key")
		return
	}
	field(w, "Encryption", k.Cipher)
	if k.KDF != "" {
		field(w, "KDF", kdfText(k))
	}
	if k.Algorithm == "" {
		field(w, "Key", "type and size are encrypted too")
	}
}

func kdfText(k *certs.KeySummary) string {
	parts := []string{k.KDF}
	switch {
	case k.Iterations > 0:
		parts = append(parts, plural(k.Iterations, "iteration"))
	case k.ScryptN > 0:
		parts = append(parts, fmt.Sprintf("N=%d r=%d p=%d", k.ScryptN, k.ScryptR, k.ScryptP))
	}
	if k.SaltLen > 0 {
		parts = append(parts, fmt.Sprintf("%d-byte salt", k.SaltLen))
	}
	return strings.Join(parts, ", ")
}

func publicKeyText(k keys.PublicKeyInfo) string {
	switch {
	case k.Unsupported:
		return k.String() + " (not supported by tlskit)"
	case k.Algorithm == "RSA" && k.Bits > 0:
		return k.String() + " bits"
	}
	return k.String()
}

func namesText(n certs.Names) string { return listText(n.Prefixed()) }

func listText(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
