package main

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"strings"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

type subjectFlag struct{ name, prompt, usage string }

// subjectFlags are the convenience flags for single subject fields, in the
// order openssl req asks for them.
var subjectFlags = []subjectFlag{
	{"country", "Country Name (2 letter code)", "country (C)"},
	{"state", "State or Province Name (full name)", "state or province (ST)"},
	{"locality", "Locality Name (eg, city)", "locality (L)"},
	{"org", "Organization Name (eg, company)", "organization (O)"},
	{"ou", "Organizational Unit Name (eg, section)", "organizational unit (OU)"},
	{"cn", "Common Name (e.g. server FQDN or YOUR name)", "common name (CN), e.g. the server's FQDN"},
	{"email", "Email Address", "email address (emailAddress)"},
}

func csrCommand(e *env) *cli.Command {
	flags := append(keyReadFlags("key", defaultKeyFile),
		&cli.StringFlag{Name: "out", Value: "server.csr", Usage: "write the request to `FILE` (- for stdout)"},
		&cli.StringFlag{Name: "subj", Usage: "`SUBJECT` in openssl syntax, e.g. \"/C=US/O=Acme, Inc./CN=www.example.com\""},
		&cli.StringSliceFlag{Name: "san", Usage: "subject alternative `NAME`: DNS:, IP:, email:, URI: or a bare value (repeatable, comma lists allowed)"},
		&cli.BoolFlag{Name: "force", Usage: "replace an existing output file"},
		outformFlag(),
		explainFlag,
	)
	for _, f := range subjectFlags {
		flags = append(flags, &cli.StringFlag{Name: f.name, Usage: f.usage})
	}
	return &cli.Command{
		Name:      "csr",
		Usage:     "create a certificate signing request (openssl req -new)",
		UsageText: "tlskit csr [--key server.key] [--subj /CN=host | --cn host ...] [--san NAME ...] [--out server.csr]",
		Description: "Without a subject, asks for it field by field on a terminal, like openssl req.\n" +
			"When no --san is given, the Common Name is added as a subject alternative name.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return e.csr(c) },
	}
}

func (e *env) csr(c *cli.Context) error {
	if c.Args().Present() {
		return usageError("the key goes in --key and the output in --out", "unexpected argument %q", c.Args().First())
	}
	if err := notEmpty(c, "key", "out"); err != nil {
		return err
	}
	out := c.String("out")
	asDER, err := e.outform(c, out)
	if err != nil {
		return err
	}
	if err := checkOutput(out, c.Bool("force"), map[string]string{"key": c.String("key")}); err != nil {
		return err
	}
	der, err := e.makeCSR(c)
	if err != nil {
		return err
	}
	req, err := x509.ParseCertificateRequest(der)
	if err != nil {
		return err
	}
	subject, sans := csrNames(req)
	if c.Bool("explain") {
		printExplain(e.stderr, explainCSR(c.String("key"), c.String(flagPassin), subject, sans, out))
	}
	if err := e.writeOutput(out, certs.Encode("CERTIFICATE REQUEST", der, asDER), c.Bool("force")); err != nil {
		return err
	}
	e.describeNewCSR(out, req)
	return nil
}

// describeNewCSR says what was written, and warns when the request names no
// host: a certificate for it would be refused by TLS clients.
func (e *env) describeNewCSR(out string, req *x509.CertificateRequest) {
	_, sans := csrNames(req)
	if out != "-" {
		noticef(e.stderr, "wrote %s (%s; names: %s)", out, certs.DN(req.RawSubject, req.Subject), namesList(sans))
	}
	if len(sans) == 0 {
		warnf(e.stderr, "the request has no subject alternative name (the Common Name %q is not a host name or IP "+
			"address): TLS clients will reject a certificate for it; pass --san to name the host", req.Subject.CommonName)
	}
}

func namesList(sans []string) string {
	if len(sans) == 0 {
		return "none"
	}
	return strings.Join(sans, ", ")
}

// makeCSR gathers the SANs, the key and the subject, and signs the request.
// A subject given in flags is checked before the key is read, so a typo costs
// no passphrase; one that must be asked for is asked after it, as openssl does.
func (e *env) makeCSR(c *cli.Context) ([]byte, error) {
	sans, err := certs.ParseSANs(c.StringSlice("san"))
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("--san: %w", err))
	}
	subject, ask, err := e.flagSubject(c, !sans.Empty())
	if err != nil {
		return nil, err
	}
	key, err := e.loadKey(c, "key")
	if err != nil {
		return nil, err
	}
	if ask {
		if subject, sans, err = e.promptSubject(sans); err != nil {
			return nil, err
		}
	}
	return certs.CreateCSR(key, subject, sans)
}

// flagSubject returns the subject from --subj or the field flags, or ask when
// it is to be asked on the terminal. Without SANs a Common Name is required:
// it is the only name the certificate would carry (the prompt insists on it).
func (e *env) flagSubject(c *cli.Context, haveSANs bool) (rdns pkix.RDNSequence, ask bool, err error) {
	rdns, given, err := parseSubjectFlags(c)
	switch {
	case err != nil:
		return nil, false, err
	case !given && !e.term.Interactive():
		return nil, false, usageError("pass --subj \"/CN=host.example.com\" or --cn host.example.com",
			"no subject given and %s", cannotAsk(e.term, "no terminal to ask on", "--batch forbids asking for one"))
	case given && certs.CommonName(rdns) == "" && !haveSANs:
		return nil, false, withCode(exitUsage, fmt.Errorf("the subject has no Common Name (CN) and no --san was given"),
			"add CN=host.example.com to --subj, or pass --cn or --san")
	}
	return rdns, !given, nil
}

// parseSubjectFlags reads and checks --subj or the field flags; given is
// false when there are none.
func parseSubjectFlags(c *cli.Context) (rdns pkix.RDNSequence, given bool, err error) {
	fields, anyField := subjectFieldFlags(c)
	switch {
	case c.IsSet("subj") && anyField:
		return nil, true, usageError("put every field in --subj, or use only the field flags", "--subj cannot be combined with --cn, --org and the other field flags")
	case c.IsSet("subj"):
		rdns, err = certs.ParseSubject(c.String("subj"))
		if err != nil {
			return nil, true, withCode(exitUsage, fmt.Errorf("--subj: %w", err))
		}
		return rdns, true, nil
	case anyField:
		rdns = fields.RDNs()
		if err := certs.CheckSubject(rdns); err != nil {
			return nil, true, withCode(exitUsage, err)
		}
		return rdns, true, nil
	}
	return nil, false, nil
}

func subjectFieldFlags(c *cli.Context) (certs.SubjectFields, bool) {
	v := make([]string, len(subjectFlags))
	anyField := false
	for i, f := range subjectFlags {
		v[i] = c.String(f.name)
		anyField = anyField || c.IsSet(f.name)
	}
	return fieldsOf(v), anyField
}

// fieldsOf maps values given in subjectFlags order to SubjectFields.
func fieldsOf(v []string) certs.SubjectFields {
	return certs.SubjectFields{Country: v[0], State: v[1], Locality: v[2], Organization: v[3],
		OrganizationalUnit: v[4], CommonName: v[5], Email: v[6]}
}

// promptSubject asks for each field as openssl req does (empty answers are
// skipped, a field is asked again until its answer is acceptable), then for
// the SANs unless --san gave them.
func (e *env) promptSubject(sans certs.SANs) (pkix.RDNSequence, certs.SANs, error) {
	e.term.Tell("enter the subject of the request; leave a field empty to skip it (the Common Name is required)")
	v := make([]string, len(subjectFlags))
	for i, f := range subjectFlags {
		answer, err := e.askField(f, sans.Empty())
		if err != nil {
			return nil, sans, err
		}
		v[i] = answer
	}
	rdns := fieldsOf(v).RDNs()
	if !sans.Empty() {
		return rdns, sans, nil
	}
	sans, err := e.askSANs(certs.CommonName(rdns))
	return rdns, sans, err
}

func (e *env) askField(f subjectFlag, cnIsHost bool) (string, error) {
	prompt := f.prompt
	if f.name == "cn" {
		prompt += " (required)"
	}
	for {
		answer, err := e.term.Input(prompt, "")
		if err != nil {
			return "", err
		}
		answer = strings.TrimSpace(answer)
		problem := fieldProblem(f.name, answer, cnIsHost)
		if problem == "" {
			return answer, nil
		}
		e.term.Tell(problem)
	}
}

// fieldProblem says what is wrong with a prompted subject field, or "".
// cnIsHost: without --san, the Common Name is the host the certificate is
// for, so it must be a host name or IP address.
func fieldProblem(name, v string, cnIsHost bool) string {
	switch {
	case name == "cn" && v == "":
		return "the Common Name is required"
	case name == "cn" && cnIsHost && !isHost(v):
		return "the Common Name must be a host name or IP address, such as www.example.com: TLS clients check it"
	case name == "country" && v != "" && len(v) != 2:
		return "the country must be a 2 letter code, e.g. US"
	case name == "email" && v != "" && !strings.Contains(v, "@"):
		return "an email address needs an @"
	}
	return ""
}

func isHost(v string) bool {
	_, err := parseHosts([]string{v})
	return err == nil && !strings.Contains(v, ",")
}

// askSANs asks for the subject alternative names, offering the Common Name
// (and the loopback addresses for localhost, so that the certificate also
// works with "connect 127.0.0.1:PORT") as the default.
func (e *env) askSANs(cn string) (certs.SANs, error) {
	def := cn
	if strings.EqualFold(cn, "localhost") {
		def += ", 127.0.0.1, ::1"
	}
	for {
		answer, err := e.term.Input("Subject alternative names, comma-separated (DNS names, IP addresses)", def)
		if err != nil {
			return certs.SANs{}, err
		}
		sans, err := certs.ParseSANs([]string{answer})
		if err == nil {
			return sans, nil
		}
		e.term.Tell(err.Error())
	}
}

// csrNames returns a request's subject in openssl's -subj syntax and its
// SANs with openssl's prefixes, for the commands --explain prints.
func csrNames(csr *x509.CertificateRequest) (string, []string) {
	sans := certs.SANs{DNSNames: csr.DNSNames, IPs: csr.IPAddresses, Emails: csr.EmailAddresses, URIs: csr.URIs}
	return certs.FormatSubject(certs.ParseDN(csr.RawSubject, csr.Subject)), sans.Strings()
}
