//go:build linux || darwin

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// echoOff turns off the echo of tty, keeping line editing (ICANON) and
// Ctrl-C (ISIG), and returns the func that puts it back. x/term's
// ReadPassword loops on Ctrl-D, survey's Password echoes a mask and takes
// Ctrl-D for Enter: hence this small reader.
func echoOff(tty *os.File) (restore func(), err error) {
	fd := int(tty.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	t := *old
	t.Lflag &^= unix.ECHO
	t.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &t); err != nil {
		return nil, err
	}
	return func() { unix.IoctlSetTermios(fd, ioctlSetTermios, old) }, nil
}
