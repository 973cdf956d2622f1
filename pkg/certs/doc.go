// Package certs handles X.509 subjects, subject alternative names,
// certificate requests and certificates: parsing openssl's -subj syntax,
// making requests, self-signing and signing with a CA, verifying a chain and
// explaining why it fails, inspecting PEM and DER files, and reading
// certificate files with a size bound.
//
// certs may import pkg/keys and pkg/safefile; it must not import pkg/pki or
// pkg/echo. It never prints, prompts or exits.
package certs
