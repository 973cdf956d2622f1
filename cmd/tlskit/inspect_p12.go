package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
)

// p12Report is what inspect says about a PKCS#12 file (the "pkcs12" member
// of inspect --json); the certificates it holds follow as objects.
type p12Report struct {
	Profile       string               `json:"profile"` // modern, legacy, passwordless, legacy-rc2, modern-2026 or ""
	ProfileName   string               `json:"profile_name"`
	MAC           string               `json:"mac,omitempty"`
	MACIterations int                  `json:"mac_iterations,omitempty"`
	Encryptions   []keys.P12Encryption `json:"encryptions"`
	ReadBy        string               `json:"read_by,omitempty"`
	NotReadBy     string               `json:"not_read_by,omitempty"`
	Decoded       bool                 `json:"decoded"` // contents listed (password given, or none needed)
	Key           *keys.PublicKeyInfo  `json:"key,omitempty"`
	TrustStore    bool                 `json:"truststore"`
}

// p12InspectPassword is the --passin source, or nil: inspect never prompts.
func (e *env) p12InspectPassword(spec string) (keys.PassphraseFunc, error) {
	if spec == "" {
		return nil, nil
	}
	return e.passinFor(spec, "")
}

// inspectP12 describes a PKCS#12 file, and lists its contents when pass is
// given or the file has no password.
func inspectP12(name string, data []byte, now time.Time, pass keys.PassphraseFunc) (inspectedFile, error) {
	info, err := keys.DescribeP12(data)
	if err != nil {
		return inspectedFile{}, fmt.Errorf("%s: %w", displayName(name), err)
	}
	r := &p12Report{Profile: info.Profile, ProfileName: p12ProfileNames[info.Profile], MAC: info.MAC,
		MACIterations: info.MACIterations, Encryptions: info.Encryptions,
		ReadBy: p12Consumers[info.Profile].reads, NotReadBy: p12Consumers[info.Profile].refuses}
	f := inspectedFile{File: name, PKCS12: r, Objects: []certs.Object{}}
	if pass == nil && info.MAC != "" {
		return f, nil
	}
	contents, err := keys.DecodeP12(data, pass)
	if err != nil {
		return inspectedFile{}, fmt.Errorf("%s: %w", displayName(name), err)
	}
	r.Decoded, r.TrustStore = true, contents.Key == nil
	list := contents.TrustStore
	if contents.Key != nil {
		k := keys.DescribePublicKey(contents.Key.Public())
		r.Key, list = &k, append(append(list, contents.Leaf), contents.Chain...)
	}
	f.Objects, err = certs.Inspect(certsPEM(list), now)
	return f, err
}

func printP12(w io.Writer, f inspectedFile) {
	r := f.PKCS12
	fmt.Fprintf(w, "%s: PKCS#12 file\n", displayName(f.File))
	field(w, "Profile", r.ProfileName)
	if r.MAC == "" {
		field(w, "MAC", "none: nothing protects the file's integrity")
	} else {
		field(w, "MAC", fmt.Sprintf("%s, %s", r.MAC, plural(r.MACIterations, "iteration")))
	}
	for _, enc := range r.Encryptions {
		field(w, "Encryption", fmt.Sprintf("%s: %s, %s", enc.Of, enc.Algorithm, plural(enc.Iterations, "iteration")))
	}
	if r.ReadBy != "" {
		field(w, "Read by", r.ReadBy)
		field(w, "Not read by", r.NotReadBy)
	}
	switch {
	case !r.Decoded:
		field(w, "Contents", "encrypted: pass --passin SRC to list them")
	case r.TrustStore:
		field(w, "Contents", "truststore of "+plural(len(f.Objects), "trusted certificate"))
	default:
		field(w, "Private key", publicKeyText(*r.Key)+" (the first certificate's)")
		field(w, "Contents", "the key and "+plural(len(f.Objects), "certificate"))
	}
}
