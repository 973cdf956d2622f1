package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tlskit/tlskit/pkg/echo"
	"github.com/tlskit/tlskit/pkg/pki"
)

// caseServers serves every fixture case on its own port of 127.0.0.1, and
// all of them on one more port, chosen by SNI (NAME.localhost).
type caseServers struct {
	set     *pki.CaseSet
	dir     string            // where ca.crt, client.crt, ... are
	addrs   map[string]string // case name -> 127.0.0.1:PORT
	sniAddr string
	wg      sync.WaitGroup
	errs    chan error
}

// caseInfo is what the first line of fixtures serve says about one case.
type caseInfo struct {
	Addr       string `json:"addr"`
	ServerName string `json:"servername"`
	URL        string `json:"url"`
	SNIURL     string `json:"sni_url"`
	Verdict    string `json:"verdict"`
	Why        string `json:"why"`
}

// loadCaseSet makes the cases in a new temporary directory when dir is "",
// reads them from dir when it holds a case set, or makes them there.
// cleanup removes a temporary directory.
func loadCaseSet(dir string) (set *pki.CaseSet, where string, cleanup func(), err error) {
	cleanup = func() {}
	if dir != "" && pki.HasCaseDir(dir) {
		set, err = pki.ReadCaseDir(dir, time.Now())
		if err != nil {
			err = withHint(err, "remove the directory (or choose another --dir) to make new fixtures")
		}
		return set, dir, cleanup, err
	}
	if set, err = pki.MakeCases(time.Now()); err != nil {
		return nil, "", cleanup, err
	}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tlskit-fixtures-"); err != nil {
			return nil, "", cleanup, err
		}
		cleanup = func() { os.RemoveAll(dir) }
	}
	if err = pki.WriteCaseDir(dir, set); err != nil {
		cleanup()
	}
	return set, dir, cleanup, err
}

// listenCases opens the listeners: one per case, and the SNI one on sniAddr.
func listenCases(set *pki.CaseSet, sniAddr string) (map[string]net.Listener, net.Listener, error) {
	ls := make(map[string]net.Listener)
	closeAll := func() {
		for _, l := range ls {
			l.Close()
		}
	}
	for _, c := range set.Cases {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			closeAll()
			return nil, nil, listenError("127.0.0.1:0", err)
		}
		ls[c.Name] = l
	}
	sni, err := net.Listen("tcp", sniAddr)
	if err != nil {
		closeAll()
		err = fmt.Errorf("listen on %s: %w", sniAddr, unwrapNetOp(err))
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, nil, withHint(err, "stop what listens there, or choose another --sni-port (0 picks a free one)")
		}
		return nil, nil, err
	}
	return ls, sni, nil
}

// startCases serves set until ctx is done; wait for the servers with wait.
func startCases(ctx context.Context, set *pki.CaseSet, dir, sniAddr string, log *slog.Logger) (*caseServers, error) {
	ls, sni, err := listenCases(set, sniAddr)
	if err != nil {
		return nil, err
	}
	cs := &caseServers{set: set, dir: dir, addrs: make(map[string]string), sniAddr: sni.Addr().String(),
		errs: make(chan error, len(ls)+1)}
	for _, c := range set.Cases {
		cs.addrs[c.Name] = ls[c.Name].Addr().String()
	}
	configs := make(map[string]*tls.Config)
	for i := range set.Cases {
		c := &set.Cases[i]
		configs[c.Name] = caseTLSConfig(c, set.CA, log)
		cs.serve(ctx, ls[c.Name], configs[c.Name], cs.pageFor(c.Name), log.With("case", c.Name))
	}
	cs.serve(ctx, sni, sniConfig(configs, log), http.HandlerFunc(cs.sniPage), log.With("case", "sni"))
	return cs, nil
}

func (cs *caseServers) serve(ctx context.Context, l net.Listener, cfg *tls.Config, h http.Handler, log *slog.Logger) {
	srv, err := echo.NewFixtureServer(echo.Config{Logger: log, HandshakeTimeout: 10 * time.Second,
		IdleTimeout: time.Minute, ShutdownTimeout: time.Second}, echo.Fixture{TLS: cfg, HTTP: h})
	if err != nil {
		cs.errs <- err
		l.Close()
		return
	}
	cs.wg.Go(func() {
		if err := srv.Serve(ctx, l); err != nil {
			cs.errs <- err
		}
	})
}

// wait returns when every server has stopped, with the first error.
func (cs *caseServers) wait() error {
	cs.wg.Wait()
	close(cs.errs)
	return <-cs.errs
}

// caseTLSConfig turns a case's TLS settings into the server configuration.
func caseTLSConfig(c *pki.Case, ca *x509.Certificate, log *slog.Logger) *tls.Config {
	cfg := &tls.Config{
		Certificates: []tls.Certificate{{Certificate: c.Chain, PrivateKey: c.Key}},
		MinVersion:   c.TLS.MinVersion,
		MaxVersion:   c.TLS.MaxVersion,
		CipherSuites: c.TLS.CipherSuites,
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion = tls.VersionTLS12
	}
	if c.TLS.ClientAuth == pki.RequireClientCA {
		cfg.ClientCAs = x509.NewCertPool()
		cfg.ClientCAs.AddCert(ca)
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	name := c.Name
	cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		logHello(log, name, hello)
		return nil, nil
	}
	return cfg
}

// sniConfig picks the case by server name: NAME.localhost is case NAME;
// anything else gets the valid case (and the index page).
func sniConfig(configs map[string]*tls.Config, log *slog.Logger) *tls.Config {
	return &tls.Config{GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		name := sniCase(hello.ServerName, configs)
		logHello(log, name, hello)
		cfg := configs[name].Clone()
		cfg.GetConfigForClient = nil
		return cfg, nil
	}}
}

func sniCase[T any](serverName string, cases map[string]T) string {
	name, ok := strings.CutSuffix(strings.ToLower(serverName), ".localhost")
	if _, known := cases[name]; ok && known {
		return name
	}
	return "valid"
}

// logHello records what a client offered, before the handshake goes on.
func logHello(log *slog.Logger, name string, hello *tls.ClientHelloInfo) {
	versions := make([]string, len(hello.SupportedVersions))
	for i, v := range hello.SupportedVersions {
		versions[i] = tls.VersionName(v)
	}
	suites := make([]string, len(hello.CipherSuites))
	for i, s := range hello.CipherSuites {
		suites[i] = tls.CipherSuiteName(s)
	}
	log.Info("client hello", "case", name, "remote", hello.Conn.RemoteAddr().String(), "sni", hello.ServerName,
		"versions", strings.Join(versions, ","), "suites", strings.Join(suites, ","),
		"alpn", strings.Join(hello.SupportedProtos, ","))
}

// info describes every case for the first line of fixtures serve.
func (cs *caseServers) info() map[string]caseInfo {
	_, sniPort, _ := net.SplitHostPort(cs.sniAddr)
	m := make(map[string]caseInfo)
	for _, c := range cs.set.Cases {
		_, port, _ := net.SplitHostPort(cs.addrs[c.Name])
		m[c.Name] = caseInfo{Addr: cs.addrs[c.Name], ServerName: "localhost",
			URL:     "https://localhost:" + port + "/",
			SNIURL:  "https://" + pki.SNIName(c.Name) + ":" + sniPort + "/",
			Verdict: string(c.Verdict), Why: c.Why}
	}
	return m
}

func (cs *caseServers) file(name string) string { return filepath.Join(cs.dir, name) }

// pageFor answers HTTP requests to a case's own port: the valid case shows
// the index of every case.
func (cs *caseServers) pageFor(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.page(w, name)
	})
}

func (cs *caseServers) sniPage(w http.ResponseWriter, r *http.Request) {
	cs.page(w, sniCase(r.TLS.ServerName, cs.addrs))
}

func (cs *caseServers) page(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c, _ := cs.set.Case(name)
	fmt.Fprintf(w, "<!doctype html>\n<title>tlskit fixture: %s</title>\n", name)
	fmt.Fprintf(w, "<h1 id=\"case\">%s</h1>\n<p>Expected verdict: <b>%s</b>. %s</p>\n", name, c.Verdict, html.EscapeString(c.Why))
	fmt.Fprintf(w, "<p>Your client accepted this connection.</p>\n")
	if name == "valid" {
		cs.index(w)
	}
}

// index lists every case as links, badssl.com style.
func (cs *caseServers) index(w http.ResponseWriter) {
	info := cs.info()
	fmt.Fprintf(w, "<h2>All cases</h2>\n<table>\n<tr><th>case</th><th>verdict</th><th>own port</th><th>by SNI</th><th>why</th></tr>\n")
	for _, c := range cs.set.Cases {
		i := info[c.Name]
		fmt.Fprintf(w, "<tr><td>%s</td><td>%s</td><td><a href=\"%s\">%s</a></td><td><a href=\"%s\">%s</a></td><td>%s</td></tr>\n",
			c.Name, c.Verdict, i.URL, i.URL, i.SNIURL, i.SNIURL, html.EscapeString(c.Why))
	}
	fmt.Fprintf(w, "</table>\n")
}
