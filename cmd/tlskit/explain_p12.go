package main

// The openssl (and, for truststores, keytool) equivalents of the p12
// subcommands, for --explain.

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/urfave/cli/v2"
)

// p12ProfileArgs are openssl pkcs12 -export's options for each profile,
// spelled out rather than left to the defaults of one openssl version.
var p12ProfileArgs = map[string]string{
	keys.P12Modern:       "-keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256",
	keys.P12Legacy:       "-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1",
	keys.P12Passwordless: "-keypbe NONE -certpbe NONE -nomac -passout pass:",
}

// explainP12Export is p12 export.
func explainP12Export(c *cli.Context, profile, out string) string {
	chain := ""
	if c.String("chain") != "" {
		chain = " -certfile " + shQuote(c.String("chain"))
	}
	passout := ""
	if profile != keys.P12Passwordless {
		passout = passArg("-passout", c.String("passout"))
	}
	return fmt.Sprintf("(umask 377 && openssl pkcs12 -export -inkey %s%s -in %s%s %s%s -out %s)",
		shQuote(c.String("key")), passArg("-passin", c.String(flagPassin)), shQuote(c.String("cert")), chain,
		p12ProfileArgs[profile], passout, shQuote(out))
}

// explainP12Import is p12 import: one openssl pkcs12 run per output.
// legacy adds -legacy, which openssl 3 needs for RC2.
func explainP12Import(c *cli.Context, legacy bool, in string) []string {
	read := "openssl pkcs12 -in " + shQuote(in)
	if legacy {
		read += " -legacy"
	}
	read += passArg("-passin", c.String(flagPassin))
	toKey := "openssl pkey"
	if !c.Bool("no-encrypt") {
		toKey = "openssl pkcs8 -topk8 " + pbes2Args(c.String("passout"), encryption(c))
	}
	cmds := []string{
		fmt.Sprintf("(umask 377 && %s -nocerts -nodes | %s -out %s)", read, toKey, shQuote(c.String("out-key"))),
		fmt.Sprintf("%s -clcerts -nokeys | openssl x509 -out %s", read, shQuote(c.String("out-cert"))),
	}
	if c.IsSet("out-chain") {
		cmds = append(cmds, fmt.Sprintf("%s -cacerts -nokeys -out %s", read, shQuote(c.String("out-chain"))))
	}
	return cmds
}

// explainTrustStore is p12 truststore as keytool does it: one -importcert
// per file (keytool takes the first certificate of each), aliased by the
// file's name.
func explainTrustStore(files []string, passout, profile, out string) []string {
	opts := map[string]string{
		keys.P12Modern:       "",
		keys.P12Legacy:       " -J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithSHA1AndDESede -J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA1",
		keys.P12Passwordless: " -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE",
	}[profile]
	var cmds []string
	for _, f := range files {
		alias := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		cmds = append(cmds, fmt.Sprintf("keytool -importcert -noprompt%s -storetype PKCS12 -keystore %s%s -alias %s -file %s",
			opts, shQuote(out), storepassArg(passout, profile), shQuote(alias), shQuote(f)))
	}
	return cmds
}

// storepassArg renders a passphrase source in keytool's syntax; stdin and
// fd: have none, so keytool prompts.
func storepassArg(spec, profile string) string {
	kind, arg, _ := strings.Cut(spec, ":")
	switch {
	case profile == keys.P12Passwordless:
		return " -storepass unused" // keytool asks for one even when nothing uses it
	case kind == "pass":
		return " -storepass PASSPHRASE"
	case kind == "env" || kind == "file":
		return " -storepass:" + kind + " " + shQuote(arg)
	}
	return ""
}
