package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// errNoAnonymous: the system cannot make a file without a name here; the
// caller falls back to a named temp file.
var errNoAnonymous = errors.New("no O_TMPFILE")

// createAnonymous writes data to an O_TMPFILE file (no name, so a crash
// leaves nothing) and links it as path; linkat of /proc/self/fd/N with
// AT_SYMLINK_FOLLOW needs no privilege, and fails if path exists.
func createAnonymous(path string, data []byte, perm os.FileMode) error {
	CrashPoint("create " + path)
	fd, err := unix.Open(filepath.Dir(path), unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, uint32(perm.Perm()))
	switch {
	case errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.EISDIR), errors.Is(err, unix.EINVAL):
		return errNoAnonymous
	case err != nil:
		return &fs.PathError{Op: "create", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(fd), path)
	defer f.Close()
	if err := fill(f, path, data, perm); err != nil {
		return err
	}
	CrashPoint("link " + path)
	err = unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if errors.Is(err, unix.ENOENT) && !procMounted() {
		return errNoAnonymous
	}
	return linkError(path, err)
}

func procMounted() bool {
	_, err := os.Stat("/proc/self/fd")
	return err == nil
}
