// Package pki makes plans over many files at once: a bootstrap directory (a
// CA, a server certificate and client certificates, read, planned as create,
// keep or reissue per file, then applied all-or-nothing and recorded in
// manifest.json) and the fixture certificates that a TLS client must accept
// or reject. MakeCases makes the fixture cases of the local test server
// (each case's certificate chain and key, the TLS settings it needs as plain
// data, and the verdict a correct client must reach, with why), and
// WriteCaseDir and ReadCaseDir keep them in a directory; cmd/tlskit wires
// them to pkg/echo servers. Authority issues the certificates, including
// ones tlskit's commands refuse to make; CA hierarchies belong here too.
//
// pki may import pkg/certs, pkg/keys and pkg/safefile; it must not import
// pkg/echo. It never prints, prompts or exits.
package pki
