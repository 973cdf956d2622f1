package safefile

import (
	"fmt"
	"os"
	"path/filepath"
)

// ReplaceChecked replaces the existing file path with data, for the one
// command that must rewrite its own input (a key's new passphrase): data is
// written to a temp file in the same directory with mode perm and fsynced,
// read back from disk and passed to check, and only when check accepts it is
// the temp file renamed over path and the directory synced. Until that rename
// path keeps its old contents; on any failure the temp file is removed. A
// symlink is followed, so the file it points to is the one replaced.
func ReplaceChecked(path string, data []byte, perm os.FileMode, check func(written []byte) error) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(target); err != nil || !fi.Mode().IsRegular() {
		return notRegular(path, err)
	}
	RemoveStaleTemps(filepath.Dir(target))
	tmp, err := writeTemp(target, data, perm)
	if err != nil {
		return err
	}
	defer removeTemp(tmp)
	if err := checkWritten(tmp, path, int64(len(data)), check); err != nil {
		return err
	}
	if err := renameOver(tmp, target); err != nil {
		return err
	}
	syncDir(filepath.Dir(target))
	return nil
}

func notRegular(path string, err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%s: not a regular file, refusing to replace it", path)
}

// checkWritten reads the temp file back, as it is on disk, and checks it.
func checkWritten(tmp, path string, size int64, check func([]byte) error) error {
	written, err := ReadFile(tmp, size, "the rewritten file")
	if err != nil {
		return fmt.Errorf("%s: reading back the new contents: %w", path, underlying(err))
	}
	if int64(len(written)) != size {
		return fmt.Errorf("%s: the new contents read back short (%d of %d bytes); the file is unchanged", path, len(written), size)
	}
	if err := check(written); err != nil {
		return fmt.Errorf("%s: the new contents failed their check, the file is unchanged: %w", path, err)
	}
	return nil
}
