package main

import (
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// How a flag reads in --help, the man page and completion: "--name
// PLACEHOLDER", its usage with the placeholder's backticks removed, and the
// default for flags that take a value (never "(default: false)").

// placeholderByName names the value of flags whose usage has no `WORD`;
// a flag keeps the same placeholder in every command (a test checks).
var placeholderByName = map[string]string{
	"passin": "SRC", "passout": "SRC", "iter": "COUNT", "bits": "BITS", "curve": "CURVE",
	"days": "DAYS", "country": "CODE", "state": "NAME", "locality": "NAME", "org": "NAME",
	"ou": "NAME", "cn": "NAME", "email": "ADDRESS",
}

func init() {
	// urfave/cli's documented hook for rendering flags in help.
	cli.FlagStringer = flagHelp
}

// flagHelp renders one flag for --help: names and placeholder, a tab, usage.
func flagHelp(f cli.Flag) string {
	return flagSynopsis(f) + "\t" + flagUsage(f)
}

// flagSynopsis is "--name PLACEHOLDER" (with ", -a" for aliases).
func flagSynopsis(f cli.Flag) string {
	var names []string
	for _, n := range f.Names() {
		names = append(names, dashes(n)+n)
	}
	s := strings.Join(names, ", ")
	if ph := flagPlaceholder(f); ph != "" {
		s += " " + ph
	}
	return s
}

func dashes(name string) string {
	if len(name) == 1 {
		return "-"
	}
	return "--"
}

// flagUsage is the usage text without backticks, plus "(repeatable)" for
// slice flags and the default value.
func flagUsage(f cli.Flag) string {
	df, ok := f.(cli.DocGenerationFlag)
	if !ok {
		return ""
	}
	usage := strings.ReplaceAll(df.GetUsage(), "`", "")
	if sf, ok := f.(cli.DocGenerationSliceFlag); ok && sf.IsSliceFlag() && !strings.Contains(usage, "repeat") {
		usage += " (repeatable)"
	}
	if d := flagDefault(f); d != "" {
		usage += " (default: " + d + ")"
	}
	return usage
}

// flagPlaceholder is the `WORD` of the usage, else the name's entry in
// placeholderByName, else one by type; "" for flags that take no value.
func flagPlaceholder(f cli.Flag) string {
	df, ok := f.(cli.DocGenerationFlag)
	if !ok || !df.TakesValue() {
		return ""
	}
	if _, after, found := strings.Cut(df.GetUsage(), "`"); found {
		if word, _, closed := strings.Cut(after, "`"); closed {
			return word
		}
	}
	if ph, ok := placeholderByName[f.Names()[0]]; ok {
		return ph
	}
	switch f.(type) {
	case *cli.IntFlag, *cli.Int64Flag, *cli.UintFlag, *cli.Uint64Flag:
		return "N"
	case *cli.DurationFlag:
		return "DURATION"
	}
	return "VALUE"
}

// flagDefault is the default as a user would type it, "" for none.
func flagDefault(f cli.Flag) string {
	switch f := f.(type) {
	case *cli.BoolFlag:
		return ""
	case *cli.DurationFlag:
		if f.DefaultText != "" {
			return f.DefaultText
		}
		return formatDuration(f.Value)
	case *cli.StringSliceFlag:
		if f.DefaultText != "" || f.Value == nil {
			return f.DefaultText
		}
		return strings.Join(f.Value.Value(), ",")
	case cli.DocGenerationFlag:
		return unquoteDefault(f.GetDefaultText())
	}
	return ""
}

// unquoteDefault drops urfave/cli's quotes around a string default unless
// it holds a space.
func unquoteDefault(s string) string {
	if u, err := strconv.Unquote(s); err == nil && !strings.ContainsAny(u, " \t") {
		return u
	}
	return s
}
