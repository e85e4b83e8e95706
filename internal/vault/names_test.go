package vault_test

import (
	"errors"
	"strings"
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

// Every path where an account enters the vault (the form, imports, restores, the CLI)
// validates it with Account.Validate, which bounds the issuer, the name and the note. Key,
// which codes need, and ValidateStored, which sealing needs, do not bound the issuer and the
// name, so that an account stored before those bounds keeps working and its vault can still
// be written.
func TestAccountTextBounds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*vault.Account)
		want   string
		legacy bool // stored before the bound existed: the vault can still be sealed
	}{
		{"issuer", func(a *vault.Account) { a.Issuer = strings.Repeat("I", 10000) }, "the issuer has 10000 characters (at most 200)", true},
		{"name", func(a *vault.Account) { a.Name = strings.Repeat("n", 201) }, "the account name has 201 characters (at most 200)", true},
		{"note", func(a *vault.Account) { a.Note = strings.Repeat("n", 4097) }, "note longer than 4096 bytes", false},
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
		blob, key, err := vault.Create(v, pw, opts(1))
		if !tc.legacy {
			if !errors.Is(err, vault.ErrInvalid) {
				t.Errorf("long %s: Create = %v, want ErrInvalid", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("long %s stored earlier: Create = %v, want the vault sealed", tc.name, err)
		}
		// Adding an account to such a vault must still work.
		v.Accounts = append(v.Accounts, vaulttest.Accounts()[1])
		if _, err := vault.Reseal(blob, key, v, opts(2)); err != nil {
			t.Errorf("long %s stored earlier: Reseal = %v, want the write to succeed", tc.name, err)
		}
	}
}
