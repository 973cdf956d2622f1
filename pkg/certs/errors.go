package certs

import "errors"

// Sentinel errors. Callers branch on them with errors.Is; every error returned
// by this package wraps one of them (or an *os.PathError, or an error of
// pkg/keys or pkg/safefile) and names the file or value it is about.
var (
	ErrNoPEM          = errors.New("no PEM data found")
	ErrMalformed      = errors.New("malformed or corrupted data")
	ErrUnsupported    = errors.New("unsupported format or algorithm")
	ErrInvalidSubject = errors.New("invalid subject")
	ErrInvalidSAN     = errors.New("invalid subject alternative name")
	ErrNotCSR         = errors.New("not a certificate request")
	ErrNotCertificate = errors.New("not a certificate")
	ErrBadSignature   = errors.New("bad signature")
	ErrKeyMismatch    = errors.New("key does not match")
	ErrInvalidDays    = errors.New("invalid validity period")
	ErrNotCA          = errors.New("certificate is not a CA")
	ErrPathLen        = errors.New("path length constraint exceeded")
	ErrOutsideNames   = errors.New("outside the CA's name constraints")
	ErrNoChain        = errors.New("the certificates do not form a chain")
)
