package vault_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

func TestAccountValidate(t *testing.T) {
	for _, a := range vaulttest.Accounts() {
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", a.ID, err)
		}
	}
	base := vaulttest.Accounts()[0]
	hotp := vaulttest.Accounts()[2]
	for _, tc := range []struct {
		name string
		a    vault.Account
		edit func(*vault.Account)
	}{
		{"empty id", base, func(a *vault.Account) { a.ID = "" }},
		{"long id", base, func(a *vault.Account) { a.ID = strings.Repeat("x", 129) }},
		{"id with newline", base, func(a *vault.Account) { a.ID = "a\nb" }},
		{"non-UTF-8 name", base, func(a *vault.Account) { a.Name = "\xff\xfe" }},
		{"non-UTF-8 issuer", base, func(a *vault.Account) { a.Issuer = "Ex\x80ample" }},
		{"control in name", base, func(a *vault.Account) { a.Name = "bell\a" }},
		{"non-UTF-8 note", base, func(a *vault.Account) { a.Note = "\xc0\xaf" }},
		{"control in note", base, func(a *vault.Account) { a.Note = "esc\x1b" }},
		{"long note", base, func(a *vault.Account) { a.Note = strings.Repeat("n", 4097) }},
		{"lower-case secret", base, func(a *vault.Account) { a.Secret = "jbswy3dpehpk3pxp" }},
		{"padded secret", base, func(a *vault.Account) { a.Secret = "MFRGGZDFMZTWQ2LK=" }},
		{"spaced secret", base, func(a *vault.Account) { a.Secret = "JBSW Y3DP EHPK 3PXP" }},
		{"empty secret", base, func(a *vault.Account) { a.Secret = "" }},
		{"not base32", base, func(a *vault.Account) { a.Secret = "JBSWY3DP1HPK3PXP" }},
		{"unknown type", base, func(a *vault.Account) { a.Type = "motp" }},
		{"unknown algorithm", base, func(a *vault.Account) { a.Algorithm = "MD5" }},
		{"4 digits", base, func(a *vault.Account) { a.Digits = 4 }},
		{"11 digits", base, func(a *vault.Account) { a.Digits = 11 }},
		{"period 0", base, func(a *vault.Account) { a.Period = 0 }},
		{"period 3601", base, func(a *vault.Account) { a.Period = 3601 }},
		{"counter on TOTP", base, func(a *vault.Account) { a.Counter = 5 }},
		{"period on HOTP", hotp, func(a *vault.Account) { a.Period = 30 }},
		{"steam with 6 digits", vaulttest.Accounts()[3], func(a *vault.Account) { a.Digits = 6 }},
		{"empty site", base, func(a *vault.Account) { a.Sites = []string{""} }},
		{"site with space", base, func(a *vault.Account) { a.Sites = []string{"exa mple.com"} }},
		{"duplicate site", base, func(a *vault.Account) { a.Sites = []string{"a.com", "a.com"} }},
		{"non-UTF-8 site", base, func(a *vault.Account) { a.Sites = []string{"\xffa.com"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.a
			a.Sites = append([]string(nil), a.Sites...)
			tc.edit(&a)
			err := a.Validate()
			if !errors.Is(err, vault.ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
			if a.Secret != "" && strings.Contains(err.Error(), a.Secret) {
				t.Errorf("error contains the secret: %v", err)
			}
		})
	}
}

func TestAccountKeyRoundTrip(t *testing.T) {
	for _, a := range vaulttest.Accounts() {
		k, err := a.Key()
		if err != nil {
			t.Fatalf("%s: Key: %v", a.ID, err)
		}
		b := vault.AccountFromKey(k)
		want := vault.Account{Type: a.Type, Issuer: a.Issuer, Name: a.Name, Secret: a.Secret,
			Algorithm: a.Algorithm, Digits: a.Digits, Period: a.Period, Counter: a.Counter}
		if !reflect.DeepEqual(b, want) {
			t.Errorf("%s: AccountFromKey(Key()) = %+v, want %+v", a.ID, b, want)
		}
	}
}

func TestAccountFromURI(t *testing.T) {
	for _, tc := range []struct {
		uri  string
		want vault.Account
	}{
		{"otpauth://totp/Example:alice@example.com?secret=jbswy3dpehpk3pxp&issuer=Example",
			vault.Account{Type: otp.TOTP, Issuer: "Example", Name: "alice@example.com", Secret: "JBSWY3DPEHPK3PXP", Algorithm: otp.SHA1, Digits: 6, Period: 30}},
		{"otpauth://hotp/Co:bob?secret=JBSWY3DPEHPK3PXP&counter=7&digits=8&algorithm=SHA256",
			vault.Account{Type: otp.HOTP, Issuer: "Co", Name: "bob", Secret: "JBSWY3DPEHPK3PXP", Algorithm: otp.SHA256, Digits: 8, Counter: 7}},
	} {
		k, err := otp.ParseURI(tc.uri)
		if err != nil {
			t.Fatal(err)
		}
		got := vault.AccountFromKey(k)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("AccountFromKey = %+v, want %+v", got, tc.want)
		}
		got.ID = "x"
		if err := got.Validate(); err != nil {
			t.Errorf("account from %s does not validate: %v", tc.want.Type, err)
		}
	}
}

func TestNewID(t *testing.T) {
	a, b := vault.NewID(vaulttest.Rand(1)), vault.NewID(vaulttest.Rand(1))
	if a != b || len(a) != 32 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("NewID with a fixed reader: %q, %q", a, b)
	}
	seen := map[string]bool{}
	for range 100 {
		id := vault.NewID(nil)
		if seen[id] {
			t.Fatal("NewID repeated itself")
		}
		seen[id] = true
	}
}
