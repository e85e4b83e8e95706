package backup

import (
	"testing"

	"codeward.dev/internal/seal"
)

// resealWith encrypts plaintext under h with the test password, as Write would.
func resealWith(t testing.TB, h *header, nonce, plaintext []byte) []byte {
	t.Helper()
	key, check, err := seal.Derive(pw, h.salt, h.kdf)
	if err != nil {
		t.Fatal(err)
	}
	h2 := *h
	h2.check = check[:]
	return marshal(&h2, nonce, seal.Seal(&key, nonce, plaintext, h2.ad()))
}
