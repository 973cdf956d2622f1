//go:build !unix

package echo

import (
	"net"
	"syscall"
)

// awaitReadable returns at once: the echo loop then waits inside crypto/tls.
func awaitReadable(net.Conn) error { return nil }

// readNow reports no data: the drain then takes only what crypto/tls holds.
func readNow(syscall.RawConn, []byte) (int, error) { return 0, wouldBlock{} }
