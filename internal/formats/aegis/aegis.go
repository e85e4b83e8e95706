// Package aegis reads and writes the vault files of Aegis Authenticator (Android), plain and
// encrypted, as described in Aegis' docs/vault.md.
//
// An encrypted vault keeps a random 256-bit master key wrapped in key slots; the only slot
// a desktop can open is the password slot: scrypt(password, salt, N, r, p) → a key that
// opens the master key with AES-256-GCM, which in turn opens the "db" field. The scrypt
// parameters come from the file and are bounded before any memory is allocated.
//
// Import keeps every type Aegis and Codeward share (TOTP, HOTP with its counter, Steam);
// other entries (Yandex, mOTP) are reported as problems. Export writes a vault Aegis
// imports: db version 1, one password slot (or none for a plain vault).
package aegis

import (
	"bytes"
	"errors"
	"fmt"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "aegis",
		Description: "Aegis Authenticator vault (.json), plain or encrypted",
		Priority:    10,
		Importer:    Importer{},
		Exporter:    Exporter{},
	})
}

// ErrCorrupt is wrapped by errors about a file that is not a readable Aegis vault.
var ErrCorrupt = errors.New("aegis: damaged or unsupported vault")

// file is the outer structure. DB is an object (plain) or a base64 string (encrypted), as
// it stands in the file. read.go reads these types and write.go writes them by hand; the
// json tags say what each member is called, and the tests check against encoding/json
// that the hand-written code reads and writes what it would.
type file struct {
	Version int
	Header  header
	DB      []byte
}

type header struct {
	Slots  []slot  `json:"slots"`
	Params *params `json:"params"`
}

type params struct {
	Nonce string `json:"nonce"`
	Tag   string `json:"tag"`
}

const (
	slotRaw       = 0
	slotPassword  = 1
	slotBiometric = 2
)

type slot struct {
	Type      int     `json:"type"`
	UUID      string  `json:"uuid"`
	Key       string  `json:"key"`
	KeyParams *params `json:"key_params"`
	N         int     `json:"n,omitempty"`
	R         int     `json:"r,omitempty"`
	P         int     `json:"p,omitempty"`
	Salt      string  `json:"salt,omitempty"`
	Repaired  *bool   `json:"repaired,omitempty"`
	IsBackup  *bool   `json:"is_backup,omitempty"`
}

type db struct {
	Version int
	Entries [][]byte
}

type entry struct {
	Type   string `json:"type"`
	UUID   string `json:"uuid"`
	Name   string `json:"name"`
	Issuer string `json:"issuer"`
	Note   string `json:"note,omitempty"`
	Info   info   `json:"info"`
}

type info struct {
	Secret  string  `json:"secret"`
	Algo    string  `json:"algo"`
	Digits  *int    `json:"digits"`
	Period  *int    `json:"period,omitempty"`
	Counter *uint64 `json:"counter,omitempty"`
}

// maxDBVersion is the newest content version this reader knows (v2 and v3 only added
// groups, which Codeward does not keep).
const maxDBVersion = 3

// Importer reads Aegis vault files.
type Importer struct{}

// Detect reports whether data is a JSON object with Aegis' version/header/db members.
func (Importer) Detect(data []byte) bool {
	return formats.HasMembers(data, "version", "header", "db")
}

// Encrypted reports whether the vault has key slots (its db is then ciphertext).
func (Importer) Encrypted(data []byte) bool {
	f, err := readFile(data)
	if err != nil {
		return false
	}
	return f.Header.Slots != nil || isJSONString(f.DB)
}

func isJSONString(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '"'
}

// Import reads a plain or encrypted vault.
func (Importer) Import(data, password []byte) (formats.Result, error) {
	f, err := readFile(data)
	if err != nil {
		return formats.Result{}, fmt.Errorf("%w: not valid JSON", ErrCorrupt)
	}
	if f.Version != 1 {
		return formats.Result{}, fmt.Errorf("%w: vault version %d (only 1 is known)", ErrCorrupt, f.Version)
	}
	content := []byte(f.DB)
	if f.Header.Slots != nil || isJSONString(f.DB) {
		if password == nil {
			return formats.Result{}, formats.ErrPasswordRequired
		}
		if content, err = decrypt(&f, password); err != nil {
			return formats.Result{}, err
		}
	}
	return parseDB(content)
}

func parseDB(content []byte) (formats.Result, error) {
	d, err := readDB(content)
	if err != nil || d.Entries == nil {
		return formats.Result{}, fmt.Errorf("%w: the db is not a list of entries", ErrCorrupt)
	}
	if d.Version < 1 || d.Version > maxDBVersion {
		return formats.Result{}, fmt.Errorf("%w: db version %d", ErrCorrupt, d.Version)
	}
	res := formats.Collect(d.Entries, readEntry)
	return res, formats.NoneRead(res, "aegis", "entries")
}

func readEntry(raw []byte) (vault.Account, string, error) {
	e, err := readEntryJSON(raw)
	if err != nil {
		return vault.Account{}, "", errors.New("malformed entry")
	}
	label := formats.Label(e.Issuer, e.Name)
	k := otp.Key{Issuer: e.Issuer, Name: e.Name}
	if k.Type, err = formats.Type(e.Type); err != nil {
		return vault.Account{}, label, err
	}
	if k.Secret, err = otp.ParseSecret(e.Info.Secret); err != nil {
		return vault.Account{}, label, formats.BadSecret("the secret is not valid base32")
	}
	if k.Algorithm, err = formats.Algorithm(e.Info.Algo); err != nil {
		return vault.Account{}, label, err
	}
	if e.Info.Digits == nil {
		return vault.Account{}, label, errors.New("digits missing")
	}
	k.Digits = *e.Info.Digits
	if k.Type == otp.HOTP {
		if e.Info.Counter == nil {
			return vault.Account{}, label, errors.New("HOTP entry without a counter")
		}
		k.Counter = *e.Info.Counter
	} else {
		if e.Info.Period == nil {
			return vault.Account{}, label, errors.New("period missing")
		}
		k.Period = *e.Info.Period
	}
	if err := k.Validate(); err != nil {
		return vault.Account{}, label, err
	}
	a := vault.AccountFromKey(k)
	a.Note = e.Note
	return a, label, nil
}
