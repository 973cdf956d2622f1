package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// Durations on the command line: Go's syntax (90s, 5m, 1h30m) plus a d
// suffix for days (30d, 1d12h), and shown the same way (5m, 30d), never as
// Go's 720h0m0s. Every duration flag is made by durationFlag; read it with
// c.Duration(name) as usual.

const day = 24 * time.Hour

// maxDays keeps a day count far from time.Duration's limit (~106,751 days).
const maxDays = 100_000

var errDurationSyntax = errors.New("not a duration: write a number and a unit, such as 30s, 5m, 12h or 30d")

// durationFlag is a flag holding a duration, with def shown as 5m or 30d in
// help. usage should name its value `DURATION`.
func durationFlag(name string, def time.Duration, usage string) *cli.GenericFlag {
	return &cli.GenericFlag{Name: name, Value: &durationValue{d: def}, DefaultText: formatDuration(def), Usage: usage}
}

// durationValue is a cli.Generic; String is in Go's syntax so that
// c.Duration reads it back.
type durationValue struct{ d time.Duration }

func (v *durationValue) String() string { return v.d.String() }

func (v *durationValue) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	v.d = d
	return nil
}

// parseDuration reads Go's duration syntax with an optional leading day
// count: "30d", "1d12h", "90s".
func parseDuration(s string) (time.Duration, error) {
	days, rest, hasDays := strings.Cut(s, "d")
	if !hasDays {
		days, rest = "", s
	}
	var total time.Duration
	if hasDays {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil || !isDecimal(days) || n > maxDays || n < -maxDays {
			return 0, errDurationSyntax
		}
		total = time.Duration(n * float64(day))
	}
	if rest == "" && hasDays {
		return total, nil
	}
	d, err := time.ParseDuration(rest)
	if err != nil || (hasDays && strings.HasPrefix(rest, "-")) {
		return 0, errDurationSyntax
	}
	return total + d, nil
}

// isDecimal reports whether s is written like -1.5 or 30 (ParseFloat also
// takes "NaN", "Inf" and hex).
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && strings.Trim(s, "0123456789.") == "" && strings.Count(s, ".") <= 1
}

// formatDuration writes d the way the flags take it: 30d, 1d12h, 5m, 1.5s.
func formatDuration(d time.Duration) string {
	if d < 0 {
		return "-" + formatDuration(-d)
	}
	var s string
	if n := d / day; n > 0 {
		s, d = fmt.Sprintf("%dd", n), d-n*day
	}
	if d == 0 && s != "" {
		return s
	}
	r := d.String() // e.g. 1h0m0s, 5m0s, 1.5s, 0s
	if strings.HasSuffix(r, "m0s") {
		r = strings.TrimSuffix(r, "0s")
	}
	if strings.HasSuffix(r, "h0m") {
		r = strings.TrimSuffix(r, "0m")
	}
	return s + r
}
