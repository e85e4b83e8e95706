package aegis

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"

	"golang.org/x/crypto/scrypt"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

// ScryptParams are the password slot's scrypt parameters.
type ScryptParams struct{ N, R, P int }

// DefaultScrypt is what Aegis itself uses (32 MiB).
var DefaultScrypt = ScryptParams{N: 1 << 15, R: 8, P: 1}

// Exporter writes Aegis vaults. The zero value uses DefaultScrypt and crypto/rand.
type Exporter struct {
	Scrypt ScryptParams // zero: DefaultScrypt
	Rand   io.Reader    // zero: crypto/rand
}

// NeedsPassword is false: without a password Export writes a plain vault.
func (Exporter) NeedsPassword() bool { return false }

// Export writes accounts as an Aegis vault, encrypted when password is non-nil.
func (x Exporter) Export(accounts []vault.Account, password []byte) ([]byte, error) {
	r := x.Rand
	if r == nil {
		r = rand.Reader
	}
	entries := make([]entry, 0, len(accounts))
	for i, a := range accounts {
		k, err := a.Key()
		if err != nil {
			return nil, fmt.Errorf("aegis: account %d (%s): %w", i+1, formats.Label(a.Issuer, a.Name), err)
		}
		id, err := newUUID(r)
		if err != nil {
			return nil, err
		}
		digits := k.Digits
		e := entry{
			Type: string(k.Type), UUID: id, Name: k.Name, Issuer: k.Issuer, Note: a.Note,
			Info: info{Secret: otp.EncodeSecret(k.Secret), Algo: string(k.Algorithm), Digits: &digits},
		}
		if k.Type == otp.HOTP {
			c := k.Counter
			e.Info.Counter = &c
		} else {
			p := k.Period
			e.Info.Period = &p
		}
		entries = append(entries, e)
	}
	content := appendDB(make([]byte, 0, 256*len(entries)+32), entries) // ~200 B per entry
	if password == nil {
		return appendVault(header{}, content), nil
	}
	plain := content
	sp := x.Scrypt
	if sp == (ScryptParams{}) {
		sp = DefaultScrypt
	}
	if err := checkScrypt(sp.N, sp.R, sp.P); err != nil {
		return nil, err
	}
	master := make([]byte, 32)
	salt := make([]byte, 32)
	slotNonce := make([]byte, 12)
	dbNonce := make([]byte, 12)
	for _, b := range [][]byte{master, salt, slotNonce, dbNonce} {
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("aegis: reading randomness: %w", err)
		}
	}
	kek, err := scrypt.Key(password, salt, sp.N, sp.R, sp.P, 32)
	if err != nil {
		return nil, fmt.Errorf("aegis: %w", err)
	}
	wrapped, wrapTag, err := sealGCM(kek, slotNonce, master)
	if err != nil {
		return nil, err
	}
	dbCT, dbTag, err := sealGCM(master, dbNonce, plain)
	if err != nil {
		return nil, err
	}
	slotID, err := newUUID(r)
	if err != nil {
		return nil, err
	}
	repaired, isBackup := true, false
	h := header{
		Slots: []slot{{
			Type: slotPassword, UUID: slotID, Key: hex.EncodeToString(wrapped),
			KeyParams: &params{Nonce: hex.EncodeToString(slotNonce), Tag: hex.EncodeToString(wrapTag)},
			N:         sp.N, R: sp.R, P: sp.P, Salt: hex.EncodeToString(salt),
			Repaired: &repaired, IsBackup: &isBackup,
		}},
		Params: &params{Nonce: hex.EncodeToString(dbNonce), Tag: hex.EncodeToString(dbTag)},
	}
	db := strictjson.AppendString(nil, base64.StdEncoding.EncodeToString(dbCT))
	return appendVault(h, db), nil
}

// sealGCM returns ciphertext and tag separately, as Aegis stores them.
func sealGCM(key, nonce, plain []byte) (ct, tag []byte, err error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, nil, err
	}
	out := gcm.Seal(nil, nonce, plain, nil)
	n := len(out) - gcm.Overhead()
	return out[:n], out[n:], nil
}

// newUUID returns a random (version 4) UUID, as Aegis gives every entry and slot.
func newUUID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("aegis: reading randomness: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}
