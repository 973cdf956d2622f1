package pki

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/safefile"
)

const day = 24 * time.Hour

func bootstrapReq(now time.Time, hosts ...string) BootstrapRequest {
	if len(hosts) == 0 {
		hosts = []string{"localhost"}
	}
	var sans certs.SANs
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			sans.IPs = append(sans.IPs, ip)
		} else {
			sans.DNSNames = append(sans.DNSNames, h)
		}
	}
	return BootstrapRequest{
		Hosts: sans, Clients: []string{"ci"}, Days: 365, CADays: 3650, RenewWithin: 30 * day,
		Passphrase: []byte("correct-horse"), Encryption: keys.Encryption{Iterations: 1000},
		Key: keys.KeySpec{Algorithm: "ecdsa"}, Now: now,
	}
}

// bootstrapDir runs a full bootstrap of req in a new directory.
func bootstrapDir(t *testing.T, req BootstrapRequest) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pki")
	applyDir(t, dir, req)
	return dir
}

func applyDir(t *testing.T, dir string, req BootstrapRequest) *Plan {
	t.Helper()
	plan := planDir(t, dir, req)
	if _, err := ApplyBootstrap(dir, plan); err != nil {
		t.Fatal(err)
	}
	return plan
}

func planDir(t *testing.T, dir string, req BootstrapRequest) *Plan {
	t.Helper()
	plan, err := planDirErr(dir, req)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func planDirErr(dir string, req BootstrapRequest) (*Plan, error) {
	state, err := ReadBootstrapDir(dir, req.Clients)
	if err != nil {
		return nil, err
	}
	return PlanBootstrap(state, req)
}

func unconstrained(r BootstrapRequest) BootstrapRequest {
	r.Unconstrained = true
	return r
}

func actions(p *Plan) map[string]Action {
	m := map[string]Action{}
	for _, it := range p.Items {
		m[it.Name] = it.Action
	}
	return m
}

// TestPlanBootstrapDecisions runs a second bootstrap against one made now,
// with the request or the clock changed, and checks what the plan does.
func TestPlanBootstrapDecisions(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, bootstrapReq(now, "localhost", "127.0.0.1"))
	keep, reissue, create := ActionKeep, ActionReissue, ActionCreate
	tests := []struct {
		name                string
		req                 BootstrapRequest
		ca, server, clients Action
	}{
		{"same request", bootstrapReq(now, "127.0.0.1", "localhost"), keep, keep, keep},
		// The CA's name constraints follow the hosts: it is reissued with
		// its key and name, so the client certificates stay.
		{"host added", bootstrapReq(now, "localhost", "127.0.0.1", "api.test"), reissue, reissue, keep},
		{"host removed", bootstrapReq(now, "localhost"), reissue, reissue, keep},
		{"constraints dropped", unconstrained(bootstrapReq(now, "localhost", "127.0.0.1")), reissue, keep, keep},
		{"leaves expiring", bootstrapReq(now.Add(340*day), "localhost", "127.0.0.1"), keep, reissue, reissue},
		{"leaves expired", bootstrapReq(now.Add(400*day), "localhost", "127.0.0.1"), keep, reissue, reissue},
		{"CA expiring", bootstrapReq(now.Add(3640*day), "localhost", "127.0.0.1"), reissue, reissue, reissue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := actions(planDir(t, dir, tt.req))
			want := map[string]Action{"ca": tt.ca, "server": tt.server, "client-ci": tt.clients}
			for name, a := range want {
				if got[name] != a {
					t.Errorf("%s: %s, want %s", name, got[name], a)
				}
			}
		})
	}
	more := bootstrapReq(now, "localhost", "127.0.0.1")
	more.Clients = append(more.Clients, "deploy")
	if got := actions(planDir(t, dir, more)); got["client-deploy"] != create || got["server"] != keep {
		t.Errorf("new client: %v, want client-deploy created and the rest kept", got)
	}
}

func TestBootstrapRenewKeepsKeysAndCA(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, bootstrapReq(now))
	before := readAll(t, dir)
	applyDir(t, dir, bootstrapReq(now.Add(340*day)))
	after := readAll(t, dir)
	for _, same := range []string{CACertFile, CAKeyFile, ServerKeyFile, "client-ci.key"} {
		if before[same] != after[same] {
			t.Errorf("%s changed on renewal", same)
		}
	}
	for _, changed := range []string{ServerCertFile, "client-ci.crt", ManifestFile} {
		if before[changed] == after[changed] {
			t.Errorf("%s not renewed", changed)
		}
	}
	// Renewed leaves still chain to the kept CA.
	m := planDir(t, dir, bootstrapReq(now.Add(340*day)))
	if m.Changes() {
		t.Errorf("a run after the renewal still plans changes: %v", actions(m))
	}
}

func TestBootstrapCARenewalKeepsTrust(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, bootstrapReq(now))
	oldCA := readAll(t, dir)[CACertFile]
	later := now.Add(3640 * day)
	applyDir(t, dir, bootstrapReq(later))
	files := readAll(t, dir)
	if files[CACertFile] == oldCA {
		t.Fatal("CA not renewed")
	}
	roots, _ := certs.ParseCertificatesPEM([]byte(files[CACertFile]))
	leaf, _ := certs.ParseCertificatesPEM([]byte(files[ServerCertFile]))
	if probs := certs.VerifyChain(leaf, certs.VerifyOptions{Roots: roots, Host: "localhost", Now: later.Add(day)}); probs != nil {
		t.Errorf("server.crt does not verify against the renewed CA: %v", probs)
	}
}

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = string(data)
	}
	return m
}

// TestPlanBootstrapRefuses damages a bootstrapped directory in one way each
// and checks the plan fails with the right error.
func TestPlanBootstrapRefuses(t *testing.T) {
	now := time.Now()
	req := bootstrapReq(now)
	other := readAll(t, bootstrapDir(t, req))
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		req    func(BootstrapRequest) BootstrapRequest
		want   []error
	}{
		{"foreign server.crt", replaceWith(ServerCertFile, other[ServerCertFile]), nil, []error{ErrForeignFile}},
		{"garbage ca.key", replaceWith(CAKeyFile, "garbage"), nil, []error{ErrForeignFile}},
		{"garbage ca.crt", replaceWith(CACertFile, "garbage"), nil, []error{ErrForeignFile, certs.ErrNoPEM}},
		{"leaf as ca.crt", replaceWith(CACertFile, other[ServerCertFile]), nil, []error{ErrForeignFile}},
		{"key of another cert", replaceWith(ServerKeyFile, other[ServerKeyFile]), nil, []error{ErrForeignFile, certs.ErrKeyMismatch}},
		{"key without cert", remove(ServerCertFile), nil, []error{ErrForeignFile}},
		{"CA key without cert", remove(CACertFile), nil, []error{ErrForeignFile}},
		{"leaves without CA", removeBoth(CACertFile, CAKeyFile), nil, []error{ErrForeignFile}},
		{"foreign manifest", replaceWith(ManifestFile, `{"format":"other"}`), nil, []error{ErrForeignFile, ErrUnsupported}},
		{"readable key", chmod(ServerKeyFile, 0o644), nil, []error{keys.ErrInsecurePerms}},
		{"directory as file", mkdir("client-ci.crt"), nil, []error{ErrForeignFile}},
		{"wrong passphrase", nil, withPass("wrong-horse"), []error{keys.ErrWrongPassphrase}},
		{"no passphrase", nil, withPass(""), []error{keys.ErrNoPassphrase}},
		{"no hosts", nil, func(r BootstrapRequest) BootstrapRequest { r.Hosts = certs.SANs{}; return r }, []error{certs.ErrInvalidSAN}},
		{"bad client", nil, func(r BootstrapRequest) BootstrapRequest { r.Clients = []string{"a/b"}; return r }, []error{certs.ErrInvalidSubject}},
		{"no days", nil, func(r BootstrapRequest) BootstrapRequest { r.Days = 0; return r }, []error{certs.ErrInvalidDays}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := bootstrapDir(t, req)
			r := req
			if tt.damage != nil {
				tt.damage(t, dir)
			}
			if tt.req != nil {
				r = tt.req(r)
			}
			_, err := planDirErr(dir, r)
			for _, w := range tt.want {
				if !errors.Is(err, w) {
					t.Errorf("error %v does not wrap %q", err, w)
				}
			}
		})
	}
}

func replaceWith(name, data string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

func remove(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

func removeBoth(a, b string) func(*testing.T, string) {
	return func(t *testing.T, dir string) { remove(a)(t, dir); remove(b)(t, dir) }
}

func chmod(name string, mode os.FileMode) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Chmod(filepath.Join(dir, name), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func mkdir(name string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		remove(name)(t, dir)
		if err := os.Mkdir(filepath.Join(dir, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
}

func withPass(p string) func(BootstrapRequest) BootstrapRequest {
	return func(r BootstrapRequest) BootstrapRequest {
		r.Passphrase = nil
		if p != "" {
			r.Passphrase = []byte(p)
		}
		return r
	}
}

// TestApplyBootstrapAllOrNothing makes a write fail half way (a file appears
// after the plan was made) and checks that the directory is left as it was.
func TestApplyBootstrapAllOrNothing(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, bootstrapReq(now))
	before := readAll(t, dir)
	req := bootstrapReq(now, "localhost", "api.test")
	req.Clients = append(req.Clients, "zz")
	plan := planDir(t, dir, req)
	intruder := filepath.Join(dir, "client-zz.crt")
	if err := os.WriteFile(intruder, []byte("not ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ApplyBootstrap(dir, plan)
	if !errors.Is(err, safefile.ErrExists) {
		t.Fatalf("ApplyBootstrap = %v, want ErrExists", err)
	}
	after := readAll(t, dir)
	delete(after, "client-zz.crt")
	if len(after) != len(before) {
		t.Errorf("files after the failed run: %d, want %d", len(after), len(before))
	}
	for name, data := range before {
		if after[name] != data {
			t.Errorf("%s changed by the failed run", name)
		}
	}
}

func TestBootstrapManifest(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, bootstrapReq(now, "localhost", "127.0.0.1"))
	m, err := ParseManifest([]byte(readAll(t, dir)[ManifestFile]))
	if err != nil {
		t.Fatal(err)
	}
	crts, _ := certs.ReadCertFile(filepath.Join(dir, ServerCertFile))
	switch {
	case m.Server.SHA256 != certs.CertFingerprint(crts[0]):
		t.Errorf("server fingerprint %s, want %s", m.Server.SHA256, certs.CertFingerprint(crts[0]))
	case !m.Server.NotAfter.Equal(crts[0].NotAfter):
		t.Errorf("server not_after %v, want %v", m.Server.NotAfter, crts[0].NotAfter)
	case len(m.Hosts) != 2 || m.Hosts[0] != "localhost" || m.Hosts[1] != "127.0.0.1":
		t.Errorf("hosts %v", m.Hosts)
	case len(m.Clients) != 1 || m.Clients[0].Name != "ci" || m.Clients[0].Cert != "client-ci.crt":
		t.Errorf("clients %+v", m.Clients)
	case !m.CA.KeyEncrypted || !m.Server.KeyEncrypted:
		t.Error("keys not reported encrypted")
	}
	for _, f := range []string{CAKeyFile, ServerKeyFile, "client-ci.key"} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil || fi.Mode().Perm() != keys.KeyFileMode {
			t.Errorf("%s: mode %v, %v; want 0400", f, fi.Mode(), err)
		}
	}
}

// TestBootstrapLostKey: a leaf whose key was deleted gets a new key and a
// new certificate; nothing else changes.
func TestBootstrapLostKey(t *testing.T) {
	now := time.Now()
	dir := bootstrapDir(t, bootstrapReq(now))
	before := readAll(t, dir)
	remove(ServerKeyFile)(t, dir)
	plan := applyDir(t, dir, bootstrapReq(now))
	if a := actions(plan); a["server"] != ActionCreate || a["ca"] != ActionKeep || a["client-ci"] != ActionKeep {
		t.Fatalf("plan %v", a)
	}
	after := readAll(t, dir)
	if after[ServerCertFile] == before[ServerCertFile] || after[CACertFile] != before[CACertFile] {
		t.Error("server.crt not reissued, or ca.crt changed")
	}
	if planDir(t, dir, bootstrapReq(now)).Changes() {
		t.Error("the new server key does not match the new certificate")
	}
}

func TestReadBootstrapDirMissing(t *testing.T) {
	st, err := ReadBootstrapDir(filepath.Join(t.TempDir(), "nope"), []string{"ci"})
	if err != nil || len(st) != 0 {
		t.Fatalf("missing directory: %v, %v", st, err)
	}
}

// TestBootstrapHostOrderKeepsManifest: the same hosts in another order keep
// the server certificate, and the manifest byte for byte.
func TestBootstrapHostOrderKeepsManifest(t *testing.T) {
	now := time.Now()
	tests := []struct{ first, again []string }{
		{[]string{"a.test", "b.test"}, []string{"b.test", "a.test"}},
		{[]string{"::1", "127.0.0.1"}, []string{"127.0.0.1", "::1"}},
		{[]string{"localhost", "127.0.0.1"}, []string{"127.0.0.1", "LOCALHOST"}},
	}
	for _, tt := range tests {
		dir := bootstrapDir(t, bootstrapReq(now, tt.first...))
		before := readAll(t, dir)
		plan := applyDir(t, dir, bootstrapReq(now, tt.again...))
		if plan.Changes() {
			t.Errorf("%v then %v: plan %v, want all kept", tt.first, tt.again, actions(plan))
		}
		if after := readAll(t, dir); after[ManifestFile] != before[ManifestFile] {
			t.Errorf("%v then %v: manifest changed:\n%s", tt.first, tt.again, after[ManifestFile])
		}
	}
}

// TestReadBootstrapDirTooLarge: a huge file in the directory is refused
// without being read whole.
func TestReadBootstrapDirTooLarge(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ServerCertFile), make([]byte, safefile.MaxPublicFile+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBootstrapDir(dir, nil); !errors.Is(err, safefile.ErrTooLarge) {
		t.Fatalf("ReadBootstrapDir = %v, want ErrTooLarge", err)
	}
}
