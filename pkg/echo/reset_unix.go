//go:build unix

package echo

import (
	"net"
	"syscall"
	"time"
)

// resetAfterClose reports whether the server reset the connection after it
// closed. A server that closes before the client's input ended has its
// kernel answer the bytes that arrive afterwards with a reset, which comes
// back within a round trip; crypto/tls has stopped reading by then (it saw
// close_notify), so the reset waits in the socket's pending error.
func resetAfterClose(c net.Conn, rtt time.Duration) bool {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return false
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return false
	}
	time.Sleep(min(2*rtt+10*time.Millisecond, time.Second))
	var soErr int
	raw.Control(func(fd uintptr) {
		soErr, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_ERROR)
	})
	return soErr == int(syscall.ECONNRESET) || soErr == int(syscall.EPIPE)
}
