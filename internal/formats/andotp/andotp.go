// Package andotp reads andOTP backups: the plain JSON list and both encrypted formats.
//
// The current encrypted format (.json.aes) is iterations (4 bytes, big endian) ‖ salt (12)
// ‖ IV (12) ‖ AES-256-GCM ciphertext ‖ tag, keyed by PBKDF2-HMAC-SHA1(password, salt,
// iterations, 32 bytes). The old format is IV (12) ‖ ciphertext ‖ tag keyed by
// SHA-256(password). Nothing in the file says which one it is, so Import tries the cheap old
// one first and then the current one; the iteration count read from the file is bounded
// before PBKDF2 runs.
package andotp

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "andotp",
		Description: "andOTP backup (plain .json, encrypted .json.aes / .bin)",
		// After the other JSON formats; its encrypted files have no magic bytes, so it
		// claims binary data only after every format with a signature had its turn.
		Priority: 40,
		Importer: Importer{},
	})
}

// ErrCorrupt is wrapped by errors about a file that is not a readable andOTP backup.
var ErrCorrupt = errors.New("andotp: damaged or unsupported backup")

// MaxIterations bounds the PBKDF2 iteration count an encrypted file may ask for. andOTP
// picks 140,000–160,000; the bound leaves room above that while keeping one import under
// about two seconds in a browser (2,000,000 took 6.5 s).
const MaxIterations = 500_000

const (
	saltLen = 12
	ivLen   = 12
	tagLen  = 16
)

// entry is one account as andOTP writes it (read by readEntryJSON as encoding/json read
// it into these types: the tests compare the two).
type entry struct {
	Secret    string  `json:"secret"`
	Issuer    *string `json:"issuer"`
	Label     string  `json:"label"`
	Digits    *int    `json:"digits"`
	Type      string  `json:"type"`
	Algorithm string  `json:"algorithm"`
	Period    *int    `json:"period"`
	Counter   *uint64 `json:"counter"`
}

// Importer reads andOTP backups.
type Importer struct{}

func isJSONList(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '['
}

// otherMagic are signatures of binary files that are certainly not andOTP backups (images
// with QR codes, archives, databases, other apps' encrypted backups).
var otherMagic = [][]byte{
	[]byte("\x89PNG"), []byte("\xff\xd8\xff"), []byte("GIF8"), []byte("PK\x03\x04"),
	[]byte("SQLite format 3"), []byte("%PDF"), []byte("RIFF"),
	// Stratum (Authenticator Pro) backups, current and legacy.
	[]byte("AUTHENTICATORPRO"), []byte("AuthenticatorPro"),
}

// looksEncrypted reports whether data could be an encrypted backup: binary, long enough
// for an IV and a tag, and neither a file with a known signature nor text with a stray
// byte (which would otherwise be taken for an encrypted backup and ask for a password).
func looksEncrypted(data []byte) bool {
	if len(data) < ivLen+tagLen || utf8.Valid(data) || looksLikeText(data) {
		return false
	}
	for _, m := range otherMagic {
		if bytes.HasPrefix(data, m) {
			return false
		}
	}
	return true
}

// looksLikeText reports whether data starts as a JSON list or otpauth text does, or at
// least three quarters of its first 64 bytes are printable ASCII. Ciphertext is uniformly
// random: about 38 % of its bytes are printable, and 75 % is six standard deviations away.
// A leading '{' is not enough: one old-format file in 256 starts with it by chance.
func looksLikeText(data []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) > 0 && t[0] == '[' || len(t) >= 7 && strings.EqualFold(string(t[:7]), "otpauth") {
		return true
	}
	head := data[:min(len(data), 64)]
	printable := 0
	for _, c := range head {
		if c >= 0x20 && c < 0x7f || c == '\t' || c == '\r' || c == '\n' {
			printable++
		}
	}
	return printable*4 >= len(head)*3
}

// Detect reports whether data is a JSON list of andOTP entries, or binary data that can
// only be told apart from noise by decrypting it.
func (Importer) Detect(data []byte) bool {
	if looksEncrypted(data) {
		return true
	}
	if !isJSONList(data) {
		return false
	}
	first, n, err := firstMembers(data)
	return err == nil && n > 0 && first["secret"] && first["label"] && first["type"]
}

// firstMembers reads data as a list of objects (or nulls) and returns the member names of
// the first one and how many there are.
func firstMembers(data []byte) (map[string]bool, int, error) {
	first := map[string]bool{}
	n := 0
	d := strictjson.NewLenientDecoder(data)
	d.Array(func() {
		n++
		d.Object(nil, func(_ int, name string) {
			if n == 1 {
				first[name] = true
			}
			d.Raw()
		})
	})
	return first, n, d.End()
}

// Encrypted reports whether data is not a JSON list (so one of the encrypted formats).
func (Importer) Encrypted(data []byte) bool { return !isJSONList(data) }

// Import reads a plain or encrypted backup.
func (Importer) Import(data, password []byte) (formats.Result, error) {
	plain := data
	if !isJSONList(data) {
		if len(data) < ivLen+tagLen {
			return formats.Result{}, fmt.Errorf("%w: too short", ErrCorrupt)
		}
		if password == nil {
			return formats.Result{}, formats.ErrPasswordRequired
		}
		var err error
		if plain, err = decrypt(data, password); err != nil {
			return formats.Result{}, err
		}
	}
	d := strictjson.NewLenientDecoder(plain)
	entries := d.Raws()
	if err := d.End(); err != nil {
		return formats.Result{}, fmt.Errorf("%w: not a JSON list", ErrCorrupt)
	}
	res := formats.Collect(entries, readEntry)
	return res, formats.NoneRead(res, "andotp", "entries")
}

func decrypt(data, password []byte) ([]byte, error) {
	// Old format: a wrong guess fails GCM authentication, which costs nothing.
	old := sha256.Sum256(password)
	if plain, err := formats.OpenGCM(old[:], data[:ivLen], data[ivLen:]); err == nil {
		return plain, nil
	}
	const header = 4 + saltLen + ivLen
	if len(data) < header+tagLen {
		return nil, formats.WrongPassword("andotp")
	}
	iter := binary.BigEndian.Uint32(data)
	if iter == 0 || iter > MaxIterations {
		// Not the current format's header, and the old format did not open.
		// (An old-format file starts with its random IV, read here as a count.)
		return nil, fmt.Errorf("andotp: %w, or the file is damaged or asks for more work than Codeward does (%d PBKDF2 iterations; at most %d)",
			vault.ErrWrongPassword, iter, MaxIterations)
	}
	salt, iv := data[4:4+saltLen], data[4+saltLen:header]
	key, err := pbkdf2.Key(sha1.New, string(password), salt, int(iter), 32)
	if err != nil {
		return nil, fmt.Errorf("andotp: %w", err)
	}
	plain, err := formats.OpenGCM(key, iv, data[header:])
	if err != nil {
		return nil, formats.WrongPassword("andotp")
	}
	return plain, nil
}

var entryNames = []string{"secret", "issuer", "label", "digits", "type", "algorithm", "period", "counter"}

func readEntryJSON(raw []byte) (entry, error) {
	var e entry
	d := strictjson.NewLenientDecoder(raw)
	d.Object(entryNames, func(i int, _ string) {
		switch i {
		case 0:
			d.StringTo(&e.Secret)
		case 1:
			e.Issuer = d.StringPtr()
		case 2:
			d.StringTo(&e.Label)
		case 3:
			e.Digits = d.IntPtr()
		case 4:
			d.StringTo(&e.Type)
		case 5:
			d.StringTo(&e.Algorithm)
		case 6:
			e.Period = d.IntPtr()
		case 7:
			e.Counter = d.Uint64Ptr()
		}
	})
	return e, d.End()
}

func readEntry(raw []byte) (vault.Account, string, error) {
	e, err := readEntryJSON(raw)
	if err != nil {
		return vault.Account{}, "", errors.New("malformed entry")
	}
	k := otp.Key{Name: e.Label}
	if e.Issuer != nil {
		k.Issuer = *e.Issuer
	} else if issuer, rest, ok := strings.Cut(e.Label, " - "); ok {
		// Old andOTP versions had no issuer field and wrote the label as
		// "Issuer - Issuer:account" (or "Issuer - account").
		k.Issuer, k.Name = issuer, rest
	}
	if k.Issuer != "" {
		if rest, ok := strings.CutPrefix(k.Name, k.Issuer+":"); ok {
			k.Name = strings.TrimSpace(rest)
		}
	}
	label := formats.Label(k.Issuer, k.Name)
	if k.Type, err = formats.Type(e.Type); err != nil {
		return vault.Account{}, label, err
	}
	if k.Secret, err = otp.ParseSecret(e.Secret); err != nil {
		return vault.Account{}, label, formats.BadSecret("the secret is not valid base32")
	}
	if k.Algorithm, err = formats.Algorithm(e.Algorithm); err != nil {
		return vault.Account{}, label, err
	}
	if e.Digits == nil {
		return vault.Account{}, label, errors.New("digits missing")
	}
	k.Digits = *e.Digits
	switch k.Type {
	case otp.HOTP:
		if e.Counter == nil {
			return vault.Account{}, label, errors.New("HOTP entry without a counter")
		}
		k.Counter = *e.Counter
	case otp.Steam:
		k.Period = 30 // andOTP writes no period for Steam: it is always 30 s
		if e.Period != nil {
			k.Period = *e.Period
		}
	default:
		if e.Period == nil {
			return vault.Account{}, label, errors.New("period missing")
		}
		k.Period = *e.Period
	}
	if err := k.Validate(); err != nil {
		return vault.Account{}, label, err
	}
	return vault.AccountFromKey(k), label, nil
}
