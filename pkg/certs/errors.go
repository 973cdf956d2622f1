package certs

import "errors"

// Sentinel errors. Callers branch on them with errors.Is; every error returned
// by this package wraps one of them (or an *os.PathError) and names the file
// or value it is about.
var (
	// Key material.
	ErrWrongPassphrase = errors.New("wrong passphrase")
	ErrNoPassphrase    = errors.New("the key is encrypted and no passphrase was given")
	ErrShortPassphrase = errors.New("passphrase too short")
	ErrNotPrivateKey   = errors.New("not a private key")
	ErrNoPEM           = errors.New("no PEM data found")
	ErrMalformed       = errors.New("malformed or corrupted data")
	ErrUnsupported     = errors.New("unsupported format or algorithm")
	ErrUnsafeParams    = errors.New("unsafe encryption parameters")
	ErrInsecurePerms   = errors.New("private key file is readable by group or others")
	ErrBadPassSource   = errors.New("bad passphrase source")

	// Key generation.
	ErrUnknownAlgorithm = errors.New("unknown key algorithm")
	ErrUnknownCurve     = errors.New("unknown curve")
	ErrWeakKey          = errors.New("key size too small")

	// Files.
	ErrExists = errors.New("file exists")

	// Subjects, SANs, CSRs and certificates.
	ErrInvalidSubject = errors.New("invalid subject")
	ErrInvalidSAN     = errors.New("invalid subject alternative name")
	ErrNotCSR         = errors.New("not a certificate request")
	ErrNotCertificate = errors.New("not a certificate")
	ErrBadSignature   = errors.New("bad signature")
	ErrKeyMismatch    = errors.New("key does not match")
	ErrInvalidDays    = errors.New("invalid validity period")
	ErrNotCA          = errors.New("certificate is not a CA")

	// Bootstrap directories.
	ErrForeignFile = errors.New("file not made by tlskit bootstrap, or corrupted")
)

// errNotImplemented marks API stubs that are still being filled in.
var errNotImplemented = errors.New("not implemented yet")
