package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// tlskit man writes its manual page in roff from the command tree, so the
// page lists every command and flag the binary has. urfave/cli's ToMan
// mangles synopses through markdown and writes every flag as --name="".

func manCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "man",
		Usage:     "print the manual page (roff)",
		UsageText: "tlskit man | man -l -",
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageError("run 'tlskit man | man -l -'", "unexpected argument %q", c.Args().First())
			}
			writeMan(e.stdout, c.App, currentBuild())
			return nil
		},
	}
}

func writeMan(w io.Writer, app *cli.App, b buildInfo) {
	// The date is YYYY-MM-DD or empty: nothing to escape.
	fmt.Fprintf(w, ".TH TLSKIT 1 \"%s\" %s \"User Commands\"\n", b.day(), roffQuote("tlskit "+b.Version))
	fmt.Fprintf(w, ".SH NAME\ntlskit \\- %s\n", roff(app.Usage))
	fmt.Fprint(w, ".SH SYNOPSIS\n.B tlskit\n.I command\n.RI [ options ]\n.RI [ arguments ]\n.br\n.B tlskit \\-\\-version\n")
	fmt.Fprint(w, ".SH DESCRIPTION\n", roff(manIntro), "\n")
	fmt.Fprint(w, ".SH COMMANDS\n")
	for _, c := range app.Commands {
		writeManCommand(w, c, c.Name)
	}
	writeManExitStatus(w)
	fmt.Fprint(w, manTail)
}

const manIntro = "tlskit makes private keys, certificate requests and certificates, and runs a TLS echo " +
	"server and client: one static binary in place of the openssl command line, with encrypted keys " +
	"written mode 0400, no silent overwrite, and errors that say what to do. " +
	"Options may be given as --name value or --name=value. " +
	"tlskit help COMMAND (or tlskit COMMAND --help) prints the part of this page about COMMAND."

func writeManCommand(w io.Writer, c *cli.Command, path string) {
	if c.Hidden {
		return
	}
	fmt.Fprintf(w, ".SS %s\n.nf\n%s\n.fi\n.PP\n%s\n", roffQuote("tlskit "+path), roff(commandSynopsis(c, path)), roff(c.Usage))
	for _, para := range strings.Split(c.Description, "\n\n") {
		fmt.Fprintf(w, ".PP\n%s\n", roff(para))
	}
	for _, f := range c.Flags {
		if f.Names()[0] == "help" {
			continue
		}
		fmt.Fprintf(w, ".TP\n%s\n%s\n", manFlag(f), roff(flagUsage(f)))
	}
	if len(c.Subcommands) == 0 {
		fmt.Fprintf(w, ".PP\nExit status: %s.\n", joinCodes(exitCodesOf(path)))
	}
	for _, sub := range c.Subcommands {
		writeManCommand(w, sub, path+" "+sub.Name)
	}
}

// commandSynopsis is the command's UsageText, or one made from its parts.
func commandSynopsis(c *cli.Command, path string) string {
	if c.UsageText != "" {
		return c.UsageText
	}
	s := "tlskit " + path
	if len(c.Subcommands) > 0 {
		s += " COMMAND"
	}
	if len(c.Flags) > 0 {
		s += " [options]"
	}
	return strings.TrimSpace(s + " " + c.ArgsUsage)
}

// manFlag is the flag's names in bold and its placeholder in italics.
func manFlag(f cli.Flag) string {
	var names []string
	for _, n := range f.Names() {
		names = append(names, `\fB`+roff(dashes(n)+n)+`\fR`)
	}
	s := strings.Join(names, ", ")
	if ph := flagPlaceholder(f); ph != "" {
		s += ` \fI` + roff(ph) + `\fR`
	}
	return s
}

func writeManExitStatus(w io.Writer) {
	fmt.Fprint(w, ".SH EXIT STATUS\n")
	for _, row := range exitCodeTable {
		fmt.Fprintf(w, ".TP\n.B %d\n%s\n", row.code, roff(row.meaning))
	}
}

func joinCodes(codes []int) string {
	var s []string
	for _, c := range codes {
		s = append(s, fmt.Sprint(c))
	}
	return strings.Join(s, ", ")
}

const manTail = `.SH ENVIRONMENT
tlskit reads no variable of its own.
.TP
.B VAR \fR(any name)
A passphrase source \fBenv:\fIVAR\fR (\fB\-\-passin\fR, \fB\-\-passout\fR) reads the passphrase from
the variable \fIVAR\fR, which keeps it out of the command line that \fBps\fR(1) shows.
.TP
.B SSL_CERT_FILE\fR, \fBSSL_CERT_DIR
On Linux and the BSDs, where \fBtlskit connect\fR and \fBtlskit verify\fR (without \fB\-\-ca\fR) find
the system's trusted CA certificates (Go's crypto/x509 reads them); \fB\-\-ca\fR files are trusted as well.
.SH EXAMPLES
A key, a request and a self\-signed certificate, with the passphrase in a variable:
.PP
.nf
.RS
export KEYPASS=...
tlskit genkey \-\-passout env:KEYPASS
tlskit csr \-\-passin env:KEYPASS \-\-cn localhost
tlskit selfsign \-\-passin env:KEYPASS
.RE
.fi
.PP
An echo server, and a client that checks the echo (exit 5 if it differs):
.PP
.nf
.RS
tlskit serve \-\-passin env:KEYPASS &
tlskit connect \-\-ca server.crt \-\-message hello localhost:4433
.RE
.fi
.PP
A CA, a server certificate and a client certificate for CI, and a look at them:
.PP
.nf
.RS
tlskit bootstrap \-\-dir pki \-\-host localhost,127.0.0.1 \-\-client ci \-\-passout env:KEYPASS
tlskit inspect pki/server.crt
tlskit verify \-\-ca pki/ca.crt \-\-host localhost pki/server.crt
.RE
.fi
.SH SEE ALSO
.BR openssl (1),
.BR openssl\-req (1),
.BR openssl\-x509 (1),
.BR openssl\-s_server (1),
.BR openssl\-s_client (1),
.BR certtool (1),
.BR gnutls\-cli (1)
`

// roff escapes text for a roff line: backslashes, hyphens (so options copy
// as ASCII), and a leading dot or quote that would start a request.
func roff(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// roffQuote is s as one quoted macro argument.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(roff(s), `"`, `\(dq`) + `"`
}
