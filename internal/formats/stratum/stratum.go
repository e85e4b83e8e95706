// Package stratum reads backups of Stratum (formerly Authenticator Pro): the plain JSON
// backup and both encrypted ones.
//
// The current encrypted backup is "AUTHENTICATORPRO" ‖ salt (16) ‖ IV (12) ‖ AES-256-GCM
// ciphertext ‖ tag, keyed by Argon2id(password, salt, t=3, m=64 MiB, p=4). The legacy one
// is "AuthenticatorPro" ‖ salt (20) ‖ IV (16) ‖ AES-256-CBC (PKCS#7) ciphertext keyed by
// PBKDF2-HMAC-SHA1(password, salt, 64000). The KDF costs are fixed by Stratum, not read
// from the file. Type numbers: 1 HOTP, 2 TOTP, 4 Steam; algorithms: 0 SHA1, 1 SHA256,
// 2 SHA512.
package stratum

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "stratum",
		Description: "Stratum / Authenticator Pro backup, plain or encrypted",
		Priority:    10,
		Importer:    Importer{},
	})
}

// ErrCorrupt is wrapped by errors about a file that is not a readable Stratum backup.
var ErrCorrupt = errors.New("stratum: damaged or unsupported backup")

var (
	header       = []byte("AUTHENTICATORPRO")
	legacyHeader = []byte("AuthenticatorPro")
)

// The KDF parameters Stratum uses (fixed by the app).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 4
	legacyIter   = 64000
)

// entry is one authenticator as Stratum writes it, read by readEntryJSON as encoding/json
// read it into this type (the tests compare the two).
type entry struct {
	Type      *int    `json:"Type"`
	Issuer    string  `json:"Issuer"`
	Username  *string `json:"Username"`
	Secret    string  `json:"Secret"`
	Algorithm *int    `json:"Algorithm"`
	Digits    *int    `json:"Digits"`
	Period    *int    `json:"Period"`
	Counter   *uint64 `json:"Counter"`
}

// Importer reads Stratum backups.
type Importer struct{}

func isEncrypted(data []byte) bool {
	return bytes.HasPrefix(data, header) || bytes.HasPrefix(data, legacyHeader)
}

// Detect reports whether data starts with a Stratum header or is a JSON object with
// "Authenticators".
func (Importer) Detect(data []byte) bool {
	return isEncrypted(data) || formats.HasMembers(data, "Authenticators")
}

// Encrypted reports whether data has an encrypted backup's header.
func (Importer) Encrypted(data []byte) bool { return isEncrypted(data) }

// Import reads a plain or encrypted backup.
func (Importer) Import(data, password []byte) (formats.Result, error) {
	plain := data
	if isEncrypted(data) {
		if password == nil {
			return formats.Result{}, formats.ErrPasswordRequired
		}
		var err error
		if bytes.HasPrefix(data, header) {
			plain, err = decrypt(data[len(header):], password)
		} else {
			plain, err = decryptLegacy(data[len(legacyHeader):], password)
		}
		if err != nil {
			return formats.Result{}, err
		}
	}
	list, err := readAuthenticators(plain)
	if err != nil || list == nil {
		return formats.Result{}, fmt.Errorf("%w: no Authenticators list", ErrCorrupt)
	}
	res := formats.Collect(list, readEntry)
	return res, formats.NoneRead(res, "stratum", "entries")
}

func wrongPassword() error { return formats.WrongPassword("stratum") }

func decrypt(body, password []byte) ([]byte, error) {
	const saltLen, ivLen = 16, 12
	if len(body) < saltLen+ivLen+16 {
		return nil, fmt.Errorf("%w: too short", ErrCorrupt)
	}
	salt, iv, ct := body[:saltLen], body[saltLen:saltLen+ivLen], body[saltLen+ivLen:]
	key := argon2.IDKey(password, salt, argonTime, argonMemory, argonThreads, 32)
	plain, err := formats.OpenGCM(key, iv, ct)
	if err != nil {
		return nil, wrongPassword()
	}
	return plain, nil
}

func decryptLegacy(body, password []byte) ([]byte, error) {
	const saltLen, ivLen = 20, aes.BlockSize
	if len(body) < saltLen+ivLen+aes.BlockSize || (len(body)-saltLen-ivLen)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: bad length", ErrCorrupt)
	}
	salt, iv, ct := body[:saltLen], body[saltLen:saltLen+ivLen], body[saltLen+ivLen:]
	key, err := pbkdf2.Key(sha1.New, string(password), salt, legacyIter, 32)
	if err != nil {
		return nil, fmt.Errorf("stratum: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ct)
	// CBC has no authentication: a wrong password shows as bad padding or, rarely, as
	// padding that passes and then text that is not JSON (caught by the caller).
	n := int(plain[len(plain)-1])
	if n == 0 || n > aes.BlockSize {
		return nil, wrongPassword()
	}
	for _, b := range plain[len(plain)-n:] {
		if int(b) != n {
			return nil, wrongPassword()
		}
	}
	plain = plain[:len(plain)-n]
	if !strictjson.ValidLenient(plain) {
		return nil, wrongPassword()
	}
	return plain, nil
}

// readAuthenticators reads the backup's "Authenticators" list (nil when absent or null),
// each entry as it stands.
func readAuthenticators(data []byte) ([][]byte, error) {
	var list [][]byte
	d := strictjson.NewLenientDecoder(data)
	d.Object([]string{"Authenticators"}, func(int, string) { list = d.Raws() })
	return list, d.End()
}

var entryNames = []string{"Type", "Issuer", "Username", "Secret", "Algorithm", "Digits", "Period", "Counter"}

func readEntryJSON(raw []byte) (entry, error) {
	var e entry
	d := strictjson.NewLenientDecoder(raw)
	d.Object(entryNames, func(i int, _ string) {
		switch i {
		case 0:
			e.Type = d.IntPtr()
		case 1:
			d.StringTo(&e.Issuer)
		case 2:
			e.Username = d.StringPtr()
		case 3:
			d.StringTo(&e.Secret)
		case 4:
			e.Algorithm = d.IntPtr()
		case 5:
			e.Digits = d.IntPtr()
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
	k := otp.Key{Issuer: e.Issuer}
	if e.Username != nil {
		k.Name = *e.Username
	}
	label := formats.Label(k.Issuer, k.Name)
	if e.Type == nil || e.Algorithm == nil || e.Digits == nil {
		return vault.Account{}, label, errors.New("type, algorithm or digits missing")
	}
	switch *e.Type {
	case 1:
		k.Type = otp.HOTP
	case 2:
		k.Type = otp.TOTP
	case 4:
		k.Type = otp.Steam
	default:
		return vault.Account{}, label, fmt.Errorf("type %d is not supported", *e.Type)
	}
	switch *e.Algorithm {
	case 0:
		k.Algorithm = otp.SHA1
	case 1:
		k.Algorithm = otp.SHA256
	case 2:
		k.Algorithm = otp.SHA512
	default:
		return vault.Account{}, label, fmt.Errorf("algorithm %d is not supported", *e.Algorithm)
	}
	secret, err := otp.ParseSecret(e.Secret)
	if err != nil {
		return vault.Account{}, label, formats.BadSecret("the secret is not valid base32")
	}
	k.Secret, k.Digits = secret, *e.Digits
	if k.Type == otp.HOTP {
		if e.Counter == nil {
			return vault.Account{}, label, errors.New("HOTP entry without a counter")
		}
		k.Counter = *e.Counter
	} else {
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
