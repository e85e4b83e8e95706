package formats

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"fmt"

	"codeward.dev/internal/vault"
)

// WrongPassword returns the error for an encrypted file that did not open. AES-GCM (and
// unauthenticated padding checks) cannot tell a wrong password from a damaged file; the
// password is the likelier cause, so the error wraps vault.ErrWrongPassword and says both.
func WrongPassword(format string) error {
	return fmt.Errorf("%s: %w (or the file is damaged)", format, vault.ErrWrongPassword)
}

// errNonceSize keeps a nonce of the wrong length from reaching cipher.AEAD.Open, which
// panics on one.
var errNonceSize = errors.New("formats: AES-GCM nonce of the wrong length")

// OpenGCM opens ciphertext‖tag sealed with AES-GCM (key of 16, 24 or 32 bytes, 12-byte
// nonce, 16-byte tag, no additional data), the cipher most apps' backups use. The caller
// maps an error to its own sentinel: only it knows whether the key came from a password.
func OpenGCM(key, nonce, sealed []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(nonce) != gcm.NonceSize() {
		return nil, errNonceSize
	}
	return gcm.Open(nil, nonce, sealed, nil)
}
