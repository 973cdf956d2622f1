package pki_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/tlskit/tlskit/pkg/keys"
	"github.com/tlskit/tlskit/pkg/pki"
)

// A bootstrap is planned from what the directory holds, then applied; a
// second plan for the same request keeps everything.
func ExamplePlanBootstrap() {
	dir, _ := os.MkdirTemp("", "pki")
	defer os.RemoveAll(dir)
	req := pki.BootstrapRequest{
		Hosts:   certs.SANs{DNSNames: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)}},
		Clients: []string{"ci"}, Days: 365, CADays: 3650, RenewWithin: 30 * 24 * time.Hour,
		Key: keys.KeySpec{Algorithm: "ecdsa"}, // Passphrase nil: unencrypted keys
	}
	for run := 1; run <= 2; run++ {
		state, _ := pki.ReadBootstrapDir(dir, req.Clients)
		plan, err := pki.PlanBootstrap(state, req)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, it := range plan.Items {
			fmt.Printf("run %d: %s %s\n", run, it.CertFile, it.Action)
		}
		if _, err := pki.ApplyBootstrap(dir, plan); err != nil {
			fmt.Println(err)
		}
	}
	_, err := os.Stat(filepath.Join(dir, pki.ManifestFile))
	fmt.Println("manifest written:", err == nil)
	// Output:
	// run 1: ca.crt create
	// run 1: server.crt create
	// run 1: client-ci.crt create
	// run 2: ca.crt keep
	// run 2: server.crt keep
	// run 2: client-ci.crt keep
	// manifest written: true
}

// Fixtures come with the verdict a correct TLS client must reach.
func ExampleMakeFixtures() {
	set, err := pki.MakeFixtures(certs.SANs{DNSNames: []string{"localhost"}}, time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range set.Fixtures {
		fmt.Println(f.CertFile, f.Accept)
	}
	// Output:
	// valid.crt true
	// expired.crt false
	// not-yet-valid.crt false
	// wrong-host.crt false
	// untrusted.crt false
	// wrong-eku.crt false
}

// VerifyChain lists every problem of a certificate, one per line.
func ExampleVerifyChain() {
	set, _ := pki.MakeFixtures(certs.SANs{DNSNames: []string{"localhost"}}, time.Now())
	roots, _ := certs.ParseCertificatesPEM(set.CACert)
	wrongHost, _ := certs.ParseCertificatesPEM(set.Fixtures[3].Cert)
	for _, p := range certs.VerifyChain(wrongHost, certs.VerifyOptions{Roots: roots, Host: "localhost"}) {
		fmt.Println(p.Message)
	}
	// Output:
	// the certificate is valid for wrong-host.invalid, not localhost
}
