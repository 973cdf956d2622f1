package main

import (
	"crypto/tls"
	"fmt"
	"time"

	"github.com/tlskit/tlskit/pkg/certs"
	"github.com/urfave/cli/v2"
)

// expiresWithinFlag is the expiry gate of verify and connect.
var expiresWithinFlag = func() cli.Flag {
	f := durationFlag("expires-within", 0, "exit 6 if a certificate of the chain expires within `DURATION` (30d, 12h)")
	f.DefaultText = "no check"
	return f
}()

// expiresWithin reads --expires-within: 0 when it is not given, and the
// window as the messages show it.
func expiresWithin(c *cli.Context) (time.Duration, error) {
	if !c.IsSet("expires-within") {
		return 0, nil
	}
	d := c.Duration("expires-within")
	if d <= 0 {
		return 0, usageError("give a positive time such as 30d or 12h", "--expires-within %s is not positive", formatDuration(d))
	}
	return d, nil
}

// printExpiring names each certificate that expires within the window.
func (e *env) printExpiring(name string, exp []certs.Expiring, window string) {
	for _, x := range exp {
		e.printProblem(name, x.String()+", within --expires-within "+window, "renew it before then")
	}
}

// expiryGate finds the certificates of the server's chain (as verified, or
// as sent with --insecure) that expire within the window. The gate it returns
// runs at the end of the session: it names them, and exits 6 if the session
// itself went well.
func (e *env) expiryGate(state tls.ConnectionState, addr string, within time.Duration, window string) func(error) error {
	if within <= 0 {
		return func(err error) error { return err }
	}
	chain := state.PeerCertificates
	if len(state.VerifiedChains) > 0 {
		chain = state.VerifiedChains[0]
	}
	exp := certs.ExpiringWithin(chain, time.Now(), within)
	return func(err error) error {
		e.printExpiring(addr, exp, window)
		if err != nil || len(exp) == 0 {
			return err
		}
		return withCode(exitExpiring, fmt.Errorf("a certificate of the server's chain expires within %s", window))
	}
}
