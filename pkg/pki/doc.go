// Package pki makes plans over many files at once: a bootstrap directory (a
// CA, a server certificate and client certificates, read, planned as create,
// keep or reissue per file, then applied all-or-nothing and recorded in
// manifest.json) and the fixture certificates that a TLS client must accept
// or reject. The fixture cases of a local test server (each case's
// certificates plus the TLS settings it needs) and CA hierarchies belong here
// too; cmd/tlskit wires them to pkg/echo servers.
//
// pki may import pkg/certs, pkg/keys and pkg/safefile; it must not import
// pkg/echo. It never prints, prompts or exits.
package pki
