// Package vault seals Codeward's account list for storage.
//
// A vault is a random 256-bit data key that encrypts the accounts and settings with
// XChaCha20-Poly1305, plus key slots that each wrap that data key. Version 1 has one slot
// kind, the password slot: Argon2id turns the master password into a key-encryption key.
// The whole header (format, version, every slot with its KDF parameters, salt, check value
// and wrapped key) is authenticated as associated data of the payload, and each slot's wrap
// is bound to its own parameters. The sealed form is a small JSON document, described in
// docs/vault-format.md.
//
// Typical use: Create once; Unlock with the password to obtain the Vault and its DataKey;
// keep the DataKey (never the password) while unlocked; write changes with Reseal, which
// runs no KDF; ChangePassword seals everything under a new data key for the new password.
//
// Compatibility: readers refuse versions they do not know (ErrUnsupportedVersion); a new
// version is introduced for any change to the sealed form.
package vault

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"codeward.dev/internal/seal"
)

// KDFParams are Argon2id's cost parameters (Memory in KiB).
type KDFParams = seal.KDFParams

// DefaultKDF is used when Options.KDF is the zero value: 64 MiB, 3 passes, 4 lanes.
var DefaultKDF = seal.DefaultKDF

// KDF bounds enforced when writing and, before anything is allocated, when reading.
const (
	MinKDFMemory  = seal.MinMemory // KiB per thread
	MaxKDFMemory  = seal.MaxMemory // KiB (1 GiB)
	MinKDFTime    = seal.MinTime
	MaxKDFTime    = seal.MaxTime
	MinKDFThreads = seal.MinThreads
	MaxKDFThreads = seal.MaxThreads
)

// MaxBlobSize is the largest sealed vault Unlock, Open and Reseal accept.
const MaxBlobSize = 16 << 20

// Sentinel errors; every error from this package that callers branch on wraps one.
var (
	ErrWrongPassword      = seal.ErrWrongPassword
	ErrCorrupt            = seal.ErrCorrupt
	ErrUnsupportedVersion = seal.ErrUnsupportedVersion
	ErrKDFParams          = seal.ErrKDFParams
	// ErrInvalid is wrapped by errors about the content handed to Create and Reseal
	// (an account that does not validate, duplicate ids, settings that are not an object)
	// and about an empty password.
	ErrInvalid = errors.New("invalid vault content")
)

// Vault is what a sealed vault holds.
type Vault struct {
	Accounts []Account `json:"accounts"`
	// Settings is a JSON object owned by the extension (auto-lock minutes, autofill,
	// backup reminder state, ...). It is stored compacted; empty means none.
	Settings RawJSON `json:"settings,omitempty"`
}

// DataKey is the key that encrypts the payload. Whoever holds it can read and rewrite the
// vault without the password; keep it only in memory that is cleared on lock.
type DataKey [32]byte

// Options tune Create, Reseal and ChangePassword.
type Options struct {
	// KDF is used for a new password slot. The zero value means DefaultKDF; any other
	// value must be within the bounds as a whole (no field is defaulted on its own).
	// Parameters below DefaultKDF are meant for tests.
	KDF KDFParams
	// Rand supplies keys, salts and nonces; nil means crypto/rand.
	Rand io.Reader
}

func (o Options) kdf() (KDFParams, error) {
	if o.KDF == (KDFParams{}) {
		return DefaultKDF, nil
	}
	return o.KDF, o.KDF.Check()
}

// Create seals v under a new random data key with a password slot for password.
func Create(v *Vault, password []byte, opt Options) (blob []byte, key DataKey, err error) {
	if len(password) == 0 {
		return nil, key, fmt.Errorf("%w: the password is empty", ErrInvalid)
	}
	plaintext, err := encodePayload(v)
	if err != nil {
		return nil, key, err
	}
	p, err := opt.kdf()
	if err != nil {
		return nil, key, err
	}
	k, err := seal.Random(opt.Rand, len(key))
	if err != nil {
		return nil, key, err
	}
	copy(key[:], k)
	clear(k)
	sl, err := newPasswordSlot(&key, password, p, opt.Rand)
	if err != nil {
		return nil, DataKey{}, err
	}
	s := &sealed{slots: []slot{sl}}
	if err := s.seal(&key, plaintext, opt.Rand); err != nil {
		return nil, DataKey{}, err
	}
	return s.marshal(), key, nil
}

// Unlock derives the key-encryption key from password, unwraps the data key and opens the
// payload. A password that does not match is ErrWrongPassword; damage anywhere outside the
// slot's KDF parameters, salt and check value is ErrCorrupt.
func Unlock(blob, password []byte) (*Vault, DataKey, error) {
	s, err := parse(blob)
	if err != nil {
		return nil, DataKey{}, err
	}
	key, err := s.slots[0].unwrap(password)
	if err != nil {
		return nil, DataKey{}, err
	}
	v, err := s.open(&key)
	if err != nil {
		return nil, DataKey{}, err
	}
	return v, key, nil
}

// Open opens the payload with a data key obtained from an earlier Unlock or Create.
// A key that does not fit is reported as ErrCorrupt: the blob cannot tell a wrong key
// from a damaged payload.
func Open(blob []byte, key DataKey) (*Vault, error) {
	s, err := parse(blob)
	if err != nil {
		return nil, err
	}
	return s.open(&key)
}

// Reseal replaces the payload of blob with v, keeping the key slots, so it runs no KDF.
// It first opens the current payload with key: a key that does not belong to blob is
// refused rather than producing a vault no slot can unlock. opt.KDF is not used.
func Reseal(blob []byte, key DataKey, v *Vault, opt Options) ([]byte, error) {
	s, err := parse(blob)
	if err != nil {
		return nil, err
	}
	if _, err := s.openRaw(&key); err != nil {
		return nil, err
	}
	plaintext, err := encodePayload(v)
	if err != nil {
		return nil, err
	}
	if err := s.seal(&key, plaintext, opt.Rand); err != nil {
		return nil, err
	}
	return s.marshal(), nil
}

// ChangePassword seals the unchanged payload under a new random data key, with a password
// slot for newPassword (new salt, opt.KDF), and returns the new blob and key. The key is
// rotated, not only rewrapped: copies of earlier generations sealed under the old password
// may survive in the browser's storage files, and with an unchanged data key the old
// password plus such a copy would open every later generation too. Rotating costs nothing
// beyond the one KDF run for the new password. The caller is trusted to have confirmed
// the user's identity: holding the current data key is all it checks.
func ChangePassword(blob []byte, key DataKey, newPassword []byte, opt Options) ([]byte, DataKey, error) {
	if len(newPassword) == 0 {
		return nil, DataKey{}, fmt.Errorf("%w: the password is empty", ErrInvalid)
	}
	p, err := opt.kdf()
	if err != nil {
		return nil, DataKey{}, err
	}
	s, err := parse(blob)
	if err != nil {
		return nil, DataKey{}, err
	}
	plaintext, err := s.openRaw(&key)
	if err != nil {
		return nil, DataKey{}, err
	}
	defer clear(plaintext)
	var newKey DataKey
	k, err := seal.Random(opt.Rand, len(newKey))
	if err != nil {
		return nil, DataKey{}, err
	}
	copy(newKey[:], k)
	clear(k)
	sl, err := newPasswordSlot(&newKey, newPassword, p, opt.Rand)
	if err != nil {
		return nil, DataKey{}, err
	}
	s.slots = []slot{sl}
	if err := s.seal(&newKey, plaintext, opt.Rand); err != nil {
		return nil, DataKey{}, err
	}
	return s.marshal(), newKey, nil
}

// Validate reports whether v can be sealed: every account valid as stored (see
// Account.ValidateStored), ids unique, settings empty or a JSON object.
func (v *Vault) Validate() error {
	if v == nil {
		return fmt.Errorf("%w: no vault", ErrInvalid)
	}
	seen := make(map[string]int, len(v.Accounts))
	for i, a := range v.Accounts {
		if err := a.ValidateStored(); err != nil {
			return fmt.Errorf("account %d: %w", i+1, err)
		}
		if j, dup := seen[a.ID]; dup {
			return fmt.Errorf("%w: accounts %d and %d have the same id", ErrInvalid, j, i+1)
		}
		seen[a.ID] = i + 1
	}
	if len(v.Settings) > 0 && !seal.IsObject(v.Settings) {
		return fmt.Errorf("%w: settings must be a JSON object", ErrInvalid)
	}
	return nil
}

func encodePayload(v *Vault) ([]byte, error) {
	if err := v.Validate(); err != nil {
		return nil, err
	}
	out := *v
	if out.Accounts == nil {
		out.Accounts = []Account{}
	}
	b, err := out.EncodeJSON()
	if err != nil {
		return nil, fmt.Errorf("encoding vault: %w", err)
	}
	return b, nil
}

func decodePayload(b []byte) (*Vault, error) {
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("%w: payload is not UTF-8", ErrCorrupt)
	}
	v, err := DecodeJSON(b)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", seal.Corrupt(err))
	}
	if v.Accounts == nil {
		return nil, fmt.Errorf("%w: payload has no account list", ErrCorrupt)
	}
	if len(v.Settings) > 0 && !seal.IsObject(v.Settings) {
		return nil, fmt.Errorf("%w: settings are not a JSON object", ErrCorrupt)
	}
	return v, nil
}
