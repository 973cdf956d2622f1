package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tlskit/tlskit/pkg/safefile"
)

// refuseExistingPath fails early, before prompts or slow work, when path
// cannot be written (see safefile.CheckWritable); "-" is stdout.
func refuseExistingPath(path string, force bool) error {
	if path == "-" {
		return nil
	}
	return safefile.CheckWritable(path, force)
}

// checkOutput is refuseExistingPath for a command that reads inputs (flag
// name to file): --force is for replacing an old output, never an input.
func checkOutput(out string, force bool, inputs map[string]string) error {
	labels := map[string]string{}
	for flag, in := range inputs {
		labels["the file given as --"+flag] = in
	}
	return checkOutputOf("out", out, force, labels)
}

// checkOutputOf is checkOutput for the output flag outFlag and inputs named
// by labels ("KEY itself", "the file given as --key").
func checkOutputOf(outFlag, out string, force bool, inputs map[string]string) error {
	if err := refuseExistingPath(out, force); err != nil || out == "-" {
		return err
	}
	outInfo, err := os.Stat(out)
	if err != nil {
		return nil
	}
	for label, in := range inputs {
		if inInfo, err := os.Stat(in); err == nil && os.SameFile(outInfo, inInfo) {
			return usageError("choose another --"+outFlag, "--%s %s is %s", outFlag, out, label)
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
	data, err := safefile.ReadFile(path, safefile.MaxPublicFile, "a file to restore on failure")
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
	return safefile.WriteFileAtomic(path, s.data, s.mode, true)
}

type outFile struct {
	name string
	data []byte
	mode fs.FileMode
}

// writeAll writes every file, named relative to dir, or, if one fails, puts
// back those it wrote: removed if new, as they were if force replaced them.
func writeAll(dir string, files []outFile, force bool) error {
	var saved []savedFile
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		old, err := snapshotFile(path)
		if err == nil {
			err = safefile.WriteFileAtomic(path, f.data, f.mode, force)
		}
		if err != nil {
			return rollBack(err, dir, files, saved)
		}
		saved = append(saved, old)
	}
	return nil
}

func rollBack(err error, dir string, files []outFile, saved []savedFile) error {
	var errs []error
	for i, s := range saved {
		if rbErr := s.restore(filepath.Join(dir, files[i].name)); rbErr != nil {
			errs = append(errs, fmt.Errorf("could not put back %s: %w", files[i].name, rbErr))
		}
	}
	if len(errs) > 0 {
		return errors.Join(append([]error{err}, errs...)...)
	}
	if len(saved) == 0 {
		return err
	}
	return fmt.Errorf("%w (nothing else was changed)", err)
}
