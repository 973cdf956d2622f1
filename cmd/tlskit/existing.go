package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/tlskit/tlskit/pkg/certs"
)

// refuseExistingPath fails early, before prompts or slow work, when path
// cannot be written (see certs.CheckOutputPath); "-" is stdout.
func refuseExistingPath(path string, force bool) error {
	if path == "-" {
		return nil
	}
	return certs.CheckOutputPath(path, force)
}

// checkOutput is refuseExistingPath for a command that reads inputs (flag
// name to file): --force is for replacing an old output, never an input.
func checkOutput(out string, force bool, inputs map[string]string) error {
	if err := refuseExistingPath(out, force); err != nil || out == "-" {
		return err
	}
	outInfo, err := os.Stat(out)
	if err != nil {
		return nil
	}
	for flag, in := range inputs {
		if inInfo, err := os.Stat(in); err == nil && os.SameFile(outInfo, inInfo) {
			return usageError("choose another --out", "--out %s is the file given as --%s", out, flag)
		}
	}
	return nil
}

// savedFile is a file as it was before a write that may have to be undone.
type savedFile struct {
	existed bool
	data    []byte
	mode    os.FileMode
}

func snapshotFile(path string) (savedFile, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !fi.Mode().IsRegular()) {
		return savedFile{existed: err == nil}, nil
	}
	if err != nil {
		return savedFile{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return savedFile{}, fmt.Errorf("%s: cannot keep a copy to restore on failure: %w", path, err)
	}
	return savedFile{existed: true, data: data, mode: fi.Mode().Perm()}, nil
}

// restore puts the file back as it was, or removes it if it did not exist.
func (s savedFile) restore(path string) error {
	if !s.existed {
		return os.Remove(path)
	}
	if s.data == nil {
		return fmt.Errorf("%s was not a regular file", path)
	}
	return certs.WriteFileAtomic(path, s.data, s.mode, true)
}
