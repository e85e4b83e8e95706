package aegis

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf16"

	"golang.org/x/crypto/scrypt"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/vault"
)

// Bounds on the scrypt parameters a file may ask for. Aegis uses N=2^15, r=8, p=1
// (32 MiB); the bounds leave room above that while keeping a crafted file from making us
// allocate more than 128 MiB or run for minutes.
const (
	maxScryptMemory = 128 << 20 // 128·N·r bytes
	maxScryptWork   = 1 << 20   // N·r·p: 4× Aegis' default
	maxScryptP      = 16
)

// maxPasswordSlots is how many password slots Import tries, and maxScryptRuns how many
// scrypt runs it spends on them in all (a slot written by old Aegis versions may take a
// second run with the legacy password bytes). Each run costs about a second in a browser,
// and a file may carry any number of slots; Aegis itself adds one per password, rarely
// more than two.
const (
	maxPasswordSlots = 4
	maxScryptRuns    = 6
)

// scryptKey is scrypt.Key; tests count its runs.
var scryptKey = scrypt.Key

// ErrKDFParams is wrapped when a password slot asks for scrypt parameters out of bounds.
var ErrKDFParams = fmt.Errorf("%w: scrypt parameters out of bounds", vault.ErrKDFParams)

func checkScrypt(n, r, p int) error {
	if n < 2 || n&(n-1) != 0 || r < 1 || p < 1 || p > maxScryptP ||
		int64(n)*int64(r)*128 > maxScryptMemory || int64(n)*int64(r)*int64(p) > maxScryptWork {
		return fmt.Errorf("%w (the file asks for scrypt N=%d, r=%d, p=%d; Codeward reads at most %d MiB, N·r·p ≤ %d, p ≤ %d)",
			ErrKDFParams, n, r, p, maxScryptMemory>>20, maxScryptWork, maxScryptP)
	}
	return nil
}

func decodeHex(s string, n int) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || (n > 0 && len(b) != n) {
		return nil, fmt.Errorf("%w: bad hex field", ErrCorrupt)
	}
	return b, nil
}

// openGCM opens ciphertext‖tag as Aegis stores them (separately, hex or base64).
func openGCM(key, nonce, ct, tag []byte) ([]byte, error) {
	if len(nonce) != 12 || len(tag) != 16 {
		return nil, fmt.Errorf("%w: bad nonce or tag length", ErrCorrupt)
	}
	return formats.OpenGCM(key, nonce, append(append([]byte{}, ct...), tag...))
}

// decrypt finds the master key through a password slot and opens the db.
func decrypt(f *file, password []byte) ([]byte, error) {
	if f.Header.Params == nil {
		return nil, fmt.Errorf("%w: encrypted vault without params", ErrCorrupt)
	}
	ct, err := readString(f.DB)
	if err != nil {
		return nil, fmt.Errorf("%w: db is not base64 text", ErrCorrupt)
	}
	dbCT, err := base64.StdEncoding.DecodeString(ct)
	if err != nil {
		return nil, fmt.Errorf("%w: db is not base64", ErrCorrupt)
	}
	nonce, err := decodeHex(f.Header.Params.Nonce, 12)
	if err != nil {
		return nil, err
	}
	tag, err := decodeHex(f.Header.Params.Tag, 16)
	if err != nil {
		return nil, err
	}
	master, err := unlockSlots(f.Header.Slots, password)
	if err != nil {
		return nil, err
	}
	content, err := openGCM(master, nonce, dbCT, tag)
	if err != nil {
		// The master key opened a slot, so the key is right: the db itself is damaged.
		return nil, fmt.Errorf("%w: the vault contents fail authentication", ErrCorrupt)
	}
	return content, nil
}

func unlockSlots(slots []slot, password []byte) ([]byte, error) {
	tried, total, runs := 0, 0, maxScryptRuns
	var firstErr error
	for _, s := range slots {
		if s.Type != slotPassword {
			continue // raw and biometric slots need a key held on the phone
		}
		total++
		if tried == maxPasswordSlots || runs <= 0 {
			continue // counted for the message, not tried
		}
		tried++
		master, err := unlockPasswordSlot(s, password, &runs)
		if err == nil {
			return master, nil
		}
		if !errors.Is(err, vault.ErrWrongPassword) && firstErr == nil {
			firstErr = err
		}
	}
	switch {
	case tried == 0:
		return nil, fmt.Errorf("%w: no password slot (a biometric-only vault cannot be opened here)", ErrCorrupt)
	case firstErr != nil && tried == 1:
		return nil, firstErr
	case total > tried:
		return nil, fmt.Errorf("aegis: %w for the first %d of its %d password slots (Codeward tries at most %d slots and %d key derivations, each a second or more)",
			vault.ErrWrongPassword, tried, total, maxPasswordSlots, maxScryptRuns)
	}
	return nil, fmt.Errorf("aegis: %w", vault.ErrWrongPassword)
}

// unlockPasswordSlot opens one slot, spending scrypt runs from *runs (one, or two for a
// legacy slot while runs remain).
func unlockPasswordSlot(s slot, password []byte, runs *int) ([]byte, error) {
	if err := checkScrypt(s.N, s.R, s.P); err != nil {
		return nil, err
	}
	if s.KeyParams == nil {
		return nil, fmt.Errorf("%w: slot without key_params", ErrCorrupt)
	}
	salt, err := decodeHex(s.Salt, 0)
	if err != nil {
		return nil, err
	}
	wrapped, err := decodeHex(s.Key, 32)
	if err != nil {
		return nil, err
	}
	nonce, err := decodeHex(s.KeyParams.Nonce, 12)
	if err != nil {
		return nil, err
	}
	tag, err := decodeHex(s.KeyParams.Tag, 16)
	if err != nil {
		return nil, err
	}
	try := func(pw []byte) ([]byte, error) {
		*runs--
		kek, err := scryptKey(pw, salt, s.N, s.R, s.P, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrKDFParams, err)
		}
		return openGCM(kek, nonce, wrapped, tag)
	}
	master, err := try(password)
	if err == nil {
		return master, nil
	}
	// Before the "repaired" flag existed, Aegis derived slot keys from Java's whole
	// encoder buffer, zero bytes past the password included (Aegis issue #95). Such a
	// slot is not marked repaired; the padding only changes the key when the buffer is
	// longer than HMAC's 64-byte block, so retry only then.
	if s.Repaired == nil || !*s.Repaired {
		if legacy := javaLegacyBytes(password); *runs > 0 && len(legacy) > 64 && len(legacy) != len(password) {
			if master, err := try(legacy); err == nil {
				return master, nil
			}
		}
	}
	return nil, vault.ErrWrongPassword
}

// javaLegacyBytes returns what Java's StandardCharsets.UTF_8.encode(CharBuffer).array()
// yields for password: the UTF-8 bytes followed by the unused zero bytes of the encoder's
// buffer, which starts at ⌊1.1·chars⌋ bytes and grows to 2n+1 when full.
func javaLegacyBytes(password []byte) []byte {
	units := len(utf16.Encode([]rune(string(password))))
	n := int(float32(units) * float32(1.1))
	for n < len(password) {
		n = 2*n + 1
	}
	out := make([]byte, n)
	copy(out, password)
	return out
}
