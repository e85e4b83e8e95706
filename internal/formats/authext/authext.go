// Package authext reads the JSON backup of the "Authenticator" browser extension
// (authenticator.cc, github.com/Authenticator-Extension/Authenticator).
//
// The backup is a JSON object keyed by each entry's hash; each value holds type, secret,
// issuer, account and, when they differ from the defaults (30 s, 6 digits, SHA1), period,
// digits and algorithm; HOTP entries carry a counter. Types: totp, hotp, battle (Blizzard:
// TOTP with 8 digits), steam, hex and hhex (TOTP and HOTP with a hexadecimal secret). A
// secret prefixed "blz-"/"bliz-" marks a Battle.net entry and "stm-" a Steam entry, as in
// the extension's own importer.
//
// The extension's "standard" backup is plain otpauth:// lines; the otpauth format reads it.
// Encrypted backups (entries with "encrypted": true) are refused with a clear error: the
// extension can export them unencrypted.
package authext

import (
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "authenticator-extension",
		Description: "Authenticator browser extension JSON backup",
		Priority:    30,
		Importer:    Importer{},
	})
}

// ErrCorrupt is wrapped by errors about a file that is not a readable backup.
var ErrCorrupt = errors.New("authenticator-extension: damaged or unsupported backup")

// ErrEncrypted is returned for the extension's password-protected backups.
var ErrEncrypted = errors.New("authenticator-extension: encrypted backups are not supported; export an unencrypted backup from the extension")

type entry struct {
	Encrypted bool    `json:"encrypted"`
	Index     *int    `json:"index"`
	Type      string  `json:"type"`
	Secret    string  `json:"secret"`
	Issuer    string  `json:"issuer"`
	Account   string  `json:"account"`
	Counter   *uint64 `json:"counter"`
	Period    *int    `json:"period"`
	Digits    *int    `json:"digits"`
	Algorithm string  `json:"algorithm"`
	DataType  string  `json:"dataType"`
}

// Importer reads the extension's JSON backups.
type Importer struct{}

// Detect reports whether data is an object of entries that each have a secret, and at
// least one has the extension's "dataType" or "hash" marks.
func (Importer) Detect(data []byte) bool {
	top, ok := formats.JSONObject(data)
	if !ok || len(top) == 0 {
		return false
	}
	marked := false
	for k, raw := range top {
		if k == "key" || k == "enc" || k == "hash" {
			continue
		}
		m, err := members(raw)
		if err != nil {
			return false
		}
		if _, ok := m["secret"]; !ok {
			if string(m["dataType"]) != `"Key"` {
				return false
			}
		}
		_, h := m["hash"]
		_, d := m["dataType"]
		marked = marked || h || d
	}
	return marked
}

// Encrypted reports whether the backup holds encrypted entries or a key.
func (Importer) Encrypted(data []byte) bool {
	top, ok := formats.JSONObject(data)
	if !ok {
		return false
	}
	if _, ok := top["key"]; ok {
		return true
	}
	for _, raw := range top {
		if e, err := readEntryJSON(raw); err == nil && (e.Encrypted || e.DataType == "Key") {
			return true
		}
	}
	return false
}

type item struct {
	hash string
	raw  []byte
	idx  int
}

// Import reads a plain backup, in the extension's order (the entries' index).
func (imp Importer) Import(data, _ []byte) (formats.Result, error) {
	top, ok := formats.JSONObject(data)
	if !ok {
		return formats.Result{}, fmt.Errorf("%w: not a JSON object", ErrCorrupt)
	}
	if imp.Encrypted(data) {
		return formats.Result{}, ErrEncrypted
	}
	items := make([]item, 0, len(top))
	for h, raw := range top {
		idx := 1 << 30
		if i, err := readIndex(raw); err == nil && i != nil {
			idx = *i
		}
		items = append(items, item{h, raw, idx})
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].idx != items[j].idx {
			return items[i].idx < items[j].idx
		}
		return items[i].hash < items[j].hash
	})
	res := formats.Collect(items, func(it item) (vault.Account, string, error) { return readEntry(it.raw) })
	return res, formats.NoneRead(res, "authenticator-extension", "entries")
}

// isHex reports whether s is one or more hexadecimal digits. (A small function rather than
// a regexp: this was the tools program's only regexp, ~250 KiB of WASM.)
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// members returns the members of raw, an object (or null: none), each value as it stands.
func members(raw []byte) (map[string][]byte, error) {
	m := map[string][]byte{}
	d := strictjson.NewLenientDecoder(raw)
	d.Object(nil, func(_ int, name string) { m[name] = d.Raw() })
	return m, d.End()
}

// readIndex reads an entry's "index" alone (nil when absent or null): what
// encoding/json read into a struct with that one member, so that a bad value elsewhere
// does not move the entry.
func readIndex(raw []byte) (*int, error) {
	var idx *int
	d := strictjson.NewLenientDecoder(raw)
	d.Object([]string{"index"}, func(int, string) { idx = d.IntPtr() })
	return idx, d.End()
}

var entryNames = []string{"encrypted", "index", "type", "secret", "issuer", "account", "counter", "period", "digits", "algorithm", "dataType"}

// readEntryJSON reads one entry as encoding/json read it into entry (the tests compare).
func readEntryJSON(raw []byte) (entry, error) {
	var e entry
	d := strictjson.NewLenientDecoder(raw)
	d.Object(entryNames, func(i int, _ string) {
		switch i {
		case 0:
			d.BoolTo(&e.Encrypted)
		case 1:
			e.Index = d.IntPtr()
		case 2:
			d.StringTo(&e.Type)
		case 3:
			d.StringTo(&e.Secret)
		case 4:
			d.StringTo(&e.Issuer)
		case 5:
			d.StringTo(&e.Account)
		case 6:
			e.Counter = d.Uint64Ptr()
		case 7:
			e.Period = d.IntPtr()
		case 8:
			e.Digits = d.IntPtr()
		case 9:
			d.StringTo(&e.Algorithm)
		case 10:
			d.StringTo(&e.DataType)
		}
	})
	return e, d.End()
}

func readEntry(raw []byte) (vault.Account, string, error) {
	e, err := readEntryJSON(raw)
	if err != nil {
		return vault.Account{}, "", errors.New("malformed entry")
	}
	k := otp.Key{Issuer: e.Issuer, Name: e.Account}
	label := formats.Label(k.Issuer, k.Name)
	typ, secret := strings.ToLower(e.Type), e.Secret
	lower := strings.ToLower(secret)
	switch {
	case strings.HasPrefix(lower, "blz-"):
		typ, secret = "battle", secret[4:]
	case strings.HasPrefix(lower, "bliz-"):
		typ, secret = "battle", secret[5:]
	case strings.HasPrefix(lower, "stm-"):
		typ, secret = "steam", secret[4:]
	}
	if typ == "" {
		typ = "totp" // entries from before the extension wrote a type
	}
	hexOnly := false
	switch typ {
	case "totp", "battle":
		k.Type = otp.TOTP
	case "hotp":
		k.Type = otp.HOTP
	case "steam":
		k.Type = otp.Steam
	case "hex":
		k.Type, hexOnly = otp.TOTP, true
	case "hhex":
		k.Type, hexOnly = otp.HOTP, true
	default:
		return vault.Account{}, label, fmt.Errorf("type %q is not supported", e.Type)
	}
	if hexOnly {
		k.Secret, err = hex.DecodeString(strings.ReplaceAll(secret, " ", ""))
	} else if k.Secret, err = otp.ParseSecret(secret); err != nil && isHex(secret) {
		// The extension accepts a hexadecimal secret in a TOTP/HOTP entry when it is not
		// base32 (its "HOTP with HEX secret" case).
		k.Secret, err = hex.DecodeString(secret)
	}
	if err != nil || len(k.Secret) == 0 {
		return vault.Account{}, label, formats.BadSecret("the secret is not valid base32 or hex")
	}

	// The export leaves SHA1, the default, out.
	if k.Algorithm, err = formats.Algorithm(cmp.Or(e.Algorithm, "SHA1")); err != nil {
		return vault.Account{}, label, err
	}
	// The export leaves out the defaults: 6 digits, 30 s.
	k.Digits, k.Period = 6, 30
	switch typ {
	case "battle":
		k.Digits = 8
	case "steam":
		k.Digits = 5
	}
	if e.Digits != nil && typ != "steam" && typ != "battle" {
		k.Digits = *e.Digits
	}
	if e.Period != nil {
		k.Period = *e.Period
	}
	if k.Type == otp.HOTP {
		if e.Counter == nil {
			return vault.Account{}, label, errors.New("HOTP entry without a counter")
		}
		k.Counter, k.Period = *e.Counter, 0
	}
	if err := k.Validate(); err != nil {
		return vault.Account{}, label, err
	}
	return vault.AccountFromKey(k), label, nil
}
