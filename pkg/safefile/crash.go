//go:build !tlskit_crashtest

package safefile

// CrashPoint marks a step of a file operation (create, write, sync, link,
// rename, remove). It does nothing, except in binaries built with the tag
// tlskit_crashtest, where it kills the process at the step given by the
// environment (see crash_test_hook.go): the crash tests kill a command at
// every step and check that a rerun recovers.
func CrashPoint(step string) {}
