package otp

import (
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	potp "github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// SteamAlphabet is the set of characters Steam Guard codes are written in.
const SteamAlphabet = "23456789BCDFGHJKMNPQRTVWXY"

// Ranges a Key must stay within.
const (
	MinDigits = 5
	MaxDigits = 10
	MinPeriod = 1
	MaxPeriod = 3600

	// MaxIssuerLen and MaxNameLen bound the issuer and the account name, in characters
	// (Unicode code points). Real ones are a few dozen; the bounds keep one entry from
	// bloating a vault or making an export (a QR code) impossible for every account.
	MaxIssuerLen = 200
	MaxNameLen   = 200

	steamDigits = 5
	steamPeriod = 30
)

// ErrInvalidKey is wrapped by every error Validate returns.
var ErrInvalidKey = errors.New("invalid key")

// ErrBeforeEpoch is returned by Code for a time before 1970, where TOTP has no counter.
var ErrBeforeEpoch = errors.New("time is before the Unix epoch")

// Validate reports whether k can produce codes: a known type and algorithm, 5–10 digits
// (exactly 5, SHA1 and 30 s for Steam), a period of 1–3600 s for TOTP and Steam, a non-empty
// secret, and an issuer and name that are valid UTF-8 without control characters, of at most
// MaxIssuerLen and MaxNameLen characters. Period is not used by HOTP and Counter not by
// TOTP; they are not checked there.
func (k Key) Validate() error {
	if err := k.ValidateCode(); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(k.Issuer); n > MaxIssuerLen {
		return fmt.Errorf("%w: the issuer has %d characters (at most %d)", ErrInvalidKey, n, MaxIssuerLen)
	}
	if n := utf8.RuneCountInString(k.Name); n > MaxNameLen {
		return fmt.Errorf("%w: the account name has %d characters (at most %d)", ErrInvalidKey, n, MaxNameLen)
	}
	return nil
}

// ValidateCode is Validate without the length bounds, which computing codes does not need:
// an account stored before the bounds existed keeps showing its codes.
func (k Key) ValidateCode() error {
	switch k.Type {
	case TOTP, HOTP, Steam:
	default:
		return fmt.Errorf("%w: unknown type %s", ErrInvalidKey, quote(string(k.Type)))
	}
	switch k.Algorithm {
	case SHA1, SHA256, SHA512:
	default:
		return fmt.Errorf("%w: unknown algorithm %s", ErrInvalidKey, quote(string(k.Algorithm)))
	}
	if len(k.Secret) == 0 {
		return fmt.Errorf("%w: empty secret", ErrInvalidKey)
	}
	if k.Digits < MinDigits || k.Digits > MaxDigits {
		return fmt.Errorf("%w: %d digits is out of range %d–%d", ErrInvalidKey, k.Digits, MinDigits, MaxDigits)
	}
	if k.Type != HOTP && (k.Period < MinPeriod || k.Period > MaxPeriod) {
		return fmt.Errorf("%w: period %d s is out of range %d–%d", ErrInvalidKey, k.Period, MinPeriod, MaxPeriod)
	}
	if k.Type == Steam {
		if k.Digits != steamDigits || k.Algorithm != SHA1 || k.Period != steamPeriod {
			return fmt.Errorf("%w: steam codes are 5 characters, SHA1, 30 s", ErrInvalidKey)
		}
	}
	if err := checkText("issuer", k.Issuer); err != nil {
		return err
	}
	return checkText("name", k.Name)
}

// checkText refuses what would corrupt a display or a JSON round trip: invalid UTF-8
// (encoding/json would silently replace it) and control characters.
func checkText(field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidKey, field)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s contains a control character", ErrInvalidKey, field)
		}
	}
	return nil
}

// Code returns the code of k at time t (TOTP and Steam) or at k.Counter (HOTP; t is
// ignored). The caller advances an HOTP counter after using a code.
func (k Key) Code(t time.Time) (string, error) {
	if err := k.ValidateCode(); err != nil {
		return "", err
	}
	counter := k.Counter
	if k.Type != HOTP {
		sec := t.Unix()
		if sec < 0 {
			return "", ErrBeforeEpoch
		}
		// The counter is computed here in integers rather than by totp.GenerateCodeCustom,
		// which goes through float64 and would turn a time before 1970 into a huge counter.
		counter = uint64(sec) / uint64(k.Period)
	}
	opts := hotp.ValidateOpts{Digits: potp.Digits(k.Digits), Algorithm: potp.AlgorithmSHA1}
	switch k.Algorithm {
	case SHA256:
		opts.Algorithm = potp.AlgorithmSHA256
	case SHA512:
		opts.Algorithm = potp.AlgorithmSHA512
	}
	if k.Type == Steam {
		opts.Encoder = potp.EncoderSteam
	}
	// pquerna/otp takes the secret as base32 text; its Digits is a plain int, so 5, 7, 9
	// and 10 digits work as well as 6 and 8 (the truncated value is below 2^31 and fits
	// its int32 formatting).
	code, err := hotp.GenerateCodeCustom(base32.StdEncoding.EncodeToString(k.Secret), counter, opts)
	if err != nil {
		return "", fmt.Errorf("computing code: %w", err)
	}
	return code, nil
}

// quote shows a short, printable excerpt of a value read from input in an error message.
// Only non-secret fields are ever passed here.
func quote(s string) string {
	const max = 16
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// ErrInvalidSecret is returned by ParseSecret.
var ErrInvalidSecret = errors.New("invalid secret")

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// ParseSecret decodes a base32 secret as people and apps write it: any case, with or
// without '=' padding, grouped with spaces or dashes. It never echoes the input in errors.
func ParseSecret(s string) ([]byte, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-':
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
	clean = strings.TrimRight(clean, "=")
	if clean == "" {
		return nil, fmt.Errorf("%w: empty", ErrInvalidSecret)
	}
	// A final group of 1, 3 or 6 characters cannot come from any byte string; Go's
	// decoder drops such a tail silently, so refuse it here.
	switch len(clean) % 8 {
	case 1, 3, 6:
		return nil, fmt.Errorf("%w: not base32", ErrInvalidSecret)
	}
	b, err := b32.DecodeString(clean)
	if err != nil || len(b) == 0 {
		// err names the offending byte offset only; say less still, to be safe.
		return nil, fmt.Errorf("%w: not base32", ErrInvalidSecret)
	}
	return b, nil
}

// EncodeSecret encodes b as base32, upper case, without padding.
func EncodeSecret(b []byte) string {
	return b32.EncodeToString(b)
}
