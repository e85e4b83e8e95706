package vault

import (
	"fmt"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
)

// The JSON of accounts and of the vault payload, written and read by hand (package
// strictjson) rather than with encoding/json, so that the extension's core links no
// reflection-based codec. The output is byte for byte what encoding/json writes for the
// struct tags of Account and Vault (member order, omitempty); TestJSONMatchesEncodingJSON
// checks it. Reading refuses unknown, duplicate and differently-cased member names.

// RawJSON is a raw JSON value, kept as it was read. It is encoding/json's RawMessage
// (which encoding/json users of Vault see the same way), declared here so that this
// package does not import encoding/json.
type RawJSON []byte

// MarshalJSON returns m, or null when m is nil.
func (m RawJSON) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	return m, nil
}

// UnmarshalJSON keeps a copy of data.
func (m *RawJSON) UnmarshalJSON(data []byte) error {
	*m = append((*m)[0:0], data...)
	return nil
}

var accountNames = []string{"id", "type", "issuer", "name", "secret", "algorithm", "digits",
	"period", "counter", "sites", "note", "order", "created", "updated"}

// AppendAccount appends a's JSON to dst.
func AppendAccount(dst []byte, a *Account) ([]byte, error) {
	dst = append(dst, `{"id":`...)
	dst = strictjson.AppendString(dst, a.ID)
	dst = append(dst, `,"type":`...)
	dst = strictjson.AppendString(dst, string(a.Type))
	if a.Issuer != "" {
		dst = append(dst, `,"issuer":`...)
		dst = strictjson.AppendString(dst, a.Issuer)
	}
	dst = append(dst, `,"name":`...)
	dst = strictjson.AppendString(dst, a.Name)
	dst = append(dst, `,"secret":`...)
	dst = strictjson.AppendString(dst, a.Secret)
	dst = append(dst, `,"algorithm":`...)
	dst = strictjson.AppendString(dst, string(a.Algorithm))
	dst = append(dst, `,"digits":`...)
	dst = strictjson.AppendInt(dst, int64(a.Digits))
	if a.Period != 0 {
		dst = append(dst, `,"period":`...)
		dst = strictjson.AppendInt(dst, int64(a.Period))
	}
	if a.Counter != 0 {
		dst = append(dst, `,"counter":`...)
		dst = strictjson.AppendUint(dst, a.Counter)
	}
	if len(a.Sites) > 0 {
		dst = append(dst, `,"sites":`...)
		dst = strictjson.AppendStrings(dst, a.Sites)
	}
	if a.Note != "" {
		dst = append(dst, `,"note":`...)
		dst = strictjson.AppendString(dst, a.Note)
	}
	dst = append(dst, `,"order":`...)
	dst = strictjson.AppendInt(dst, int64(a.Order))
	var err error
	dst = append(dst, `,"created":`...)
	if dst, err = strictjson.AppendTime(dst, a.Created); err != nil {
		return dst, fmt.Errorf("created: %w", err)
	}
	dst = append(dst, `,"updated":`...)
	if dst, err = strictjson.AppendTime(dst, a.Updated); err != nil {
		return dst, fmt.Errorf("updated: %w", err)
	}
	return append(dst, '}'), nil
}

// AppendAccounts appends accounts as a JSON array (nil as null, as encoding/json).
func AppendAccounts(dst []byte, accounts []Account) ([]byte, error) {
	if accounts == nil {
		return append(dst, "null"...), nil
	}
	dst = append(dst, '[')
	for i := range accounts {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = AppendAccount(dst, &accounts[i]); err != nil {
			return dst, fmt.Errorf("account %d: %w", i+1, err)
		}
	}
	return append(dst, ']'), nil
}

// ReadAccount reads one account (null: the zero Account, as encoding/json leaves it).
func ReadAccount(d *strictjson.Decoder) Account {
	var a Account
	d.Object(accountNames, func(i int, _ string) {
		switch i {
		case 0:
			a.ID = d.String()
		case 1:
			a.Type = otp.Type(d.String())
		case 2:
			a.Issuer = d.String()
		case 3:
			a.Name = d.String()
		case 4:
			a.Secret = d.String()
		case 5:
			a.Algorithm = otp.Algorithm(d.String())
		case 6:
			a.Digits = int(d.Int(64))
		case 7:
			a.Period = int(d.Int(64))
		case 8:
			a.Counter = d.Uint(64)
		case 9:
			a.Sites = d.Strings()
		case 10:
			a.Note = d.String()
		case 11:
			a.Order = int(d.Int(64))
		case 12:
			a.Created = d.Time()
		case 13:
			a.Updated = d.Time()
		}
	})
	return a
}

// ReadAccounts reads a JSON array of accounts (null: nil).
func ReadAccounts(d *strictjson.Decoder) []Account {
	if d.IsNull() {
		d.Null()
		return nil
	}
	out := []Account{}
	d.Array(func() { out = append(out, ReadAccount(d)) })
	return out
}

// DecodeAccounts reads data as one JSON array of accounts, strictly (structure only: the
// caller validates each account).
func DecodeAccounts(data []byte) ([]Account, error) {
	d := strictjson.NewDecoder(data)
	list := ReadAccounts(d)
	if err := d.End(); err != nil {
		return nil, err
	}
	return list, nil
}

// DecodeAccount reads data as one account object, strictly.
func DecodeAccount(data []byte) (Account, error) {
	d := strictjson.NewDecoder(data)
	a := ReadAccount(d)
	if err := d.End(); err != nil {
		return Account{}, err
	}
	return a, nil
}

// EncodeAccounts returns accounts as a JSON array (nil: null).
func EncodeAccounts(accounts []Account) ([]byte, error) {
	return AppendAccounts(make([]byte, 0, 256*len(accounts)+2), accounts)
}

// EncodeJSON returns v as JSON: {"accounts": [...], "settings": {...}}, settings compacted
// and left out when empty, nil accounts written as null.
func (v *Vault) EncodeJSON() ([]byte, error) {
	b := make([]byte, 0, 256*len(v.Accounts)+len(v.Settings)+32)
	b = append(b, `{"accounts":`...)
	b, err := AppendAccounts(b, v.Accounts)
	if err != nil {
		return nil, err
	}
	if len(v.Settings) > 0 {
		b = append(b, `,"settings":`...)
		if b, err = strictjson.AppendCompact(b, v.Settings); err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
	}
	return append(b, '}'), nil
}

// DecodeJSON reads data as one vault object ({"accounts", "settings"}), strictly; settings
// are kept as they stand (any JSON value: the callers check it is an object).
func DecodeJSON(data []byte) (*Vault, error) {
	d := strictjson.NewDecoder(data)
	var v Vault
	d.Object([]string{"accounts", "settings"}, func(i int, _ string) {
		if i == 0 {
			v.Accounts = ReadAccounts(d)
		} else if raw := d.Raw(); raw != nil {
			v.Settings = append([]byte(nil), raw...)
		}
	})
	if err := d.End(); err != nil {
		return nil, err
	}
	return &v, nil
}
