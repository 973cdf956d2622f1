//go:build unix

package echo

import (
	"errors"
	"io"
	"net"
	"syscall"
)

// awaitReadable waits, within the connection's read deadline, until c has
// bytes to read (or EOF or an error), without reading them. It peeks before
// each wait: starting a wait clears the poller's pending readiness, so only
// a look at the socket itself tells whether bytes arrived in between.
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
	var peekErr error
	err = rc.Read(func(fd uintptr) bool {
		_, _, peekErr = syscall.Recvfrom(int(fd), one[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return !errors.Is(peekErr, syscall.EAGAIN)
	})
	if err == nil && peekErr != nil && !errors.Is(peekErr, syscall.EINTR) {
		// The socket reports an error (a reset) once: the peek took it,
		// so pass it on, or the next read would only see the end.
		return peekErr
	}
	return err
}

// readNow reads what the socket holds without waiting: wouldBlock when it
// is empty, io.EOF when the peer has closed.
func readNow(sc syscall.RawConn, p []byte) (int, error) {
	if sc == nil {
		return 0, wouldBlock{}
	}
	var n int
	var rerr error
	err := sc.Read(func(fd uintptr) bool {
		for {
			n, rerr = syscall.Read(int(fd), p)
			if !errors.Is(rerr, syscall.EINTR) {
				return true
			}
		}
	})
	switch {
	case err != nil:
		return 0, err
	case errors.Is(rerr, syscall.EAGAIN):
		return 0, wouldBlock{}
	case rerr != nil:
		return 0, rerr
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}
