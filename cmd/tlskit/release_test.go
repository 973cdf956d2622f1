package main

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestReleaseScript runs scripts/release.sh for this platform in a clone of
// the working tree, with the quick shared-cache rebuild; .ci/run runs the
// full empty-cache rebuild check.
func TestReleaseScript(t *testing.T) {
	requirePeer(t, "git")
	t.Setenv("TZ", "UTC") // the commit date as release.sh reads it
	clone := cloneHead(t)
	target := runtime.GOOS + "/" + runtime.GOARCH
	out := t.TempDir()
	log := release(t, clone, "TARGETS="+target, "REPRO_CACHE=shared", "v0.0.0-test", out)
	name := "tlskit-v0.0.0-test-" + runtime.GOOS + "-" + runtime.GOARCH
	if !strings.Contains(log, name+" (rebuilt byte-identical)") {
		t.Fatalf("release.sh did not check the rebuild:\n%s", log)
	}
	bin := filepath.Join(out, name)
	checkSums(t, out, name)
	checkStatic(t, bin)
	checkStamp(t, clone, bin)
}

// cloneHead clones the repository at a commit of the working tree as it is
// (git stash create makes one without touching the tree, the index or any
// ref), so the test builds the code and script being changed.
func cloneHead(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	snapshot := git(t, root, "-c", "user.name=tlskit test", "-c", "user.email=test@example.invalid", "stash", "create")
	if snapshot == "" {
		snapshot = "HEAD"
	}
	snapshot = git(t, root, "rev-parse", snapshot)
	clone := filepath.Join(t.TempDir(), "src")
	git(t, "", "clone", "--quiet", "--shared", "--no-checkout", root, clone)
	git(t, clone, "checkout", "--quiet", "--detach", snapshot)
	return clone
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// release runs the script with "VAR=value" settings, then its arguments.
func release(t *testing.T, clone string, args ...string) string {
	t.Helper()
	var env, argv []string
	for _, a := range args {
		if strings.Contains(a, "=") {
			env = append(env, a)
		} else {
			argv = append(argv, a)
		}
	}
	cmd := exec.Command(filepath.Join(clone, "scripts/release.sh"), argv...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("release.sh %v: %v\n%s", argv, err, out)
	}
	return string(out)
}

func checkSums(t *testing.T, dir, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(sum[:]) + "  " + name + "\n"; string(sums) != want {
		t.Errorf("SHA256SUMS is %q, want %q", sums, want)
	}
}

// checkStatic: a Linux binary asks for no dynamic loader.
func checkStatic(t *testing.T, bin string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s is dynamically linked", bin)
		}
	}
}

// checkStamp: version, commit and the commit's date reach version --json and
// the man page header.
func checkStamp(t *testing.T, clone, bin string) {
	t.Helper()
	out, err := exec.Command(bin, "version", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var got buildInfo
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("version --json: %v\n%s", err, out)
	}
	date := git(t, clone, "show", "-s", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "--format=%cd", "HEAD")
	want := buildInfo{Version: "v0.0.0-test", Commit: git(t, clone, "rev-parse", "HEAD"), CommitDate: date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if got != want {
		t.Errorf("version --json: %+v, want %+v", got, want)
	}
	man, err := exec.Command(bin, "man").Output()
	if err != nil {
		t.Fatal(err)
	}
	if head := `.TH TLSKIT 1 "` + date[:10] + `" "tlskit v0.0.0\-test"`; !strings.HasPrefix(string(man), head) {
		t.Errorf("man page starts %q, want %q", strings.SplitN(string(man), "\n", 2)[0], head)
	}
}

// TestReleaseScriptRefuses: a bad version, or uncommitted changes.
func TestReleaseScriptRefuses(t *testing.T) {
	requirePeer(t, "git")
	clone := cloneHead(t)
	for _, tc := range []struct{ version, change, want string }{
		{"1.0", "", "release.sh: give the version as vMAJOR.MINOR.PATCH, e.g. scripts/release.sh v1.0.0\n"},
		{"v1.0.0", "README.md", "release.sh: the work tree has uncommitted changes: commit them, so the binaries match a commit\n"},
	} {
		if tc.change != "" {
			if err := os.WriteFile(filepath.Join(clone, tc.change), []byte("changed\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out := t.TempDir()
		cmd := exec.Command(filepath.Join(clone, "scripts/release.sh"), tc.version, out)
		got, err := cmd.CombinedOutput()
		if err == nil || string(got) != tc.want {
			t.Errorf("release.sh %s: %v, output %q, want %q", tc.version, err, got, tc.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("release.sh %s wrote %d files after refusing", tc.version, len(entries))
		}
	}
}
