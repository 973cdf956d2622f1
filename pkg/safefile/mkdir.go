package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// MkdirAll makes dir and any missing parents with mode perm, like
// os.MkdirAll, and returns undo, which removes the directories it made,
// deepest first, as long as they are empty: a command that fails on its
// first file then leaves no empty directory behind.
func MkdirAll(dir string, perm os.FileMode) (undo func(), err error) {
	missing := missingDirs(dir) // deepest first
	undo = func() {
		for _, d := range missing {
			CrashPoint("rmdir " + d)
			os.Remove(d) // fails, harmlessly, on a directory that holds a file or was not made
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		CrashPoint("mkdir " + missing[i])
		if err := os.Mkdir(missing[i], perm); err != nil && !errors.Is(err, fs.ErrExist) {
			undo()
			return func() {}, err
		}
	}
	return undo, nil
}

func missingDirs(dir string) []string {
	var missing []string
	for d := filepath.Clean(dir); d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, d)
	}
	return missing
}

// Remove removes path and syncs its directory, so the removal is durable.
func Remove(path string) error {
	CrashPoint("remove " + path)
	if err := os.Remove(path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// CheckDirUsable fails, naming dir, when files cannot be written into dir:
// it is not a directory or not writable by this process, or, if it is
// missing, the nearest existing directory it would be made in is not a
// directory or not writable. Commands that write into a directory call it
// before prompts or slow work.
func CheckDirUsable(dir string) error {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		switch {
		case err == nil && !fi.IsDir():
			return &fs.PathError{Op: "create", Path: dir, Err: syscall.ENOTDIR}
		case err == nil:
			if err := unix.Access(d, unix.W_OK|unix.X_OK); err != nil {
				return &fs.PathError{Op: "create", Path: dir, Err: err}
			}
			return nil
		case !errors.Is(err, fs.ErrNotExist):
			return &fs.PathError{Op: "create", Path: dir, Err: underlying(err)}
		case d == filepath.Dir(d):
			return nil
		}
	}
}
