// Command tlskit makes TLS keys, requests and certificates, and runs a TLS
// echo server and client.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
