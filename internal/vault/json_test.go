package vault_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

// oddAccounts are accounts whose JSON needs every kind of escaping and every optional
// member, with times that are not whole seconds and not UTC.
func oddAccounts() []vault.Account {
	zone := time.FixedZone("", -(7*3600 + 30*60))
	t1 := time.Date(2026, 1, 2, 3, 4, 5, 123456789, zone)
	return append(vaulttest.Accounts(),
		vault.Account{ID: `<"id">&\`, Type: otp.TOTP, Issuer: "a\u2028b\u2029c \x01\x1f\x7f é 😀", Name: "<script>&amp;",
			Secret: "JBSWY3DPEHPK3PXP", Algorithm: otp.SHA1, Digits: 6, Period: 30, Sites: []string{"a</b", "x"},
			Note: "tab\there\r\nbackspace\b formfeed\f", Order: -3, Created: t1, Updated: t1.Add(time.Nanosecond)},
		vault.Account{ID: "zero", Type: otp.HOTP, Name: "", Secret: "", Algorithm: "", Digits: 0, Sites: []string{}},
	)
}

// TestJSONMatchesEncodingJSON: the hand-written codec writes what encoding/json writes for
// Account's and Vault's tags, and reads back what encoding/json reads.
func TestJSONMatchesEncodingJSON(t *testing.T) {
	for _, v := range []*vault.Vault{
		{Accounts: oddAccounts(), Settings: vault.RawJSON(" { \"autoLock\" : 5, \"s\": \"<&>\u2028\", \"n\": [1.5e3, null, true] } ")},
		{Accounts: vaulttest.Many(300)},
		{Accounts: []vault.Account{}},
		{},
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := v.EncodeJSON()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("EncodeJSON = %s, %v\nencoding/json: %s", got, err, want)
		}
		wantList, _ := json.Marshal(v.Accounts)
		if got, err := vault.EncodeAccounts(v.Accounts); err != nil || !bytes.Equal(got, wantList) {
			t.Fatalf("EncodeAccounts = %s, %v\nencoding/json: %s", got, err, wantList)
		}
		var std vault.Vault
		if err := json.Unmarshal(want, &std); err != nil {
			t.Fatal(err)
		}
		read, err := vault.DecodeJSON(want)
		if err != nil || !reflect.DeepEqual(read, &std) {
			t.Fatalf("DecodeJSON = %+v, %v\nencoding/json: %+v", read, err, std)
		}
	}
	a := oddAccounts()[5]
	want, _ := json.Marshal(a)
	if got, err := vault.AppendAccount(nil, &a); err != nil || !bytes.Equal(got, want) {
		t.Errorf("AppendAccount = %s, %v\nencoding/json: %s", got, err, want)
	}
	bad := vault.Account{Created: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := vault.AppendAccount(nil, &bad); err == nil {
		t.Error("AppendAccount wrote a year encoding/json refuses")
	}
}

// TestDecodeAccountsRefuses: the rules encoding/json does not apply by itself, and its own.
func TestDecodeAccountsRefuses(t *testing.T) {
	good := `{"id":"a","type":"totp","name":"n","secret":"JBSWY3DPEHPK3PXP","algorithm":"SHA1","digits":6,"period":30,"order":0,"created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}`
	if _, err := vault.DecodeAccounts([]byte("[" + good + "]")); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"unknown member":    `[{"id":"a","extra":1}]`,
		"other case":        `[{"ID":"a"}]`,
		"duplicate":         `[{"id":"a","id":"b"}]`,
		"string digits":     `[{"digits":"6"}]`,
		"fraction":          `[{"digits":6.5}]`,
		"negative counter":  `[{"counter":-1}]`,
		"counter too large": `[{"counter":18446744073709551616}]`,
		"bad time":          `[{"created":"2026-01-01"}]`,
		"escaped time":      `[{"created":"2026-01-01T00:00:00\u005a"}]`,
		"time as number":    `[{"created":0}]`,
		"sites not strings": `[{"sites":[1]}]`,
		"lone surrogate":    `[{"name":"\ud800"}]`,
		"trailing data":     "[" + good + "] x",
		"not an array":      good,
	} {
		if _, err := vault.DecodeAccounts([]byte(in)); err == nil {
			t.Errorf("%s: %s accepted", name, in)
		}
	}
	if _, err := vault.DecodeAccounts([]byte(`[{"name":"SECRET","digits":"SECRET"}]`)); err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error quotes the input: %v", err)
	}
}

// FuzzAccountsJSON: whatever DecodeAccounts accepts, encoding/json reads the same way, and
// EncodeAccounts writes it as encoding/json does.
func FuzzAccountsJSON(f *testing.F) {
	for _, list := range [][]vault.Account{oddAccounts(), vaulttest.Many(3), nil, {}} {
		b, _ := json.Marshal(list)
		f.Add(b)
	}
	f.Add([]byte(`[{"id":"a","sites":null,"note":null,"counter":0,"created":null},null]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := vault.DecodeAccounts(data)
		if err != nil {
			return
		}
		var std []vault.Account
		if err := json.Unmarshal(data, &std); err != nil {
			t.Fatalf("DecodeAccounts accepted %q, encoding/json: %v", data, err)
		}
		if !reflect.DeepEqual(list, std) {
			t.Fatalf("%q: DecodeAccounts = %+v, encoding/json = %+v", data, list, std)
		}
		got, err := vault.EncodeAccounts(list)
		want, err2 := json.Marshal(list)
		if (err == nil) != (err2 == nil) || err == nil && !bytes.Equal(got, want) {
			t.Fatalf("EncodeAccounts = %s, %v; encoding/json = %s, %v", got, err, want, err2)
		}
	})
}
