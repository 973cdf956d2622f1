package keys

import "fmt"

// keyErr is an error with its own message that still matches a sentinel with
// errors.Is, so messages read naturally ("found a CERTIFICATE, not a private
// key") instead of repeating the sentinel's text.
type keyErr struct {
	msg  string
	kind error
}

func (e *keyErr) Error() string { return e.msg }
func (e *keyErr) Unwrap() error { return e.kind }

func keyErrorf(kind error, format string, args ...any) error {
	return &keyErr{msg: fmt.Sprintf(format, args...), kind: kind}
}
