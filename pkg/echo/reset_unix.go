//go:build unix

package echo

import (
	"net"
	"syscall"
	"time"
)

// resetWait bounds how long resetAfterClose watches the socket.
const resetWait = time.Second

// resetAfterClose reports whether the server reset the connection after it
// closed. A server that closes before the client's input ended has its
// kernel answer the bytes that arrive afterwards (or were still unread)
// with a reset, which comes back within a round trip of the last of them;
// crypto/tls has stopped reading by then (it saw close_notify), so the
// reset waits in the socket's pending error. It watches until the bytes in
// flight are acknowledged, then one round trip more.
func resetAfterClose(c net.Conn, rtt time.Duration) bool {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return false
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return false
	}
	deadline := time.Now().Add(resetWait)
	for {
		reset, inFlight := socketState(raw)
		switch {
		case reset:
			return true
		case inFlight == 0:
			time.Sleep(min(2*rtt+10*time.Millisecond, resetWait))
			reset, _ = socketState(raw)
			return reset
		case time.Now().After(deadline):
			return true // the server has closed and still takes nothing
		}
		time.Sleep(time.Millisecond)
	}
}

// socketState reads the socket's pending error (a reset) and how many sent
// bytes the peer has not acknowledged yet.
func socketState(raw syscall.RawConn) (reset bool, inFlight int) {
	raw.Control(func(fd uintptr) {
		soErr, _ := syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_ERROR)
		reset = soErr == int(syscall.ECONNRESET) || soErr == int(syscall.EPIPE)
		inFlight = unacked(int(fd))
	})
	return reset, inFlight
}
