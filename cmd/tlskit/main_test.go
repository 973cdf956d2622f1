package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"tlskit": func() { os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs every CLI behaviour script in testdata/script.
func TestScripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/script/*.txtar")
	if len(files) == 0 {
		t.Fatal("no scripts in testdata/script")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds:                scriptCmds(),
		Condition:           scriptCondition,
		Setup: func(env *testscript.Env) error {
			env.Setenv("TLSKIT_TEST", "1")
			// CORPUS is the top-level testdata: files made by other tools.
			corpus, err := filepath.Abs("../../testdata")
			if err != nil {
				return err
			}
			env.Setenv("CORPUS", corpus)
			return nil
		},
	})
}

// scriptCondition adds [root] (root writes into a directory of mode 0500)
// and [peers-required]: TLSKIT_REQUIRE_PEERS=1 (CI), where a script must
// fail, not skip, when a peer program is missing.
func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "root":
		return os.Geteuid() == 0, nil
	case "peers-required":
		return os.Getenv("TLSKIT_REQUIRE_PEERS") == "1", nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

func scriptCmds() map[string]func(*testscript.TestScript, bool, []string) {
	cmds := map[string]func(*testscript.TestScript, bool, []string){"status": cmdStatus, "mode": cmdMode}
	for name, f := range serveScriptCmds {
		cmds[name] = f
	}
	return cmds
}

// cmdStatus runs "status N command args..." and fails unless the command
// exits with status N; stdout and stderr stay available to later checks.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("status: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// cmdMode runs "mode PERM FILE" and fails unless FILE's permission bits are PERM (octal).
func cmdMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mode PERM FILE")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil {
		ts.Fatalf("mode: bad permission %q", args[0])
	}
	fi, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if got := fi.Mode().Perm(); (got == os.FileMode(want)) == neg {
		ts.Fatalf("%s has mode %#o, want %s%#o", args[1], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}
