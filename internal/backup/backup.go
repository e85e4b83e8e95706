// Package backup reads and writes Codeward backup files: the accounts, encrypted with a
// backup password of their own, in a self-describing JSON envelope that the extension
// hands to the browser's downloads (codeward-backup-YYYY-MM-DD.json) and the codeward
// command opens without a browser.
//
// The envelope names the format and version, carries a short note for a person who opens
// the file, the Argon2id parameters and salt, a password check value, and the
// XChaCha20-Poly1305 ciphertext of the payload; every header field is authenticated. The
// payload holds the accounts with every field and the time the backup was made. The
// normative description, with test vectors and steps to decrypt a backup in any language,
// is docs/backup-format.md.
//
// Read returns the accounts as stored; it checks their structure, not their meaning.
// Callers validate each one (vault.Account.Validate) and report bad entries one by one.
//
// Compatibility: readers refuse envelope and payload versions they do not know
// (vault.ErrUnsupportedVersion); any change to either gets a new version number.
package backup

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeward.dev/internal/seal"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

// MaxSize is the largest backup Read accepts: far above any real account list, small
// enough to refuse a wrong file before reading it whole.
const MaxSize = 16 << 20

// ErrTooLarge is returned for input over MaxSize; it wraps vault.ErrCorrupt.
var ErrTooLarge = fmt.Errorf("%w: larger than %d MiB", vault.ErrCorrupt, MaxSize>>20)

// Note is the text writers put in the envelope for a person who opens the file.
const Note = "Encrypted Codeward backup of two-factor accounts. Open it with the Codeward browser extension or the codeward command (codeward import --from codeward FILE). The format is documented in docs/backup-format.md of the Codeward source."

const (
	formatName     = "codeward-backup"
	formatVersion  = 1
	payloadVersion = 1
	cipherName     = "xchacha20-poly1305"
	maxNoteLen     = 1024
	detectLimit    = 1024
)

// Backup is what a backup file holds.
type Backup struct {
	Created  time.Time
	Accounts []vault.Account
}

// Options tune Write.
type Options struct {
	// KDF is the Argon2id cost. The zero value means vault.DefaultKDF; any other value
	// must be within the bounds as a whole. Parameters below the default are for tests.
	KDF vault.KDFParams
	// Rand supplies the salt and nonce; nil means crypto/rand.
	Rand io.Reader
	// Now gives the creation time recorded in the payload; nil means time.Now.
	Now func() time.Time
}

type envelopeJSON struct {
	Format     string       `json:"format"`
	Version    int64        `json:"version"`
	Note       *string      `json:"note"` // a pointer so that a missing or null note is refused, not read as ""
	KDF        seal.KDFJSON `json:"kdf"`
	Check      string       `json:"check"`
	Cipher     string       `json:"cipher"`
	Nonce      string       `json:"nonce"`
	Ciphertext string       `json:"ciphertext"`
}

type payloadJSON struct {
	Version  int64           `json:"version"`
	Created  time.Time       `json:"created"`
	Accounts []vault.Account `json:"accounts"`
}

// header is the parsed envelope without the ciphertext.
type header struct {
	note  string
	kdf   vault.KDFParams
	salt  []byte
	check []byte
}

// ad is the associated data: every header field, one "name: value" line each.
func (h *header) ad() []byte {
	return seal.NewAD(formatName).
		Uint("version", formatVersion).
		Line("note", h.note).
		Line("kdf", seal.KDFArgon2id).
		Uint("memory", uint64(h.kdf.Memory)).
		Uint("time", uint64(h.kdf.Time)).
		Uint("threads", uint64(h.kdf.Threads)).
		Line("salt", seal.EncodeBase64(h.salt)).
		Line("check", seal.EncodeBase64(h.check)).
		Line("cipher", cipherName).
		Bytes()
}

// Write encrypts accounts with password. Every account must validate and ids must be
// unique (assign missing ids with vault.NewID); names that are not valid UTF-8 are refused.
func Write(accounts []vault.Account, password []byte, opt Options) ([]byte, error) {
	if err := checkAccounts(accounts); err != nil {
		return nil, err
	}
	k, err := DeriveKey(password, opt)
	if err != nil {
		return nil, err
	}
	defer k.Clear()
	return WriteWithKey(accounts, k, opt)
}

// Key is a backup password after Argon2id: its parameters, its salt, the key that
// encrypts the payload and the check value stored in the header. A writer that keeps a
// Key (automatic backups keep it inside the sealed vault) can write any number of backup
// files for that password without asking for it again: each file repeats the salt,
// parameters and check, and gets a fresh random nonce. See docs/backup-format.md, "Writing
// many files with one derived key".
type Key struct {
	KDF   vault.KDFParams
	Salt  []byte
	Key   [seal.KeySize]byte
	Check [seal.CheckSize]byte
}

// Clear overwrites the key material.
func (k *Key) Clear() {
	clear(k.Key[:])
	clear(k.Check[:])
}

// DeriveKey runs Argon2id once for password with a fresh salt (from opt.Rand) and the
// parameters of opt.KDF (zero: vault.DefaultKDF).
func DeriveKey(password []byte, opt Options) (*Key, error) {
	if len(password) == 0 {
		return nil, fmt.Errorf("%w: the password is empty", vault.ErrInvalid)
	}
	p := opt.KDF
	if p == (vault.KDFParams{}) {
		p = vault.DefaultKDF
	}
	// The reader's bounds: never write a file that Read would refuse.
	if err := p.CheckFile(); err != nil {
		return nil, err
	}
	salt, err := seal.Random(opt.Rand, seal.SaltSize)
	if err != nil {
		return nil, err
	}
	key, check, err := seal.Derive(password, salt, p)
	if err != nil {
		return nil, err
	}
	return &Key{KDF: p, Salt: salt, Key: key, Check: check}, nil
}

// Valid reports whether k could have come from DeriveKey: parameters within bounds and a
// salt of an accepted length. (Whether it matches a password only that password can tell.)
func (k *Key) Valid() error {
	if k == nil {
		return fmt.Errorf("%w: no key", vault.ErrInvalid)
	}
	if err := k.KDF.CheckFile(); err != nil { // what Read accepts
		return err
	}
	if len(k.Salt) < seal.MinSaltSize || len(k.Salt) > seal.MaxSaltSize {
		return fmt.Errorf("%w: salt of %d bytes", vault.ErrInvalid, len(k.Salt))
	}
	return nil
}

// WriteWithKey encrypts accounts under k with a fresh random nonce (from opt.Rand); opt.KDF
// is ignored (k carries its parameters). The file is an ordinary version 1 backup that Read
// opens with the password k was derived from.
func WriteWithKey(accounts []vault.Account, k *Key, opt Options) ([]byte, error) {
	if err := k.Valid(); err != nil {
		return nil, err
	}
	if err := checkAccounts(accounts); err != nil {
		return nil, err
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	pl := payloadJSON{Version: payloadVersion, Created: now().UTC(), Accounts: accounts}
	if pl.Accounts == nil {
		pl.Accounts = []vault.Account{}
	}
	plaintext, err := pl.encode()
	if err != nil {
		return nil, fmt.Errorf("encoding backup: %w", err)
	}
	defer clear(plaintext)
	nonce, err := seal.Random(opt.Rand, seal.NonceSize)
	if err != nil {
		return nil, err
	}
	h := header{note: Note, kdf: k.KDF, salt: k.Salt, check: k.Check[:]}
	ct := seal.Seal(&k.Key, nonce, plaintext, h.ad())
	return marshal(&h, nonce, ct), nil
}

func checkAccounts(accounts []vault.Account) error {
	seen := make(map[string]int, len(accounts))
	for i, a := range accounts {
		if err := a.ValidateStored(); err != nil {
			return fmt.Errorf("account %d: %w", i+1, err)
		}
		if j, dup := seen[a.ID]; dup {
			return fmt.Errorf("%w: accounts %d and %d have the same id", vault.ErrInvalid, j, i+1)
		}
		seen[a.ID] = i + 1
	}
	return nil
}

// marshal writes the envelope by hand, members in the order of envelopeJSON: apart from the
// note every value is a fixed name, a number or base64, none of which needs escaping, and
// this spares encoding/json a second pass over the ciphertext.
func marshal(h *header, nonce, ct []byte) []byte {
	note := strictjson.AppendString(nil, h.note)
	ciphertext := seal.EncodeBase64(ct)
	b := make([]byte, 0, len(ciphertext)+1024)
	b = fmt.Appendf(b, "{\n  \"format\": %q,\n  \"version\": %d,\n  \"note\": %s,\n  \"kdf\": {\n    \"name\": %q,\n    \"memory\": %d,\n    \"time\": %d,\n    \"threads\": %d,\n    \"salt\": %q\n  },\n  \"check\": %q,\n  \"cipher\": %q,\n  \"nonce\": %q,\n  \"ciphertext\": \"",
		formatName, formatVersion, note, seal.KDFArgon2id, h.kdf.Memory, h.kdf.Time, h.kdf.Threads,
		seal.EncodeBase64(h.salt), seal.EncodeBase64(h.check), cipherName, seal.EncodeBase64(nonce))
	b = append(b, ciphertext...)
	return append(b, "\"\n}\n"...)
}

// Detect reports whether data starts like a Codeward backup: a JSON object whose first
// member is "format": "codeward-backup". It looks at the first KiB only.
func Detect(data []byte) bool {
	return seal.FirstMember(data, detectLimit, "format", formatName)
}

// Read decrypts a backup. Errors wrap vault.ErrWrongPassword (the password does not
// match), vault.ErrCorrupt (damaged, truncated, too large or not a backup),
// vault.ErrUnsupportedVersion (a newer envelope or payload) or vault.ErrKDFParams (cost
// parameters beyond seal.KDFParams.CheckFile's bounds — at most 256 MiB and 1 GiB of
// memory passes — refused before anything is allocated for them).
func Read(data, password []byte) (*Backup, error) {
	plaintext, err := openPayload(data, password)
	if err != nil {
		return nil, err
	}
	defer clear(plaintext)
	return decodePayload(plaintext)
}

// openPayload checks the envelope and the password and returns the payload bytes as
// decrypted; the test vectors compare them with the committed payload files.
func openPayload(data, password []byte) ([]byte, error) {
	k, err := KeyFor(data, password)
	if err != nil {
		return nil, err
	}
	defer k.Clear()
	return openWithKey(data, k)
}

// KeyFor runs the one costly step of reading data: Argon2id for password with the
// parameters and salt of data's header (within the reading bounds), checked against the
// header's check value (vault.ErrWrongPassword when it differs). A caller may run it
// somewhere it blocks nothing — the extension runs it in a worker of the restore page —
// and open the file with ReadWithKey.
func KeyFor(data, password []byte) (*Key, error) {
	h, _, _, err := parse(data)
	if err != nil {
		return nil, err
	}
	key, check, err := seal.Derive(password, h.salt, h.kdf)
	if err != nil {
		return nil, err
	}
	if !seal.CheckEqual(check[:], h.check) {
		clear(key[:])
		return nil, vault.ErrWrongPassword
	}
	return &Key{KDF: h.kdf, Salt: h.salt, Key: key, Check: check}, nil
}

// ReadWithKey is Read with the key of data's password (from KeyFor, or the DeriveKey that
// wrote it): no KDF runs. A key whose parameters, salt or check value are not data's is a
// wrong password.
func ReadWithKey(data []byte, k *Key) (*Backup, error) {
	plaintext, err := openWithKey(data, k)
	if err != nil {
		return nil, err
	}
	defer clear(plaintext)
	return decodePayload(plaintext)
}

func openWithKey(data []byte, k *Key) ([]byte, error) {
	h, nonce, ct, err := parse(data)
	if err != nil {
		return nil, err
	}
	if k == nil || k.KDF != h.kdf || !bytes.Equal(k.Salt, h.salt) || !seal.CheckEqual(k.Check[:], h.check) {
		return nil, vault.ErrWrongPassword
	}
	plaintext, err := seal.Open(&k.Key, nonce, ct, h.ad())
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return plaintext, nil
}

func parse(data []byte) (h *header, nonce, ct []byte, err error) {
	if len(data) == 0 {
		return nil, nil, nil, fmt.Errorf("%w: empty file", vault.ErrCorrupt)
	}
	if len(data) > MaxSize {
		return nil, nil, nil, ErrTooLarge
	}
	format, version, err := seal.Head(data, true)
	if err != nil {
		return nil, nil, nil, err
	}
	if format != formatName {
		return nil, nil, nil, fmt.Errorf("%w: not a Codeward backup", vault.ErrCorrupt)
	}
	if version == nil {
		return nil, nil, nil, fmt.Errorf("%w: no version", vault.ErrCorrupt)
	}
	if *version != formatVersion {
		return nil, nil, nil, fmt.Errorf("%w: backup version %d (this version reads %d)", vault.ErrUnsupportedVersion, *version, formatVersion)
	}
	e, err := readEnvelope(data)
	if err != nil {
		return nil, nil, nil, err
	}
	if e.KDF.Name != seal.KDFArgon2id {
		return nil, nil, nil, fmt.Errorf("%w: unknown key derivation function", vault.ErrCorrupt)
	}
	if e.Cipher != cipherName {
		return nil, nil, nil, fmt.Errorf("%w: unknown cipher", vault.ErrCorrupt)
	}
	p, salt, err := e.KDF.Params()
	if err != nil {
		return nil, nil, nil, err
	}
	// A backup comes from elsewhere: its maker chooses what opening it costs.
	if err := p.CheckFile(); err != nil {
		return nil, nil, nil, err
	}
	if e.Note == nil {
		return nil, nil, nil, fmt.Errorf("%w: no note", vault.ErrCorrupt)
	}
	if err := checkNote(*e.Note); err != nil {
		return nil, nil, nil, err
	}
	h = &header{note: *e.Note, kdf: p, salt: salt}
	if h.check, err = seal.DecodeField(e.Check, "check", seal.CheckSize, seal.CheckSize); err != nil {
		return nil, nil, nil, err
	}
	if nonce, err = seal.DecodeField(e.Nonce, "nonce", seal.NonceSize, seal.NonceSize); err != nil {
		return nil, nil, nil, err
	}
	if ct, err = seal.DecodeField(e.Ciphertext, "ciphertext", seal.Overhead, MaxSize); err != nil {
		return nil, nil, nil, err
	}
	return h, nonce, ct, nil
}

// checkNote keeps the note on one line of the associated data and readable.
func checkNote(s string) error {
	if len(s) > maxNoteLen {
		return fmt.Errorf("%w: note longer than %d bytes", vault.ErrCorrupt, maxNoteLen)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%w: note contains control characters", vault.ErrCorrupt)
	}
	return nil
}

func decodePayload(b []byte) (*Backup, error) {
	_, version, err := seal.Head(b, false)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	if version == nil {
		return nil, fmt.Errorf("%w: payload has no version", vault.ErrCorrupt)
	}
	if *version != payloadVersion {
		return nil, fmt.Errorf("%w: payload version %d (this version reads %d)", vault.ErrUnsupportedVersion, *version, payloadVersion)
	}
	p, err := readPayload(b)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	if p.Created.IsZero() {
		return nil, fmt.Errorf("%w: payload has no creation time", vault.ErrCorrupt)
	}
	if p.Accounts == nil {
		return nil, fmt.Errorf("%w: payload has no account list", vault.ErrCorrupt)
	}
	return &Backup{Created: p.Created, Accounts: p.Accounts}, nil
}

// The envelope and the payload are read and written by hand (package strictjson), every
// member of envelopeJSON and payloadJSON and no other; the payload's bytes are what
// encoding/json wrote for payloadJSON (TestPayloadMatchesEncodingJSON).

var envelopeNames = []string{"format", "version", "note", "kdf", "check", "cipher", "nonce", "ciphertext"}

func readEnvelope(data []byte) (*envelopeJSON, error) {
	var e envelopeJSON
	d := strictjson.NewDecoder(data)
	d.Object(envelopeNames, func(i int, _ string) {
		switch i {
		case 0:
			e.Format = d.String()
		case 1:
			e.Version = d.Int(64)
		case 2:
			if !d.Null() {
				note := d.String()
				e.Note = &note
			}
		case 3:
			e.KDF = seal.ReadKDF(d)
		case 4:
			e.Check = d.String()
		case 5:
			e.Cipher = d.String()
		case 6:
			e.Nonce = d.String()
		case 7:
			e.Ciphertext = d.String()
		}
	})
	if err := d.End(); err != nil {
		return nil, seal.Corrupt(err)
	}
	return &e, nil
}

var payloadNames = []string{"version", "created", "accounts"}

func readPayload(b []byte) (*payloadJSON, error) {
	var p payloadJSON
	d := strictjson.NewDecoder(b)
	d.Object(payloadNames, func(i int, _ string) {
		switch i {
		case 0:
			p.Version = d.Int(64)
		case 1:
			p.Created = d.Time()
		case 2:
			p.Accounts = vault.ReadAccounts(d)
		}
	})
	if err := d.End(); err != nil {
		return nil, seal.Corrupt(err)
	}
	return &p, nil
}

func (p *payloadJSON) encode() ([]byte, error) {
	b := make([]byte, 0, 256*len(p.Accounts)+64)
	b = append(b, `{"version":`...)
	b = strictjson.AppendInt(b, p.Version)
	b = append(b, `,"created":`...)
	b, err := strictjson.AppendTime(b, p.Created)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"accounts":`...)
	if b, err = vault.AppendAccounts(b, p.Accounts); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}
