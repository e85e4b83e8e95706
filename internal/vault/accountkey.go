package vault

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/seal"
)

// Limits on an account's free-form fields, so that one entry cannot bloat a vault.
const (
	maxIDLen   = 128
	maxNoteLen = 4096
	maxSiteLen = 260 // a 253-byte host name plus ":" and a port
	maxSites   = 64
)

// Key returns the account's code parameters. It fails when the secret is not valid base32
// or the parameters do not validate (otp.Key.ValidateCode: the name length bounds are
// Validate's, so that an account stored before they existed still shows its codes).
func (a Account) Key() (otp.Key, error) {
	secret, err := otp.ParseSecret(a.Secret)
	if err != nil {
		return otp.Key{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	k := otp.Key{
		Type:      a.Type,
		Issuer:    a.Issuer,
		Name:      a.Name,
		Secret:    secret,
		Algorithm: a.Algorithm,
		Digits:    a.Digits,
		Period:    a.Period,
		Counter:   a.Counter,
	}
	if err := k.ValidateCode(); err != nil {
		return otp.Key{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return k, nil
}

// AccountFromKey fills the code fields of an Account from k; ID, Sites, Note, Order and
// the times are left for the caller. The field a type does not use is left zero (Period for
// HOTP, Counter for TOTP and Steam), as Validate expects.
func AccountFromKey(k otp.Key) Account {
	a := Account{
		Type:      k.Type,
		Issuer:    k.Issuer,
		Name:      k.Name,
		Secret:    otp.EncodeSecret(k.Secret),
		Algorithm: k.Algorithm,
		Digits:    k.Digits,
		Period:    k.Period,
		Counter:   k.Counter,
	}
	if k.Type == otp.HOTP {
		a.Period = 0
	} else {
		a.Counter = 0
	}
	return a
}

// Validate reports whether a can be stored: a non-empty id, a secret in canonical base32
// (upper case, no padding), code parameters that otp.Key.Validate accepts, no period on
// HOTP and no counter on TOTP or Steam, and text fields that are valid UTF-8 without
// control characters (the note may contain line breaks and tabs). Names that are not
// valid UTF-8 are refused rather than silently altered by JSON encoding.
func (a Account) Validate() error { return a.validate(true) }

// ValidateStored is Validate without the issuer and name length bounds. Those bounds are a
// rule for what enters the vault (forms, imports, restores, URIs); an account stored before
// they existed must not make every later write or backup of the vault fail.
func (a Account) ValidateStored() error { return a.validate(false) }

func (a Account) validate(bounded bool) error {
	if a.ID == "" {
		return fmt.Errorf("%w: empty id", ErrInvalid)
	}
	if len(a.ID) > maxIDLen {
		return fmt.Errorf("%w: id longer than %d bytes", ErrInvalid, maxIDLen)
	}
	if err := checkText("id", a.ID, false); err != nil {
		return err
	}
	k, err := a.Key()
	if err != nil {
		return err
	}
	if bounded {
		if err := k.Validate(); err != nil { // the length bounds
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	if otp.EncodeSecret(k.Secret) != a.Secret {
		return fmt.Errorf("%w: secret is not canonical base32 (upper case, no padding, no spaces)", ErrInvalid)
	}
	if a.Type == otp.HOTP && a.Period != 0 {
		return fmt.Errorf("%w: period set on an HOTP account", ErrInvalid)
	}
	if a.Type != otp.HOTP && a.Counter != 0 {
		return fmt.Errorf("%w: counter set on a time-based account", ErrInvalid)
	}
	if len(a.Note) > maxNoteLen {
		return fmt.Errorf("%w: note longer than %d bytes", ErrInvalid, maxNoteLen)
	}
	if err := checkText("note", a.Note, true); err != nil {
		return err
	}
	if len(a.Sites) > maxSites {
		return fmt.Errorf("%w: more than %d sites", ErrInvalid, maxSites)
	}
	for i, s := range a.Sites {
		if s == "" || len(s) > maxSiteLen || !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsSpace) >= 0 || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return fmt.Errorf("%w: site %d is not a host name", ErrInvalid, i+1)
		}
		for _, t := range a.Sites[:i] {
			if t == s {
				return fmt.Errorf("%w: site %d is listed twice", ErrInvalid, i+1)
			}
		}
	}
	return nil
}

func checkText(field, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, field)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s contains a control character", ErrInvalid, field)
		}
	}
	return nil
}

// NewID returns a random account id: 128 bits as 32 lower-case hex digits. r nil means
// crypto/rand; a reader that fails is a programming error and panics.
func NewID(r io.Reader) string {
	b, err := seal.Random(r, 16)
	if err != nil {
		panic("vault: " + err.Error())
	}
	return hex.EncodeToString(b)
}
