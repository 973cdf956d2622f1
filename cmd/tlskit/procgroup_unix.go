//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// inGroup runs cmd in its own process group and makes cancelling it kill
// the whole group, so that a client started through a shell script does not
// outlive its timeout.
func inGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
