package echo

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Fixture is the one way to hand a Server a TLS configuration that tlskit
// did not harden. It exists for tlskit's fixture server, whose cases need
// what a real server must never offer (TLS 1.0, CBC-only suites, chains a
// client must refuse); tlskit serve never builds one.
type Fixture struct {
	// TLS is used as given: versions, suites, certificates and client
	// authentication are all the caller's. It must be set.
	TLS *tls.Config
	// HTTP, when set, answers a connection whose first bytes are an HTTP/1.x
	// request: one request, one response, then the connection closes. Any
	// other connection is echoed.
	HTTP http.Handler
}

// NewFixtureServer is NewServer with f.TLS in place of the hardened
// configuration; cfg.Certificate, cfg.ClientCAs, cfg.NextProtos and
// cfg.MinVersion are ignored (f.TLS has its own). Errors: ErrNoFixtureTLS.
func NewFixtureServer(cfg Config, f Fixture) (*Server, error) {
	if f.TLS == nil {
		return nil, ErrNoFixtureTLS
	}
	s := newServer(cfg)
	s.tls, s.fixture = f.TLS.Clone(), &f
	return s, nil
}

// profileName names the TLS profile for the "listening" log line.
func (s *Server) profileName() string {
	if s.fixture != nil {
		return "fixture (unhardened)"
	}
	return ProfileName(s.cfg.MinVersion)
}

// httpMethods are the request-line prefixes that make a connection HTTP.
var httpMethods = [][]byte{
	[]byte("GET "), []byte("HEAD "), []byte("POST "), []byte("PUT "),
	[]byte("DELETE "), []byte("OPTIONS "), []byte("PATCH "),
}

func looksLikeHTTP(b []byte) bool {
	for _, m := range httpMethods {
		if bytes.HasPrefix(b, m) {
			return true
		}
	}
	return false
}

// answerOrEcho serves a fixture connection after its handshake: an HTTP
// request gets f.HTTP's response, anything else is echoed.
func (c *conn) answerOrEcho() string {
	br := bufio.NewReaderSize(countingReader{c}, 4096)
	c.tls.SetReadDeadline(time.Now().Add(c.srv.cfg.IdleTimeout))
	if _, err := br.Peek(1); err != nil {
		return readReason(err)
	}
	first, _ := br.Peek(br.Buffered())
	if c.srv.fixture.HTTP != nil && looksLikeHTTP(first) {
		return c.answerHTTP(br)
	}
	return c.plainEcho(br)
}

func (c *conn) answerHTTP(br *bufio.Reader) string {
	req, err := http.ReadRequest(br)
	if err != nil {
		c.writeAll([]byte("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
		return "bad http request: " + err.Error()
	}
	state := c.tls.ConnectionState()
	req.TLS, req.RemoteAddr = &state, c.tls.RemoteAddr().String()
	rec := &recorder{header: make(http.Header), code: http.StatusOK}
	c.srv.fixture.HTTP.ServeHTTP(rec, req)
	var out bytes.Buffer
	rec.response(req).Write(&out)
	if err := c.writeAll(out.Bytes()); err != nil {
		return writeReason(err)
	}
	return "http " + strconv.Itoa(rec.code) + " " + req.Method + " " + req.URL.Path
}

// plainEcho is a simple echo loop: fixture connections are few, so it skips
// the buffer economy of the main loop.
func (c *conn) plainEcho(br *bufio.Reader) string {
	buf := make([]byte, 16<<10)
	for {
		c.tls.SetReadDeadline(time.Now().Add(c.srv.cfg.IdleTimeout))
		n, err := br.Read(buf)
		if n > 0 {
			if werr := c.writeAll(buf[:n]); werr != nil {
				return writeReason(werr)
			}
		}
		if err != nil {
			return readReason(err)
		}
	}
}

// countingReader reads from the TLS connection and counts what it reads.
type countingReader struct{ c *conn }

func (r countingReader) Read(p []byte) (int, error) {
	n, err := r.c.tls.Read(p)
	r.c.in += int64(n)
	return n, err
}

func (c *conn) writeAll(b []byte) error {
	c.tls.SetWriteDeadline(time.Now().Add(c.srv.cfg.IdleTimeout))
	n, err := c.tls.Write(b)
	c.out += int64(n)
	c.writeFailed = err != nil
	return err
}

// recorder collects a handler's response so that it can be sent as one
// HTTP/1.1 message with a Content-Length and Connection: close.
type recorder struct {
	header http.Header
	code   int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

func (r *recorder) response(req *http.Request) *http.Response {
	return &http.Response{
		StatusCode: r.code, ProtoMajor: 1, ProtoMinor: 1,
		Header: r.header, Close: true, Request: req,
		ContentLength: int64(r.body.Len()),
		Body:          io.NopCloser(bytes.NewReader(r.body.Bytes())),
	}
}
