//go:build unix

package keys

import (
	"fmt"
	"os"
	"syscall"
)

// fdPassphrase reads the first line from descriptor fd through a duplicate,
// so that the caller's descriptor stays open.
func fdPassphrase(fd int) ([]byte, error) {
	dup, err := syscall.Dup(fd)
	if err != nil {
		return nil, keyErrorf(ErrBadPassSource, "passphrase source fd:%d: %v", fd, err)
	}
	f := os.NewFile(uintptr(dup), fmt.Sprintf("fd:%d", fd))
	defer f.Close()
	return readPassLine(f, f.Name())
}
