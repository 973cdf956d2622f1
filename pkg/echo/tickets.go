package echo

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/binary"
	"sync"
	"time"
)

// ticketKeys owns the session-ticket keys. crypto/tls rotates its own keys
// daily and accepts tickets for 7 days, but only as long as nobody calls
// SetSessionTicketKeys; tlskit must call it to drop every old session when
// the certificate is reloaded, so it rotates the keys itself: a new key
// every lifetime, the previous one kept for one more lifetime so that
// tickets issued just before a rotation still work.
//
// Each ticket also carries the time it was issued (in SessionState.Extra),
// and a ticket older than lifetime is ignored: the client then makes a
// full handshake. crypto/tls does not carry that stamp over when it issues
// a new ticket on a resumed connection, so a client that keeps resuming
// within each lifetime keeps its session until the keys rotate it out;
// and it advertises a 7-day ticket lifetime hint whatever tlskit accepts.
type ticketKeys struct {
	tls      *tls.Config
	lifetime time.Duration
	now      func() time.Time

	mu    sync.Mutex
	keys  [][32]byte // newest first
	since time.Time  // when keys[0] was made
}

// stampTag marks tlskit's issue-time stamp among a session's Extra values.
const stampTag = "tlskit-issued:"

func (k *ticketKeys) init(c *tls.Config, lifetime time.Duration) error {
	k.tls, k.lifetime, k.now = c, lifetime, time.Now
	c.WrapSession = k.wrap
	c.UnwrapSession = k.unwrap
	return k.reset()
}

// reset replaces every key: no ticket issued before it can be resumed. A
// fixture server, whose TLS configuration is the caller's, has no keys of
// tlskit's to reset.
func (k *ticketKeys) reset() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.tls == nil {
		return nil
	}
	return k.rotateLocked(false)
}

func (k *ticketKeys) rotateLocked(keepPrevious bool) error {
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return err
	}
	keys := [][32]byte{key}
	if keepPrevious && len(k.keys) > 0 {
		keys = append(keys, k.keys[0])
	}
	k.keys, k.since = keys, k.now()
	k.tls.SetSessionTicketKeys(keys)
	return nil
}

// rotateIfDue makes a new key once the newest is lifetime old.
func (k *ticketKeys) rotateIfDue() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.now().Sub(k.since) < k.lifetime {
		return nil
	}
	return k.rotateLocked(true)
}

// clock reads now, which tests may replace.
func (k *ticketKeys) clock() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.now()
}

// wrap stamps the session with the time and encrypts it.
func (k *ticketKeys) wrap(cs tls.ConnectionState, ss *tls.SessionState) ([]byte, error) {
	if err := k.rotateIfDue(); err != nil {
		return nil, err
	}
	stamp := binary.BigEndian.AppendUint64([]byte(stampTag), uint64(k.clock().Unix()))
	ss.Extra = append(ss.Extra, stamp)
	return k.tls.EncryptTicket(cs, ss)
}

// unwrap decrypts a ticket and drops it (nil, nil: a full handshake, not
// an error) when its key is gone, it is too old, or it has no stamp.
func (k *ticketKeys) unwrap(identity []byte, cs tls.ConnectionState) (*tls.SessionState, error) {
	ss, err := k.tls.DecryptTicket(identity, cs)
	if err != nil || ss == nil {
		return nil, nil
	}
	issued, ok := issuedAt(ss)
	if !ok || k.clock().Sub(issued) > k.lifetime {
		return nil, nil
	}
	return ss, nil
}

func issuedAt(ss *tls.SessionState) (time.Time, bool) {
	for _, e := range ss.Extra {
		if len(e) == len(stampTag)+8 && string(e[:len(stampTag)]) == stampTag {
			return time.Unix(int64(binary.BigEndian.Uint64(e[len(stampTag):])), 0), true
		}
	}
	return time.Time{}, false
}
