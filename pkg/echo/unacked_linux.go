package echo

import "golang.org/x/sys/unix"

// unacked is the number of sent bytes the peer has not acknowledged.
func unacked(fd int) int {
	n, err := unix.IoctlGetInt(fd, unix.SIOCOUTQ)
	if err != nil {
		return 0
	}
	return n
}
