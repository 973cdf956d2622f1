package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
)

// Named temp files are ".NAME.tmp-PID-RANDOM": the PID of the process that
// writes them, so that a later writer can tell a file orphaned by a killed
// run (its process is gone) from one a concurrent run is writing.
var tempRE = regexp.MustCompile(`^\..+\.tmp-([0-9]+)-[0-9a-f]{16}$`)

// createTemp creates a new temp file for path, mode 0600 until fill sets the
// final mode.
func createTemp(path string) (*os.File, error) {
	var rnd [8]byte
	rand.Read(rnd[:])
	name := "." + filepath.Base(path) + ".tmp-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(rnd[:])
	return os.OpenFile(filepath.Join(filepath.Dir(path), name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// RemoveStaleTemps removes the temp files of this package's naming pattern in
// dir whose writing process no longer exists: what a run killed between
// writing a temp file and renaming it left behind. A file whose process is
// alive (or whose liveness cannot be told) is never touched, nor is anything
// not of the pattern. Failures are ignored: they only leave a stale file.
func RemoveStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := tempRE.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() || !processGone(m[1]) {
			continue
		}
		CrashPoint("remove stale " + e.Name())
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// processGone reports whether no process has the PID pid.
func processGone(pid string) bool {
	n, err := strconv.Atoi(pid)
	if err != nil || n <= 0 || n == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(n, 0), syscall.ESRCH)
}
