package main

import (
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

// inspectValue picks one value out of an inspected object, a fingerprint or
// a pin ("" when the object has none); what names the objects that have one.
type inspectValue struct {
	get     func(certs.Object) string
	what    string
	fromKey bool // a public key has one (a pin), so a private key's file gets a hint
}

// inspectValueMode reads --fingerprint and --pin, which print one value per
// line for scripts instead of the description; nil without them.
func inspectValueMode(c *cli.Context) (*inspectValue, error) {
	fp, pin := c.String("fingerprint"), c.Bool("pin")
	switch {
	case (c.IsSet("fingerprint") || pin) && c.Bool("json"):
		return nil, usageError("the JSON has sha256, sha1 and spki_pin already", "--json cannot be combined with --fingerprint or --pin")
	case c.IsSet("fingerprint") && pin:
		return nil, usageError("run inspect once for each", "--fingerprint and --pin exclude each other")
	case pin:
		return &inspectValue{func(o certs.Object) string { return o.SPKIPin }, "certificate, request or public key", true}, nil
	case !c.IsSet("fingerprint"):
		return nil, nil
	}
	switch strings.ToLower(fp) {
	case "sha256":
		return certValue(func(s *certs.CertSummary) string { return s.SHA256 }), nil
	case "sha1":
		return certValue(func(s *certs.CertSummary) string { return s.SHA1 }), nil
	}
	return nil, usageError("use --fingerprint sha256 or --fingerprint sha1", "unknown --fingerprint %q", fp)
}

func certValue(get func(*certs.CertSummary) string) *inspectValue {
	return &inspectValue{func(o certs.Object) string {
		if o.Certificate == nil {
			return ""
		}
		return get(o.Certificate)
	}, "certificate", false}
}

// printValues prints each value on its own line, in file order; a file
// without any is an error naming it, so a script never gets a silent blank.
func (e *env) printValues(files []inspectedFile, value *inspectValue) error {
	var lines []string
	for _, f := range files {
		n := len(lines)
		for _, o := range f.Objects {
			if v := value.get(o); v != "" {
				lines = append(lines, v)
			}
		}
		if len(lines) == n {
			err := fmt.Errorf("%s: no %s in it", displayName(f.File), value.what)
			if value.fromKey {
				return withHint(err, privateKeyHint(f))
			}
			return err
		}
	}
	for _, l := range lines {
		fmt.Fprintln(e.stdout, l)
	}
	return nil
}

// privateKeyHint points from a private key to its public key, which has the
// pin.
func privateKeyHint(f inspectedFile) string {
	for _, o := range f.Objects {
		if o.Kind == certs.KindPrivateKey {
			return "the public key has it: tlskit key pub " + f.File + " | tlskit inspect --pin -"
		}
	}
	return ""
}
