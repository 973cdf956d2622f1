//go:build linux

package echo

import (
	"syscall"
	"unsafe"
)

// Linux's SO_MEMINFO socket option and the two of its values (from
// <linux/sock_diag.h>) that say how full the send queue is, counted the
// way the kernel decides whether a write must wait.
const (
	soMeminfo           = 55
	skMeminfoSndbuf     = 3
	skMeminfoWmemQueued = 5
	skMeminfoVars       = 9
)

// sendRoom returns how many bytes the socket's send queue can still take,
// and false when it cannot tell.
func sendRoom(sc syscall.RawConn) (int, bool) {
	if sc == nil {
		return 0, false
	}
	var info [skMeminfoVars]uint32
	var errno syscall.Errno
	err := sc.Control(func(fd uintptr) {
		size := uint32(unsafe.Sizeof(info))
		_, _, errno = syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.SOL_SOCKET, soMeminfo,
			uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&size)), 0)
	})
	if err != nil || errno != 0 {
		return 0, false
	}
	return int(info[skMeminfoSndbuf]) - int(info[skMeminfoWmemQueued]), true
}
