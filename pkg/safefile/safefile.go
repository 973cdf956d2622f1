package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFileAtomic writes data to path with mode perm (whatever the umask): a
// temp file in the same directory, fsync, then linked into place. Without
// overwrite an existing path is left alone and the error wraps ErrExists. A
// failed write leaves neither path nor a temp file behind.
func WriteFileAtomic(path string, data []byte, perm os.FileMode, overwrite bool) error {
	if err := CheckOutputPath(path, overwrite); err != nil {
		return err
	}
	return writeInPlace(path, data, perm, overwrite)
}

// writeInPlace does the write proper; it still fails safely when path changed
// since the check (a file or directory appeared), removing its temp file.
func writeInPlace(path string, data []byte, perm os.FileMode, overwrite bool) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := place(tmp, path, overwrite); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// CheckOutputPath fails when path cannot become a new file: an empty name, a
// directory (which even overwrite must not replace), or, without overwrite,
// an existing entry (ErrExists). Callers use it to refuse before prompts or
// slow work; WriteFileAtomic checks again, and its link is what makes "never
// overwrite" race-free.
func CheckOutputPath(path string, overwrite bool) error {
	if path == "" {
		return &kindError{msg: "the output file name is empty", kind: fs.ErrInvalid}
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return &fs.PathError{Op: "create", Path: path, Err: syscall.EISDIR}
	case !overwrite && existsLink(path):
		return existsError(path)
	}
	return nil
}

// existsLink reports whether path names anything, even a dangling symlink.
func existsLink(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func existsError(path string) error {
	return fmt.Errorf("%s: %w", path, ErrExists)
}

// writeTemp writes data to a new file next to path and returns its name. The
// mode is set on the descriptor before anything is written, so the data is
// never readable under a looser mode.
func writeTemp(path string, data []byte, perm os.FileMode) (name string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", &fs.PathError{Op: "create", Path: path, Err: underlying(err)}
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return "", &fs.PathError{Op: "chmod", Path: path, Err: underlying(err)}
	}
	if _, err := f.Write(data); err != nil {
		return "", &fs.PathError{Op: "write", Path: path, Err: underlying(err)}
	}
	if err := f.Sync(); err != nil {
		return "", &fs.PathError{Op: "sync", Path: path, Err: underlying(err)}
	}
	if err := f.Close(); err != nil {
		return "", &fs.PathError{Op: "close", Path: path, Err: underlying(err)}
	}
	return f.Name(), nil
}

// place moves the finished temp file to path. os.Link fails when path exists,
// which is the race-free "never overwrite".
func place(tmp, path string, overwrite bool) error {
	if overwrite {
		if err := os.Rename(tmp, path); err != nil {
			return &fs.PathError{Op: "rename", Path: path, Err: underlying(err)}
		}
		return nil
	}
	err := os.Link(tmp, path)
	if errors.Is(err, fs.ErrExist) {
		return existsError(path)
	}
	if err != nil {
		return &fs.PathError{Op: "link", Path: path, Err: underlying(err)}
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
