package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// WriteFileAtomic writes data to path with mode perm (whatever the umask),
// complete and synced before it appears under path. A new file is written
// with no name at all until it is linked into place (Linux O_TMPFILE), so a
// crash leaves nothing behind; elsewhere, and when overwrite replaces a file,
// it goes through a temp file named after this process, which later writers
// remove once the process is gone. Without overwrite an existing path is left
// alone and the error wraps ErrExists; with it, only a regular file is
// replaced (ErrNotRegular). A failed write leaves neither path nor a temp
// file behind.
func WriteFileAtomic(path string, data []byte, perm os.FileMode, overwrite bool) error {
	if err := CheckOutputPath(path, overwrite); err != nil {
		return err
	}
	RemoveStaleTemps(filepath.Dir(path))
	return writeInPlace(path, data, perm, overwrite)
}

// writeInPlace does the write proper; it still fails safely when path changed
// since the check (a file or directory appeared), removing any temp file.
func writeInPlace(path string, data []byte, perm os.FileMode, overwrite bool) error {
	var err error
	if overwrite {
		err = replaceFile(path, data, perm)
	} else {
		err = createFile(path, data, perm)
	}
	if err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// createFile links a new file into place, never over an existing one.
func createFile(path string, data []byte, perm os.FileMode) error {
	err := createAnonymous(path, data, perm)
	if !errors.Is(err, errNoAnonymous) {
		return err
	}
	return createNamed(path, data, perm)
}

// createNamed is createFile through a named temp file.
func createNamed(path string, data []byte, perm os.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer removeTemp(tmp)
	CrashPoint("link " + path)
	return linkError(path, os.Link(tmp, path))
}

// replaceFile renames a temp file over path, which must be a regular file or
// missing.
func replaceFile(path string, data []byte, perm os.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer removeTemp(tmp)
	return renameOver(tmp, path)
}

// renameOver renames tmp to path, which must be a regular file or missing.
func renameOver(tmp, path string) error {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return replaceRefused(path, fi.Mode())
	}
	CrashPoint("rename " + path)
	if err := os.Rename(tmp, path); err != nil {
		return &fs.PathError{Op: "rename", Path: path, Err: underlying(err)}
	}
	return nil
}

func removeTemp(tmp string) {
	CrashPoint("remove " + tmp)
	os.Remove(tmp)
}

func linkError(path string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return existsError(path)
	}
	return &fs.PathError{Op: "link", Path: path, Err: underlying(err)}
}

// CheckOutputPath fails when path cannot become a new file: an empty name, a
// directory (which even overwrite must not replace), without overwrite an
// existing entry (ErrExists), and with it anything but a regular file
// (ErrNotRegular: --force must not replace /dev/null, a FIFO or a symlink).
// WriteFileAtomic checks again, and its link is what makes "never overwrite"
// race-free.
func CheckOutputPath(path string, overwrite bool) error {
	if path == "" {
		return &kindError{msg: "the output file name is empty", kind: fs.ErrInvalid}
	}
	fi, err := os.Lstat(path)
	switch {
	case err == nil && fi.IsDir():
		return &fs.PathError{Op: "create", Path: path, Err: syscall.EISDIR}
	case err == nil && !overwrite:
		return existsError(path)
	case err == nil && !fi.Mode().IsRegular():
		return replaceRefused(path, fi.Mode())
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return &fs.PathError{Op: "create", Path: path, Err: underlying(err)}
	}
	return nil
}

// CheckWritable is CheckOutputPath plus a check that the directory path goes
// in exists and this process may write there. Commands call it before
// prompts or slow work (an RSA-4096 key), so that a wrong --out fails at once.
func CheckWritable(path string, overwrite bool) error {
	if err := CheckOutputPath(path, overwrite); err != nil {
		return err
	}
	return checkDirWritable(path)
}

func replaceRefused(path string, mode fs.FileMode) error {
	return notRegularError(path, mode, "--force replaces only regular files")
}

// checkDirWritable fails, naming path, when the directory path would go in
// is missing, not a directory, or not writable by this process.
func checkDirWritable(path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		return &fs.PathError{Op: "create", Path: path, Err: underlying(err)}
	case !fi.IsDir():
		return &fs.PathError{Op: "create", Path: path, Err: syscall.ENOTDIR}
	}
	if err := unix.Access(dir, unix.W_OK|unix.X_OK); err != nil {
		return &fs.PathError{Op: "create", Path: path, Err: err}
	}
	return nil
}

func existsError(path string) error {
	return fmt.Errorf("%s: %w", path, ErrExists)
}

// writeTemp writes data to a new temp file next to path (see tempName) and
// returns its name. The mode is set on the descriptor before anything is
// written, so the data is never readable under a looser mode.
func writeTemp(path string, data []byte, perm os.FileMode) (name string, err error) {
	CrashPoint("create temp for " + path)
	f, err := createTemp(path)
	if err != nil {
		return "", &fs.PathError{Op: "create", Path: path, Err: underlying(err)}
	}
	err = fill(f, path, data, perm)
	f.Close()
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// fill sets the mode of the new file f, writes data and syncs it; errors name
// path, the file the caller asked for.
func fill(f *os.File, path string, data []byte, perm os.FileMode) error {
	if err := f.Chmod(perm); err != nil {
		return &fs.PathError{Op: "chmod", Path: path, Err: underlying(err)}
	}
	CrashPoint("write " + path)
	if _, err := f.Write(data); err != nil {
		return &fs.PathError{Op: "write", Path: path, Err: underlying(err)}
	}
	CrashPoint("sync " + path)
	if err := f.Sync(); err != nil {
		return &fs.PathError{Op: "sync", Path: path, Err: underlying(err)}
	}
	return nil
}

// underlying strips the temp file's name from an error, so messages name the
// file the caller asked for.
func underlying(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// syncDir makes the new directory entry durable. Its error is ignored: the
// file is complete and in place, and reporting a failure now would leave a
// file behind a failed write.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	_ = d.Sync()
}
