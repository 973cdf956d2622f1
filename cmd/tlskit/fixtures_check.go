package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tlskit/tlskit/pkg/pki"
	"github.com/urfave/cli/v2"
)

func fixturesCheckCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "run a TLS client command against every fixture case and score its verdicts",
		UsageText: "tlskit fixtures check [--timeout DURATION] [--jobs N] [--json] -- CMD [ARG...]",
		ArgsUsage: "-- CMD [ARG...]",
		Description: `Serves every case (as fixtures serve does) and runs CMD once per case, with
{host} {port} {url} {servername} {ca} {cert} {key} replaced in its arguments.
Exit 0 of CMD means it accepted the server, any other exit that it rejected
it; but exit 126 or 127 (could not run) or running past --timeout is an
error of the check, never a rejection. The client-cert case is skipped when
CMD does not use {cert} and {key}. CMD runs with stdin closed and without a
shell. Prints a table (--json: one JSON object) and exits 0 when every scored
case got its expected verdict, 7 when one did not, 1 when CMD could not be
run for a case. Every case, its verdict and why: the fixtures page of the
documentation.`,
		Flags: []cli.Flag{
			durationFlag("timeout", 10*time.Second, "stop a run of CMD after `DURATION` (an error, not a rejection)"),
			&cli.IntFlag{Name: "jobs", Value: runtime.NumCPU(), DefaultText: "number of CPUs", Usage: "run CMD for `N` cases at a time"},
			&cli.BoolFlag{Name: "json", Usage: "print the results as one JSON object on stdout"},
		},
		Action: func(c *cli.Context) error { return e.fixturesCheck(c) },
		OnUsageError: func(c *cli.Context, err error, sub bool) error {
			// A client's own option read as check's is the likely mistake.
			uerr := e.onUsageError(c, err, sub)
			var ce *cliError
			if errors.As(uerr, &ce) {
				ce.hints = append(ce.hints, "put the client command and its options after --: tlskit fixtures check [options] -- CMD [ARG...]")
			}
			return uerr
		},
	}
}

// checkResult is the outcome of one case.
type checkResult struct {
	Case     string `json:"case"`
	Expected string `json:"expected"`
	Got      string `json:"got"`    // accept, reject, error or skipped
	Result   string `json:"result"` // PASS, FAIL, INFO, SKIP or ERROR
	Exit     int    `json:"exit"`   // CMD's exit status; -1 when it was skipped, timed out or was killed
	Detail   string `json:"detail,omitempty"`
	Output   string `json:"output,omitempty"` // the end of CMD's stdout and stderr
}

type checkReport struct {
	Command []string      `json:"command"`
	Passed  int           `json:"passed"`
	Failed  int           `json:"failed"`
	Errors  int           `json:"errors"`
	Results []checkResult `json:"results"`
}

func (e *env) fixturesCheck(c *cli.Context) error {
	argv := c.Args().Slice()
	if err := checkCheckArgs(c, argv); err != nil {
		return err
	}
	// A signal stops the clients and the servers, and the temporary
	// directory with its keys is still removed: the handler is in place
	// before the directory exists.
	interrupted, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	set, dir, cleanup, err := loadCaseSet("")
	if err != nil {
		return err
	}
	defer cleanup()
	ctx, stop := context.WithCancel(interrupted)
	cs, err := startCases(ctx, set, dir, "127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		stop()
		return err
	}
	report := runChecks(interrupted, cs, argv, c.Duration("timeout"), c.Int("jobs"))
	stop()
	cs.wait()
	if interrupted.Err() != nil {
		return errors.New("interrupted: the check was stopped before every case ran")
	}
	return e.printCheck(report, c.Bool("json"))
}

// checkCheckArgs refuses what would make the check meaningless before any
// case is made or served.
func checkCheckArgs(c *cli.Context, argv []string) error {
	if len(argv) == 0 {
		return usageError("put the client command after --, e.g. tlskit fixtures check -- curl --cacert {ca} {url}",
			"no client command to check")
	}
	if c.Duration("timeout") <= 0 || c.Int("jobs") < 1 {
		return usageError("", "--timeout must be more than 0 and --jobs at least 1")
	}
	if err := checkPlaceholders(argv); err != nil {
		return err
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		return fmt.Errorf("cannot run the client command: %w", err)
	}
	return nil
}

// checkPlaceholders refuses a {word} that is not one of the placeholders:
// passed on as it is, a typo such as {addr} would make the client reject
// every case, the valid ones included. ${word} is left alone (a shell's).
func checkPlaceholders(argv []string) error {
	known := []string{"host", "port", "url", "servername", "ca", "cert", "key"}
	for _, a := range argv {
		for _, m := range rePlaceholder.FindAllStringSubmatch(a, -1) {
			if !slices.Contains(known, m[1]) {
				return usageError("the placeholders are {host} {port} {url} {servername} {ca} {cert} {key}",
					"unknown placeholder {%s} in the client command", m[1])
			}
		}
	}
	return nil
}

var rePlaceholder = regexp.MustCompile(`(?:^|[^$])\{([a-z_]+)\}`)

// runChecks runs argv once per case, jobs at a time, in case order.
func runChecks(ctx context.Context, cs *caseServers, argv []string, timeout time.Duration, jobs int) checkReport {
	report := checkReport{Command: argv, Results: make([]checkResult, len(cs.set.Cases))}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := range cs.set.Cases {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			report.Results[i] = cs.check(ctx, &cs.set.Cases[i], argv, timeout)
		})
	}
	wg.Wait()
	for _, r := range report.Results {
		switch r.Result {
		case "PASS":
			report.Passed++
		case "FAIL":
			report.Failed++
		case "ERROR":
			report.Errors++
		}
	}
	return report
}

// usesClientCert reports whether argv takes a client certificate.
func usesClientCert(argv []string) bool {
	return slices.ContainsFunc(argv, func(a string) bool { return strings.Contains(a, "{cert}") })
}

// check runs argv against one case and judges the verdict.
func (cs *caseServers) check(ctx context.Context, c *pki.Case, argv []string, timeout time.Duration) checkResult {
	r := checkResult{Case: c.Name, Expected: string(c.Verdict), Exit: -1}
	if c.TLS.ClientAuth == pki.RequireClientCA && c.Verdict == pki.Accept && !usesClientCert(argv) {
		r.Got, r.Result, r.Detail = "skipped", "SKIP", "the command does not use {cert} and {key}"
		return r
	}
	out, code, err := runClient(ctx, cs.expand(c, argv), timeout)
	r.Output, r.Exit = out, code
	switch {
	case err != nil:
		r.Got, r.Result, r.Detail = "error", "ERROR", err.Error()
		return r
	case code == 0:
		r.Got = string(pki.Accept)
	default:
		r.Got, r.Detail = string(pki.Reject), "exit "+strconv.Itoa(code)
	}
	r.Result = judge(c.Verdict, r.Got)
	return r
}

func judge(want pki.Verdict, got string) string {
	switch {
	case want == pki.Informational:
		return "INFO"
	case string(want) == got:
		return "PASS"
	}
	return "FAIL"
}

// expand replaces the placeholders in argv for case c. The case that must
// be refused for its client certificate gets one from an untrusted CA.
func (cs *caseServers) expand(c *pki.Case, argv []string) []string {
	_, port, _ := net.SplitHostPort(cs.addrs[c.Name])
	cert, key := pki.ClientCertFile, pki.ClientKeyFile
	if c.TLS.ClientAuth == pki.RequireClientCA && c.Verdict == pki.Reject {
		cert, key = pki.OtherCertFile, pki.OtherKeyFile
	}
	r := strings.NewReplacer("{host}", "127.0.0.1", "{port}", port, "{url}", "https://localhost:"+port+"/",
		"{servername}", "localhost", "{ca}", cs.file(pki.CAFile), "{cert}", cs.file(cert), "{key}", cs.file(key))
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = r.Replace(a)
	}
	return out
}

// errNotRun: the client command could not be run at all.
var errNotRun = errors.New("the command could not run")

// runClient runs argv with stdin closed, bounded by timeout and parent. It returns the
// end of its output and its exit status; an error when it timed out, could
// not start, or exited 126 or 127 (the shell's "cannot execute" and "not
// found").
func runClient(parent context.Context, argv []string, timeout time.Duration) (string, int, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	out := &tailBuffer{max: 2048}
	cmd.Stdout, cmd.Stderr = out, out
	inGroup(cmd)
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	switch {
	case ctx.Err() != nil:
		return out.String(), -1, fmt.Errorf("timed out after %s", timeout)
	case code == 126 || code == 127:
		return out.String(), code, fmt.Errorf("%w (exit %d)", errNotRun, code)
	case code == -1 && err != nil:
		return out.String(), code, fmt.Errorf("%w: %s", errNotRun, err.Error())
	}
	return out.String(), code, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.ToValidUTF8(string(t.b), "?")
}

func (e *env) printCheck(r checkReport, asJSON bool) error {
	if asJSON {
		if err := json.NewEncoder(e.stdout).Encode(r); err != nil {
			return err
		}
	} else {
		printCheckTable(e.stdout, r)
	}
	if err := checkVerdict(r); err != nil {
		return err
	}
	noticef(e.stderr, "the client got all %d scored cases right%s", r.Passed, skippedNote(r))
	return nil
}

// skippedNote names the skipped cases, which a passing run must not hide.
func skippedNote(r checkReport) string {
	var skipped []string
	for _, x := range r.Results {
		if x.Result == "SKIP" {
			skipped = append(skipped, x.Case)
		}
	}
	if len(skipped) == 0 {
		return ""
	}
	return " (skipped: " + strings.Join(skipped, ", ") + ")"
}

func printCheckTable(w io.Writer, r checkReport) {
	fmt.Fprintf(w, "%-22s %-8s %-8s %s\n", "CASE", "EXPECTED", "GOT", "RESULT")
	for _, x := range r.Results {
		line := fmt.Sprintf("%-22s %-8s %-8s %s", x.Case, x.Expected, x.Got, x.Result)
		if x.Result == "SKIP" || x.Result == "ERROR" {
			line += " (" + x.Detail + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// checkVerdict is the exit status: 1 when CMD could not be run for some
// case, 7 when a scored case got the wrong verdict.
func checkVerdict(r checkReport) error {
	var failed, errored []string
	for _, x := range r.Results {
		switch x.Result {
		case "FAIL":
			failed = append(failed, x.Case)
		case "ERROR":
			errored = append(errored, x.Case)
		}
	}
	if len(errored) > 0 {
		return withHint(fmt.Errorf("the client command could not be judged for %d cases: %s", len(errored), strings.Join(errored, ", ")),
			"see the table: a timeout (raise --timeout) or a command that cannot run is an error, not a rejection")
	}
	if len(failed) > 0 {
		return withCode(exitCheck, fmt.Errorf("the client got %d of %d scored cases wrong: %s", len(failed), len(failed)+r.Passed, strings.Join(failed, ", ")))
	}
	return nil
}
