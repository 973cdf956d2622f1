package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/tlskit/tlskit/pkg/pki"
)

// crashScenario is a bootstrap run that is killed at every file step in
// turn: setup makes the directory it starts from.
type crashScenario struct {
	name  string
	setup func(t *testing.T, bin, dir string)
	args  []string
}

var crashBase = []string{"bootstrap", "--host", "localhost", "--client", "ci", "--passout", "pass:crash-test", "--iter", "1000"}

// TestBootstrapCrashAtEveryStep kills bootstrap (SIGKILL, from a binary
// built with the tlskit_crashtest tag) before its first, second, ... file
// step, then reruns it: every rerun must finish with a directory openssl
// verifies, keys matching their certificates, no temp file and no journal.
func TestBootstrapCrashAtEveryStep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs bootstrap a hundred times")
	}
	requireOpenSSL(t)
	bin := buildCrashBinary(t)
	scenarios := []crashScenario{
		{"fresh", func(*testing.T, string, string) {}, nil},
		{"new host and client", fullBootstrap, []string{"--host", "api.test", "--client", "ops"}},
		{"fresh with every format", func(*testing.T, string, string) {}, []string{"--formats", "pem,p12,der,combined"}},
		{"lost key", func(t *testing.T, bin, dir string) {
			fullBootstrap(t, bin, dir)
			must(t, os.Remove(filepath.Join(dir, pki.ServerKeyFile)))
		}, nil},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			steps := crashEveryStep(t, bin, sc)
			t.Logf("%s: killed at each of %d steps, every rerun recovered", sc.name, steps)
		})
	}
}

// crashEveryStep runs the scenario killed after n steps for n = 0, 1, ...
// until a run finishes unkilled, and returns the number of steps.
func crashEveryStep(t *testing.T, bin string, sc crashScenario) int {
	template := filepath.Join(t.TempDir(), "template")
	sc.setup(t, bin, template)
	for n := 0; n < 200; n++ {
		dir := filepath.Join(t.TempDir(), "pki")
		copyDir(t, template, dir)
		args := append(append(slices.Clone(crashBase), "--dir", dir), sc.args...)
		out, err := runCrash(bin, n, args...)
		if err == nil {
			checkConsistent(t, dir)
			return n
		}
		if !killed(err) {
			t.Fatalf("step %d: bootstrap failed without being killed: %v\n%s", n, err, out)
		}
		if rerun, err := runCrash(bin, -1, args...); err != nil {
			t.Fatalf("rerun after a kill at step %d (%s): %v\n%s", n, lastCrashLine(out), err, rerun)
		}
		checkConsistent(t, dir)
	}
	t.Fatal("bootstrap still killed after 200 steps")
	return 0
}

// copyDir copies the files of src, if it exists, with their modes.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	must(t, err)
	must(t, os.Mkdir(dst, 0o700))
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		must(t, err)
		fi, err := e.Info()
		must(t, err)
		must(t, os.WriteFile(filepath.Join(dst, e.Name()), data, fi.Mode().Perm()))
	}
}

func fullBootstrap(t *testing.T, bin, dir string) {
	t.Helper()
	if out, err := runCrash(bin, -1, append(slices.Clone(crashBase), "--dir", dir)...); err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
}

// runCrash runs the crash-test binary, killed before step n+1 (n < 0: never).
func runCrash(bin string, n int, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TLSKIT_CRASH_AFTER=")
	if n >= 0 {
		cmd.Env = append(cmd.Env, "TLSKIT_CRASH_AFTER="+strconv.Itoa(n))
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func killed(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// checkConsistent checks dir with openssl: every certificate verifies
// against ca.crt, every key matches its certificate; and that no temp file
// or journal is left and a further run keeps everything.
func checkConsistent(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	var crts []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".") || name == pki.JournalFile:
			t.Fatalf("%s left in %s", name, dir)
		case strings.HasSuffix(name, ".crt"):
			crts = append(crts, name)
		}
	}
	script := "set -e; cd " + dir + "; openssl verify -CAfile ca.crt " + strings.Join(crts, " ") + " >/dev/null\n"
	for _, c := range crts {
		k := strings.TrimSuffix(c, ".crt") + ".key"
		script += "test \"$(openssl x509 -in " + c + " -noout -pubkey)\" = \"$(openssl pkey -in " + k +
			" -passin pass:crash-test -pubout)\" || { echo " + k + " does not match " + c + "; exit 1; }\n"
	}
	if out, err := exec.Command("sh", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("openssl finds %s inconsistent: %v\n%s", dir, err, out)
	}
}

func buildCrashBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tlskit-crashtest")
	cmd := exec.Command("go", "build", "-tags", "tlskit_crashtest", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the crash-test binary: %v\n%s", err, out)
	}
	return bin
}

func requireOpenSSL(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatal("this test needs openssl")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// lastCrashLine is the step the crash-test binary was killed at.
func lastCrashLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "crashtest: ") {
			return l
		}
	}
	return "no crash line"
}
