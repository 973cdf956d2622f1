package echo

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// logCapture collects the server's JSON log lines for tests to inspect.
type logCapture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logCapture) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logCapture) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, nil))
}

// records returns the logged records with message msg.
func (l *logCapture) records(msg string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range bytes.Split(l.buf.Bytes(), []byte("\n")) {
		var rec map[string]any
		if json.Unmarshal(line, &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// reasons counts connection-end lines by close reason.
func (l *logCapture) reasons() map[string]int {
	n := map[string]int{}
	for _, rec := range l.records("connection closed") {
		r, _ := rec["reason"].(string)
		n[r]++
	}
	return n
}

// waitFor polls cond until it holds; the bound only turns a hang into a
// failure, it is not a speed requirement.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for range 1000 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("still waiting after 10s for %s", what)
}
