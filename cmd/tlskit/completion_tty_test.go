package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestCompletionInRealShells loads each completion script into an
// interactive bash, zsh and fish in a real terminal (tmux), types a command
// line, presses TAB and reads what the shell did with the candidates.
func TestCompletionInRealShells(t *testing.T) {
	requirePeer(t, "tmux")
	for _, sh := range []struct {
		name, setup string
		argv        []string
	}{
		{"bash", "PS1='$ '; source <(tlskit completion bash); echo READY-$((1+1))", []string{"bash", "--norc", "--noprofile"}},
		{"zsh", "PS1='$ '; autoload -U compinit && compinit -u && source <(tlskit completion zsh); echo READY-$((1+1))", []string{"zsh", "-f"}},
		{"fish", "tlskit completion fish | source; echo READY-(math 1+1)", []string{"fish", "--no-config"}},
	} {
		t.Run(sh.name, func(t *testing.T) {
			requirePeer(t, sh.name)
			s := startShell(t, sh.argv...)
			// The echo computes 2, so the typed line itself never matches.
			s.tmux("send-keys", sh.setup, "Enter")
			s.waitFor("READY-2")
			// A leaf command offers its flags (never "h" or "help"):
			// TAB inserts their common prefix.
			s.completes("tlskit genkey ", "tlskit genkey --@")
			s.completes("tlskit genkey --cu", "tlskit genkey --curve @")
			s.completes("tlskit genkey --curve P-3", "tlskit genkey --curve P-384 @")
			s.completes("tlskit verify --purpose cl", "tlskit verify --purpose client @")
			s.completes("tlskit ca i", "tlskit ca init @")
			s.completes("tlskit inspect sub/my", "tlskit inspect sub/mykey.pem @")
		})
	}
}

// startShell runs argv in a new tmux session in a directory holding
// sub/mykey.pem.
func startShell(t *testing.T, argv ...string) *ttySession {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(dir+"/sub", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/sub/mykey.pem", []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &ttySession{t: t, socket: fmt.Sprintf("tlskit-complete-%d-%d", os.Getpid(), time.Now().UnixNano()), dir: dir}
	s.tmux(append([]string{"new-session", "-d", "-x", "150", "-y", "40", "-c", dir, "env", "TERM=xterm-256color"}, argv...)...)
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

// completes types line, presses TAB, then types "@" (so a space the
// completion added shows), and waits for the line to read want; then clears
// it.
func (s *ttySession) completes(line, want string) {
	s.t.Helper()
	s.tmux("send-keys", "-l", line)
	s.tmux("send-keys", "Tab")
	s.settle()
	s.tmux("send-keys", "-l", "@")
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(s.screen(), want) {
		if time.Now().After(deadline) {
			s.t.Fatalf("%q + TAB never became %q; the screen shows:\n%s", line, want, s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.tmux("send-keys", "C-u")
	s.tmux("send-keys", "C-l")
	s.waitGone(want)
}

func (s *ttySession) waitGone(text string) {
	s.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(s.screen(), text); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen still shows %q:\n%s", text, s.screen())
		}
	}
}
