//go:build tlskit_crashtest

package safefile

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
)

// CrashEnv holds the number of steps a tlskit_crashtest binary completes
// before it kills itself with SIGKILL, as a real crash would.
const CrashEnv = "TLSKIT_CRASH_AFTER"

var crashSteps atomic.Int64

// CrashPoint kills the process before the step after the first
// $TLSKIT_CRASH_AFTER steps, saying on stderr which step it was.
func CrashPoint(step string) {
	limit, err := strconv.Atoi(os.Getenv(CrashEnv))
	if err != nil || crashSteps.Add(1) <= int64(limit) {
		return
	}
	fmt.Fprintf(os.Stderr, "crashtest: killed before %s\n", step)
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}
