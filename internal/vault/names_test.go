package vault_test

import (
	"errors"
	"strings"
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

// Every path that stores an account (the form, imports, restores, the CLI) validates it
// with Account.Validate, which bounds the issuer, the name and the note; Key, which codes
// need, does not, so that an account stored before the bounds keeps working.
func TestAccountTextBounds(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*vault.Account)
		want string
	}{
		{"issuer", func(a *vault.Account) { a.Issuer = strings.Repeat("I", 10000) }, "the issuer has 10000 characters (at most 200)"},
		{"name", func(a *vault.Account) { a.Name = strings.Repeat("n", 201) }, "the account name has 201 characters (at most 200)"},
		{"note", func(a *vault.Account) { a.Note = strings.Repeat("n", 4097) }, "note longer than 4096 bytes"},
	} {
		a := vaulttest.Accounts()[0]
		tc.edit(&a)
		err := a.Validate()
		if !errors.Is(err, vault.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("long %s: %v, want %q", tc.name, err, tc.want)
		}
		if _, err := a.Key(); err != nil {
			t.Errorf("long %s: Key = %v, want the code parameters", tc.name, err)
		}
		v := &vault.Vault{Accounts: []vault.Account{a}}
		if _, _, err := vault.Create(v, pw, opts(1)); !errors.Is(err, vault.ErrInvalid) {
			t.Errorf("long %s: Create = %v", tc.name, err)
		}
	}
}
