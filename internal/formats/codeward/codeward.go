// Package codeward registers Codeward's own encrypted backup file (internal/backup,
// specified in docs/backup-format.md) as an import/export format, so that the CLI and the
// extension treat it like any other format.
//
// Import checks each account as the vault would (vault.Account.Validate) and reports the
// ones that fail as Problems; export gives accounts without an id a fresh random one, as
// the backup file requires.
package codeward

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/formats"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "codeward",
		Description: "Codeward encrypted backup (.json)",
		// Before the other JSON formats: its first member is a fixed signature.
		Priority: 0,
		Importer: Importer{},
		Exporter: Exporter{},
	})
}

// ErrNoAccounts is returned by Import when the backup holds accounts but none is valid.
var ErrNoAccounts = errors.New("no account in the backup could be read")

// Importer reads Codeward backups.
type Importer struct{}

// Detect reports whether data is a Codeward backup (backup.Detect).
func (Importer) Detect(data []byte) bool { return backup.Detect(data) }

// Encrypted is always true: a Codeward backup is never plain.
func (Importer) Encrypted([]byte) bool { return true }

// Import decrypts data. Errors wrap formats.ErrPasswordRequired (no password) or the
// sentinels of backup.Read (vault.ErrWrongPassword, vault.ErrCorrupt, ...).
func (Importer) Import(data, password []byte) (formats.Result, error) {
	if len(password) == 0 {
		return formats.Result{}, formats.ErrPasswordRequired
	}
	b, err := backup.Read(data, password)
	if err != nil {
		return formats.Result{}, err
	}
	res := formats.Result{Accounts: make([]vault.Account, 0, len(b.Accounts))}
	for i, a := range b.Accounts {
		if err := a.Validate(); err != nil {
			res.AddProblem(formats.ProblemOf(i+1, label(a), err))
			continue
		}
		res.Accounts = append(res.Accounts, a)
	}
	if len(res.Accounts) == 0 && len(res.Problems) > 0 {
		return res, fmt.Errorf("%w: all %d are invalid (first: %s)", ErrNoAccounts, res.ProblemCount(), res.Problems[0].Message)
	}
	return res, nil
}

// label names an account in a Problem; text that Validate refused is not repeated.
func label(a vault.Account) string {
	l := a.Name
	if a.Issuer != "" {
		l = a.Issuer + ":" + a.Name
	}
	if !utf8.ValidString(l) || strings.IndexFunc(l, unicode.IsControl) >= 0 || len(l) > 200 {
		return ""
	}
	return l
}

// Exporter writes Codeward backups.
type Exporter struct {
	// Options are passed to backup.Write; the zero value (the registered exporter)
	// means the default Argon2id cost and crypto/rand.
	Options backup.Options
}

// WithKDF returns a copy of e that derives keys with p. Tests use it for cheap
// parameters; the CLI calls it only from its tests.
func (e Exporter) WithKDF(p vault.KDFParams) formats.Exporter {
	e.Options.KDF = p
	return e
}

// NeedsPassword is true: backups are always encrypted.
func (Exporter) NeedsPassword() bool { return true }

// Export encrypts accounts with password; accounts without an id get a random one.
func (e Exporter) Export(accounts []vault.Account, password []byte) ([]byte, error) {
	if len(password) == 0 {
		return nil, formats.ErrPasswordRequired
	}
	withIDs := make([]vault.Account, len(accounts))
	copy(withIDs, accounts)
	for i := range withIDs {
		if withIDs[i].ID == "" {
			withIDs[i].ID = vault.NewID(e.Options.Rand)
		}
	}
	return backup.Write(withIDs, password, e.Options)
}
