//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/passgen"
	"codeward.dev/internal/restore"
	"codeward.dev/internal/vault"
)

// Backup files cross the boundary as the JSON text they are; account lists as JSON arrays.

// codeNotBackup: the file is not a Codeward backup at all (another app's export, a photo...).
const codeNotBackup = "not_backup"

// maxBackupSize bounds what backupRead accepts: far above any real vault (16 MiB sealed).
const maxBackupSize = 32 << 20

func init() {
	register("backupWrite", backupWrite)
	register("backupRead", backupRead)
	register("backupMerge", backupMerge)
	register("passwordSuggest", passwordSuggest)
	register("passwordJudge", passwordJudge)
}

// backupWrite(accountsJSON, password) → the backup file's text, sealed with the default
// Argon2id parameters. Weak passwords are refused here too, not only in the page.
func backupWrite(args []safejs.Value) (any, error) {
	accounts, err := accountsArg(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := passwordArg(args, 1)
	if err != nil {
		return nil, err
	}
	if err := passgen.Check(string(password)); err != nil {
		return nil, invalid(err)
	}
	defer runtime.GC() // Argon2id just used 64 MiB that WASM memory never gives back
	file, err := backup.Write(accounts, password, backup.Options{})
	if err != nil {
		return nil, err
	}
	return string(file), nil
}

// backupRead(fileText, password) → {created: RFC 3339, accounts: JSON, problems: [{index,
// label, message}]}. Entries that do not validate are left out and reported one by one, so
// one bad entry does not sink a restore.
func backupRead(args []safejs.Value) (any, error) {
	text, err := argString(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := passwordArg(args, 1)
	if err != nil {
		return nil, err
	}
	data := []byte(text)
	if len(data) > maxBackupSize || !backup.Detect(data) {
		return nil, &codedError{code: codeNotBackup, err: errors.New("this is not a Codeward backup file")}
	}
	defer runtime.GC()
	b, err := backup.Read(data, password)
	if err != nil {
		return nil, err
	}
	good := []vault.Account{}
	problems := []any{}
	for i, a := range b.Accounts {
		if err := a.Validate(); err != nil {
			problems = append(problems, map[string]any{"index": i + 1, "label": label(a), "message": err.Error()})
			continue
		}
		good = append(good, a)
	}
	accounts, err := marshal(good)
	if err != nil {
		return nil, err
	}
	return map[string]any{"created": b.Created.UTC().Format(time.RFC3339), "accounts": accounts, "problems": problems}, nil
}

// backupMerge(currentJSON, incomingJSON, mode) → {accounts: JSON, added: [ids], skipped,
// updated: [ids]}; mode is "merge" or "replace" (see internal/restore).
func backupMerge(args []safejs.Value) (any, error) {
	current, err := accountsArg(args, 0)
	if err != nil {
		return nil, err
	}
	incoming, err := accountsArg(args, 1)
	if err != nil {
		return nil, err
	}
	mode, err := argString(args, 2)
	if err != nil {
		return nil, err
	}
	var r restore.Result
	switch mode {
	case "merge":
		r = restore.Merge(current, incoming, nil)
	case "replace":
		r = restore.Replace(incoming, nil)
	default:
		return nil, badArg(2, `"merge" or "replace"`)
	}
	if err := (&vault.Vault{Accounts: r.Accounts}).Validate(); err != nil {
		return nil, invalid(err)
	}
	accounts, err := marshal(nonNil(r.Accounts))
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"accounts": accounts,
		"added":    anyList(r.Added),
		"skipped":  r.Skipped,
		"updated":  anyList(r.Updated),
	}, nil
}

// passwordSuggest() → a new backup password suggestion
func passwordSuggest([]safejs.Value) (any, error) {
	return passgen.Generate(nil)
}

// passwordJudge(password) → {bits, verdict, hint}
func passwordJudge(args []safejs.Value) (any, error) {
	pw, err := argString(args, 0)
	if err != nil {
		return nil, err
	}
	e := passgen.Judge(pw)
	return map[string]any{"bits": e.Bits, "verdict": string(e.Verdict), "hint": e.Hint}, nil
}

// accountsArg reads a JSON array of accounts strictly; every account must validate.
func accountsArg(args []safejs.Value, i int) ([]vault.Account, error) {
	s, err := argString(args, i)
	if err != nil {
		return nil, err
	}
	var accounts []vault.Account
	if err := decodeStrict(s, &accounts); err != nil {
		return nil, invalid(fmt.Errorf("accounts: %w", err))
	}
	for n, a := range accounts {
		if err := a.Validate(); err != nil {
			return nil, invalid(fmt.Errorf("account %d: %w", n+1, err))
		}
	}
	return accounts, nil
}

// label names an entry for a person: issuer and name, never the secret.
func label(a vault.Account) string {
	switch {
	case a.Issuer != "" && a.Name != "":
		return a.Issuer + " (" + a.Name + ")"
	case a.Issuer != "":
		return a.Issuer
	}
	return a.Name
}

func nonNil(a []vault.Account) []vault.Account {
	if a == nil {
		return []vault.Account{}
	}
	return a
}

// anyList converts for js.ValueOf, which takes []any but not []string.
func anyList(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
