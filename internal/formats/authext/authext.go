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
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
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
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
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
		var e entry
		if json.Unmarshal(raw, &e) == nil && (e.Encrypted || e.DataType == "Key") {
			return true
		}
	}
	return false
}

type item struct {
	hash string
	raw  json.RawMessage
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
		var e struct {
			Index *int `json:"index"`
		}
		idx := 1 << 30
		if json.Unmarshal(raw, &e) == nil && e.Index != nil {
			idx = *e.Index
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

func readEntry(raw json.RawMessage) (vault.Account, string, error) {
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil {
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
	var err error
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
