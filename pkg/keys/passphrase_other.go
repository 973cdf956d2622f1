//go:build !unix

package keys

func fdPassphrase(fd int) ([]byte, error) {
	return nil, keyErrorf(ErrBadPassSource, "passphrase source fd:%d: not supported on this system", fd)
}
