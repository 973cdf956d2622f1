package main

import (
	"fmt"
	"strings"
)

// exitCodeTable is the one source of the exit-code table: --help, the man
// page, README.md and docs/cli.md all show it (a test keeps the docs equal to
// exitCodeMarkdown).
var exitCodeTable = []struct {
	code    int
	meaning string
}{
	{exitOK, "success"},
	{exitError, "error: a file is missing, unreadable or not what was expected, a wrong passphrase, an output that exists"},
	{exitUsage, "usage error: an unknown command or flag, a missing, bad or conflicting flag value; nothing was done"},
	{exitConnect, "could not connect (connect: refused, timeout, DNS)"},
	{exitHandshake, "TLS handshake or certificate verification failed (connect, verify)"},
	{exitEcho, "a result differs: a short or different echo (connect --message), a key that does not match (key match)"},
	{exitExpiring, "a certificate expires within --expires-within (verify, connect)"},
	{exitCheck, "fixtures check: a client got a case wrong"},
	{exitCutShort, "the server closed the connection before the input ended (connect; what was not sent is counted on stderr)"},
}

// commandExitCodes lists, for every command that runs (not the groups such
// as ca), the exit codes it can return beyond 0, 1 and 2, which every
// command can. A test fails for a command that is missing here, so each
// one states its own.
var commandExitCodes = map[string][]int{
	"genkey":         nil,
	"key decrypt":    nil,
	"key encrypt":    nil,
	"key passwd":     nil,
	"key convert":    nil,
	"key pub":        nil,
	"key match":      {exitEcho},
	"p12 export":     nil,
	"p12 truststore": nil,
	"p12 import":     nil,
	"bundle":         nil,
	"csr":            nil,
	"selfsign":       nil,
	"serve":          nil,
	"connect":        {exitConnect, exitHandshake, exitEcho, exitExpiring, exitCutShort},
	"ca init":        nil,
	"sign":           nil,
	"bootstrap":      nil,
	"inspect":        nil,
	"verify":         {exitHandshake, exitExpiring},
	"fixtures":       nil,
	"fixtures serve": nil,
	"fixtures check": {exitCheck},
	"completion":     nil,
	"man":            nil,
	"help":           nil,
	"version":        nil,
}

// exitCodesOf returns the exit codes of the command at path ("" is tlskit
// itself, which can return any of them).
func exitCodesOf(path string) []int {
	if path == "" {
		var all []int
		for _, row := range exitCodeTable {
			all = append(all, row.code)
		}
		return all
	}
	return append([]int{exitOK, exitError, exitUsage}, commandExitCodes[path]...)
}

func exitMeaning(code int) string {
	for _, row := range exitCodeTable {
		if row.code == code {
			return row.meaning
		}
	}
	return ""
}

// exitCodeText is the EXIT CODES section of --help (tab-separated for the
// help printer's column alignment).
func exitCodeText(path string) string {
	var b strings.Builder
	for _, code := range exitCodesOf(path) {
		fmt.Fprintf(&b, "\n   %d\t%s", code, exitMeaning(code))
	}
	return b.String()
}

// exitCodeMarkdown is the table README.md and docs/cli.md carry verbatim.
func exitCodeMarkdown() string {
	var b strings.Builder
	b.WriteString("| code | meaning |\n| --- | --- |\n")
	for _, row := range exitCodeTable {
		fmt.Fprintf(&b, "| %d | %s |\n", row.code, row.meaning)
	}
	return b.String()
}
