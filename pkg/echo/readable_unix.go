//go:build unix

package echo

import (
	"errors"
	"net"
	"syscall"
)

// awaitReadable waits, within the connection's read deadline, until c has
// bytes to read (or EOF or an error), without reading them. Peeking keeps
// the wait correct whatever readiness events the poller has consumed before.
func awaitReadable(c net.Conn) error {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	var one [1]byte
	return rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), one[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR)
	})
}
