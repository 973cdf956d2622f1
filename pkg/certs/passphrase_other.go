//go:build !unix

package certs

func fdPassphrase(fd int) ([]byte, error) {
	return nil, keyErrorf(ErrBadPassSource, "passphrase source fd:%d: not supported on this system", fd)
}
