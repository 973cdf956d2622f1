package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Script commands for the serve and connect scripts: a tlskit serve running
// in the background, its address in $ADDR, its log in serve.log and its
// stdout in serve.out.
var serveScriptCmds = map[string]func(*testscript.TestScript, bool, []string){
	"serve-bg":     cmdServeBg,
	"serve-signal": cmdServeSignal,
	"serve-wait":   cmdServeWait,
	"wait-log":     cmdWaitLog,
	"json-doc":     cmdJSONDoc,
}

// listeningLine is the first line tlskit serve prints with --addr HOST:0.
var listeningLine = regexp.MustCompile(`^listening on (127\.0\.0\.1:[0-9]+)\n$`)

type bgServer struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // from Wait, once done is closed
}

var (
	bgMu      sync.Mutex
	bgServers = map[*testscript.TestScript]*bgServer{}
)

// cmdServeBg runs "tlskit serve ARGS... 127.0.0.1:0" in the background (the
// address as the argument, after the flags; serve_test.go uses --addr) and
// waits for its listening line.
func cmdServeBg(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: serve-bg [serve flags]")
	}
	cmd := exec.Command("tlskit", append(append([]string{"serve"}, args...), "127.0.0.1:0")...)
	cmd.Dir = ts.MkAbs(".")
	logf, err := os.Create(ts.MkAbs("serve.log"))
	ts.Check(err)
	outf, err := os.Create(ts.MkAbs("serve.out"))
	ts.Check(err)
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	ts.Check(err)
	ts.Check(cmd.Start())
	srv := &bgServer{cmd: cmd, done: make(chan struct{})}
	r := bufio.NewReader(stdout)
	line, _ := r.ReadString('\n')
	io.WriteString(outf, line)
	go func() {
		io.Copy(outf, r)
		srv.err = cmd.Wait()
		logf.Close()
		outf.Close()
		close(srv.done)
	}()
	ts.Defer(func() { cmd.Process.Kill(); <-srv.done })
	m := listeningLine.FindStringSubmatch(line)
	if m == nil {
		ts.Fatalf("tlskit serve printed %q, not a listening line (log in serve.log)", line)
	}
	ts.Setenv("ADDR", m[1])
	ts.Setenv("PORT", strings.TrimPrefix(m[1], "127.0.0.1:"))
	bgMu.Lock()
	bgServers[ts] = srv
	bgMu.Unlock()
}

func bgServerOf(ts *testscript.TestScript) *bgServer {
	bgMu.Lock()
	defer bgMu.Unlock()
	srv := bgServers[ts]
	if srv == nil {
		ts.Fatalf("no background server: run serve-bg first")
	}
	return srv
}

// cmdServeSignal sends HUP, TERM or INT to the background server.
func cmdServeSignal(ts *testscript.TestScript, neg bool, args []string) {
	sigs := map[string]syscall.Signal{"HUP": syscall.SIGHUP, "TERM": syscall.SIGTERM, "INT": syscall.SIGINT}
	sig, ok := sigs[strings.Join(args, " ")]
	if neg || !ok {
		ts.Fatalf("usage: serve-signal HUP|TERM|INT")
	}
	ts.Check(bgServerOf(ts).cmd.Process.Signal(sig))
}

// cmdServeWait waits for the background server to exit and checks that it
// exited 0 (or, negated, that it failed; "serve-wait N": that it exited N).
func cmdServeWait(ts *testscript.TestScript, neg bool, args []string) {
	srv := bgServerOf(ts)
	select {
	case <-srv.done:
	case <-time.After(30 * time.Second):
		ts.Fatalf("tlskit serve still running after 30s")
	}
	err := srv.err
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		ts.Fatalf("serve: %v", err)
	}
	if len(args) == 1 {
		if got := srv.cmd.ProcessState.ExitCode(); strconv.Itoa(got) != args[0] {
			ts.Fatalf("tlskit serve exited %d, want %s", got, args[0])
		}
		return
	}
	if failed := err != nil; failed != neg {
		ts.Fatalf("tlskit serve exited with %v", err)
	}
}

// cmdWaitLog waits until serve.log (or FILE) has a line matching the regexp:
// log lines about a connection are written after the client has seen it end.
func cmdWaitLog(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: wait-log REGEXP [FILE]")
	}
	file := "serve.log"
	if len(args) == 2 {
		file = args[1]
	}
	re, err := regexp.Compile("(?m)" + args[0])
	ts.Check(err)
	for range 500 {
		data, _ := os.ReadFile(ts.MkAbs(file))
		if re.Match(data) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	data, _ := os.ReadFile(ts.MkAbs(file))
	ts.Fatalf("%s has no line matching %q after 10s:\n%s", file, args[0], data)
}
