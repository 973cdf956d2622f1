package echo

import (
	"crypto/tls"
	"net"
	"testing"
)

// TestResetLoggedAsReset: a client that aborts with a TCP reset is logged
// as reset, not as eof (a clean finish).
func TestResetLoggedAsReset(t *testing.T) {
	p := newPKI(t, "Test CA")
	logs := &logCapture{}
	_, addr := startServer(t, p, Config{Logger: logs.logger()})
	raw, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := tls.Client(raw, &tls.Config{RootCAs: p.pool, ServerName: "localhost"})
	if _, err := Exchange(c, []byte("then a reset")); err != nil {
		t.Fatal(err)
	}
	raw.(*net.TCPConn).SetLinger(0) // close with RST
	raw.Close()
	waitFor(t, "the connection's log line", func() bool { return len(logs.records("connection closed")) == 1 })
	if got := logs.reasons(); got["reset"] != 1 {
		t.Fatalf("close reasons %v, want one reset", got)
	}
}
