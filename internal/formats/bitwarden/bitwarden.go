// Package bitwarden reads the TOTP keys out of Bitwarden's unencrypted exports, JSON and
// CSV. A login's TOTP field ("login.totp", CSV column "login_totp") holds an otpauth:// URI,
// "steam://SECRET" or a bare base32 key, which Bitwarden reads as TOTP with SHA1, 6 digits
// and 30 s. The item's name stands in for a missing issuer and its username for a missing
// account name; the login's web addresses become the account's sites (for autofill).
//
// Items without a TOTP key are password entries and are skipped (counted in a warning).
// Encrypted exports are refused with a clear error.
package bitwarden

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/sites"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "bitwarden",
		Description: "Bitwarden export (.json or .csv, unencrypted)",
		Priority:    30,
		Importer:    Importer{},
	})
}

// ErrCorrupt is wrapped by errors about a file that is not a readable Bitwarden export.
var ErrCorrupt = errors.New("bitwarden: damaged or unsupported export")

// ErrEncrypted is returned for Bitwarden's encrypted (account- or password-protected) exports.
var ErrEncrypted = errors.New("bitwarden: encrypted exports are not supported; export as unencrypted .json or .csv")

// maxSites is how many of a login's addresses become sites.
const maxSites = 16

// export and item are what the reader takes from a JSON export, read by readExport and
// readItem as encoding/json read them into these types (the tests compare the two).
type export struct {
	Encrypted bool     `json:"encrypted"`
	Items     [][]byte `json:"items"`
}

type item struct {
	Name  string `json:"name"`
	Login *login `json:"login"`
}

type login struct {
	Username string `json:"username"`
	TOTP     string `json:"totp"`
	URIs     []uri  `json:"uris"`
}

type uri struct {
	URI string `json:"uri"`
}

func readExport(data []byte) (export, error) {
	var e export
	d := strictjson.NewLenientDecoder(data)
	d.Object([]string{"encrypted", "items"}, func(i int, _ string) {
		switch i {
		case 0:
			d.BoolTo(&e.Encrypted)
		case 1:
			e.Items = d.Raws()
		}
	})
	return e, d.End()
}

func readItem(raw []byte) (item, error) {
	var it item
	d := strictjson.NewLenientDecoder(raw)
	d.Object([]string{"name", "login"}, func(i int, _ string) {
		switch i {
		case 0:
			d.StringTo(&it.Name)
		case 1:
			if d.Null() {
				it.Login = nil
				return
			}
			if it.Login == nil {
				it.Login = new(login)
			}
			l := it.Login
			d.Object([]string{"username", "totp", "uris"}, func(i int, _ string) {
				switch i {
				case 0:
					d.StringTo(&l.Username)
				case 1:
					d.StringTo(&l.TOTP)
				case 2:
					strictjson.ArrayInto(d, &l.URIs, func(u *uri) {
						d.Object([]string{"uri"}, func(int, string) { d.StringTo(&u.URI) })
					})
				}
			})
		}
	})
	return it, d.End()
}

// Importer reads Bitwarden exports.
type Importer struct{}

func isJSON(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '{'
}

func csvHeader(data []byte) []string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csvReader{first}
	h, err := r.Read()
	if err != nil {
		return nil
	}
	return h
}

func column(header []string, name string) int {
	for i, h := range header {
		if strings.TrimSpace(h) == name {
			return i
		}
	}
	return -1
}

// Detect reports whether data is a Bitwarden JSON export (an object with "items" and
// "encrypted") or a CSV export (a header with a login_totp column).
func (Importer) Detect(data []byte) bool {
	if isJSON(data) {
		top, ok := formats.JSONObject(data)
		if !ok {
			return false
		}
		_, e := top["encrypted"]
		_, i := top["items"]
		_, d := top["data"]
		return e && (i || d)
	}
	return column(csvHeader(data), "login_totp") >= 0
}

// Encrypted reports whether data is an encrypted JSON export.
func (Importer) Encrypted(data []byte) bool {
	if !isJSON(data) {
		return false
	}
	e, err := readExport(data)
	return err == nil && e.Encrypted
}

type record struct {
	name, username, totp string
	uris                 []string
}

// Import reads the TOTP keys of a JSON or CSV export.
func (imp Importer) Import(data, _ []byte) (formats.Result, error) {
	var recs []record
	var err error
	if isJSON(data) {
		recs, err = readJSON(data)
	} else {
		recs, err = readCSV(data)
	}
	if err != nil {
		return formats.Result{}, err
	}
	var res formats.Result
	skipped := 0
	for i, r := range recs {
		if strings.TrimSpace(r.totp) == "" {
			skipped++
			continue
		}
		a, err := r.account()
		if err != nil {
			res.AddProblem(formats.ProblemOf(i+1, r.name, err))
			continue
		}
		res.Accounts = append(res.Accounts, a)
	}
	if skipped > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d items without a TOTP key were skipped", skipped))
	}
	if len(res.Accounts) == 0 {
		if len(res.Problems) > 0 {
			return res, fmt.Errorf("bitwarden: none of the TOTP keys could be read (first: %s)", res.Problems[0])
		}
		return res, errors.New("bitwarden: the export holds no TOTP key")
	}
	return res, nil
}

func readJSON(data []byte) ([]record, error) {
	e, err := readExport(data)
	if err != nil {
		return nil, fmt.Errorf("%w: not valid JSON", ErrCorrupt)
	}
	if e.Encrypted {
		return nil, ErrEncrypted
	}
	recs := make([]record, len(e.Items))
	for i, raw := range e.Items {
		it, err := readItem(raw)
		if err != nil {
			// Keep the position so that problems point at the right item.
			recs[i] = record{totp: "\x00malformed"}
			continue
		}
		recs[i] = record{name: it.Name}
		if it.Login != nil {
			recs[i].username, recs[i].totp = it.Login.Username, it.Login.TOTP
			for _, u := range it.Login.URIs {
				recs[i].uris = append(recs[i].uris, u.URI)
			}
		}
	}
	return recs, nil
}

func readCSV(data []byte) ([]record, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csvReader{data}
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: no CSV header", ErrCorrupt)
	}
	col := func(name string) int { return column(header, name) }
	cTOTP, cName, cUser, cURI := col("login_totp"), col("name"), col("login_username"), col("login_uri")
	if cTOTP < 0 {
		return nil, fmt.Errorf("%w: no login_totp column", ErrCorrupt)
	}
	get := func(row []string, c int) string {
		if c < 0 || c >= len(row) {
			return ""
		}
		return row[c]
	}
	var recs []record
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if len(recs) == formats.MaxEntries {
			return nil, fmt.Errorf("%w: more than %d rows", ErrCorrupt, formats.MaxEntries)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: CSV row %d is malformed", ErrCorrupt, len(recs)+2)
		}
		rec := record{name: get(row, cName), username: get(row, cUser), totp: get(row, cTOTP)}
		if u := get(row, cURI); u != "" {
			rec.uris = strings.Split(u, ",") // Bitwarden joins several addresses with commas
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

func (r record) account() (vault.Account, error) {
	totp := strings.TrimSpace(r.totp)
	var k otp.Key
	switch lower := strings.ToLower(totp); {
	case strings.HasPrefix(totp, "\x00"):
		return vault.Account{}, errors.New("malformed item")
	case strings.HasPrefix(lower, "otpauth://"):
		var err error
		if k, err = otp.ParseURI(totp); err != nil {
			return vault.Account{}, err
		}
	case strings.HasPrefix(lower, "steam://"):
		secret, err := otp.ParseSecret(totp[len("steam://"):])
		if err != nil {
			return vault.Account{}, formats.BadSecret("the Steam secret is not valid base32")
		}
		k = otp.Key{Type: otp.Steam, Secret: secret, Algorithm: otp.SHA1, Digits: 5, Period: 30}
	default:
		secret, err := otp.ParseSecret(totp)
		if err != nil {
			return vault.Account{}, errors.New("the TOTP field is neither an otpauth URI nor a base32 key")
		}
		k = otp.Key{Type: otp.TOTP, Secret: secret, Algorithm: otp.SHA1, Digits: 6, Period: 30}
	}
	if k.Issuer == "" {
		k.Issuer = strings.TrimSpace(r.name)
	}
	if k.Name == "" {
		k.Name = strings.TrimSpace(r.username)
	}
	if err := k.Validate(); err != nil {
		return vault.Account{}, err
	}
	a := vault.AccountFromKey(k)
	for _, u := range r.uris {
		u = strings.TrimSpace(u)
		if u != "" && !strings.Contains(u, "://") {
			u = "https://" + u
		}
		if s, err := sites.Of(u); err == nil && !contains(a.Sites, s) && len(a.Sites) < maxSites {
			a.Sites = append(a.Sites, s)
		}
	}
	return a, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
