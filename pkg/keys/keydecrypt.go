package keys

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"strings"

	"github.com/youmark/pkcs8"
)

// errBadDecryption means the plaintext has bad padding or is not one DER
// SEQUENCE: what a wrong passphrase produces.
var errBadDecryption = errors.New("decryption produced garbage")

// checkedCBC wraps youmark/pkcs8's CBC ciphers: it refuses input that would
// make them panic, and checks and strips the PKCS#7 padding they ignore, so
// that a wrong passphrase is detected instead of handing garbage to the DER
// parser. It then names a key of an algorithm tlskit cannot use: youmark/pkcs8
// would call it a wrong passphrase, though the decryption was right.
type checkedCBC struct {
	pkcs8.Cipher
	blockSize int
}

func (c checkedCBC) Decrypt(key, iv, ciphertext []byte) ([]byte, error) {
	if len(iv) != c.blockSize || len(ciphertext) == 0 || len(ciphertext)%c.blockSize != 0 {
		return nil, keyErrorf(ErrMalformed, "malformed encrypted key: bad IV or ciphertext length")
	}
	plain, err := c.Cipher.Decrypt(key, iv, ciphertext)
	if err != nil {
		return nil, err
	}
	body, err := unpad(plain, c.blockSize)
	if err != nil {
		return nil, err
	}
	if err := foreignKeyError("PRIVATE KEY", body); err != nil {
		return nil, err
	}
	return body, nil
}

func unpad(plain []byte, blockSize int) ([]byte, error) {
	n := int(plain[len(plain)-1])
	if n == 0 || n > blockSize || !bytes.Equal(plain[len(plain)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errBadDecryption
	}
	body := plain[:len(plain)-n]
	var seq asn1.RawValue
	if rest, err := asn1.Unmarshal(body, &seq); err != nil || len(rest) != 0 || seq.Tag != asn1.TagSequence {
		return nil, errBadDecryption
	}
	return body, nil
}

// youmark/pkcs8 looks its ciphers up in a registry; replacing the CBC entries
// puts checkedCBC in front of every decryption it does.
func init() {
	for _, c := range pbes2Ciphers {
		wrapped := checkedCBC{Cipher: c.impl, blockSize: c.blockSize}
		pkcs8.RegisterCipher(c.oid, func() pkcs8.Cipher { return wrapped })
	}
}

// passphraseErr carries an error from the caller's PassphraseFunc through
// unchanged, so that ReadKeyFile does not prefix it a second time.
type passphraseErr struct{ err error }

func (e *passphraseErr) Error() string { return e.err.Error() }
func (e *passphraseErr) Unwrap() error { return e.err }

func askPassphrase(get PassphraseFunc) ([]byte, error) {
	if get == nil {
		return nil, ErrNoPassphrase
	}
	p, err := get()
	if err != nil {
		return nil, &passphraseErr{err}
	}
	if len(p) == 0 {
		return nil, ErrNoPassphrase
	}
	return p, nil
}

// decryptPKCS8 reads an "ENCRYPTED PRIVATE KEY" block. The parameters are
// validated before the passphrase is asked for, so a bad file never prompts.
func decryptPKCS8(der []byte, get PassphraseFunc) (crypto.Signer, error) {
	info, err := parsePBES2(der)
	if err != nil {
		return nil, err
	}
	if err := info.validate(); err != nil {
		return nil, err
	}
	pass, err := askPassphrase(get)
	if err != nil {
		return nil, err
	}
	key, err := youmarkParse(der, pass)
	if err != nil {
		return nil, decryptionError(err)
	}
	return asSigner(key)
}

func decryptionError(err error) error {
	var ke *keyErr
	switch {
	case errors.Is(err, errBadDecryption):
		return ErrWrongPassphrase
	case errors.As(err, &ke):
		return err
	}
	// checkedCBC found well-padded DER, so the passphrase was right and
	// youmark/pkcs8 failed on the key inside.
	return keyErrorf(ErrMalformed, "decrypted key is corrupted or of an unsupported type")
}

// youmarkParse is the last line of defence: validate should have ruled out
// every input that makes youmark/pkcs8 panic, but a panic must never escape.
func youmarkParse(der, pass []byte) (key any, err error) {
	defer func() {
		if r := recover(); r != nil {
			key, err = nil, keyErrorf(ErrMalformed, "malformed encrypted key (%v)", r)
		}
	}()
	key, _, err = pkcs8.ParsePrivateKey(der, pass)
	return key, err
}

// decryptLegacy reads PEM with Proc-Type/DEK-Info headers, as openssl's
// -traditional output.
func decryptLegacy(block *pem.Block, get PassphraseFunc) (crypto.Signer, error) {
	if _, err := legacyCipher(block); err != nil {
		return nil, err
	}
	pass, err := askPassphrase(get)
	if err != nil {
		return nil, err
	}
	// Deprecated for the format's weak design, but it is the standard library's
	// only reader of it, and openssl -traditional still writes it.
	//lint:ignore SA1019 see above
	der, err := x509.DecryptPEMBlock(block, pass)
	if errors.Is(err, x509.IncorrectPasswordError) {
		return nil, ErrWrongPassphrase
	}
	if err != nil {
		return nil, keyErrorf(ErrMalformed, "malformed encrypted %s", block.Type)
	}
	// Its padding check lets about one wrong passphrase in 256 through, so a
	// key that does not parse after decryption means a wrong passphrase.
	key, err := parsePlain(block.Type, der)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return key, nil
}

// legacyCiphers are the DEK-Info ciphers x509.DecryptPEMBlock knows.
var legacyCiphers = map[string]bool{
	"DES-CBC": true, "DES-EDE3-CBC": true, "AES-128-CBC": true, "AES-192-CBC": true, "AES-256-CBC": true,
}

func legacyCipher(block *pem.Block) (string, error) {
	if plainFormats[block.Type] == "" {
		return "", keyErrorf(ErrUnsupported, "unsupported key format %q", block.Type)
	}
	name, iv, ok := strings.Cut(block.Headers["DEK-Info"], ",")
	if !ok || name == "" || iv == "" {
		return "", keyErrorf(ErrMalformed, "malformed encrypted %s: bad DEK-Info header", block.Type)
	}
	if !legacyCiphers[name] {
		return name, keyErrorf(ErrUnsupported, "unsupported legacy PEM cipher %q", name)
	}
	return name, nil
}

func asSigner(key any) (crypto.Signer, error) {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, keyErrorf(ErrUnsupported, "unsupported private key type %T", key)
	}
	return signer, nil
}
