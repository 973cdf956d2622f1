//go:build !unix

package echo

import (
	"net"
	"time"
)

// resetAfterClose cannot look at the socket's pending error here.
func resetAfterClose(net.Conn, time.Duration) bool { return false }
