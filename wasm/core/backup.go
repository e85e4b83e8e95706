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
	"codeward.dev/wasm/bridge"
)

// Backup files cross the boundary as the JSON text they are; account lists as JSON arrays.

// codeNotBackup: the file is not a Codeward backup at all (another app's export, a photo...).
const codeNotBackup = "not_backup"

// codeTooLarge: the file starts like a Codeward backup but is over backup.MaxSize.
const codeTooLarge = "too_large"

func init() {
	bridge.Register("backupWrite", backupWrite)
	bridge.Register("backupRead", backupRead)
	bridge.Register("backupKeyFor", backupKeyFor)
	bridge.Register("backupReadKeyed", backupReadKeyed)
	bridge.Register("backupMerge", backupMerge)
	bridge.Register("importCheck", importCheck)
	bridge.Register("passwordSuggest", passwordSuggest)
	bridge.Register("passwordJudge", passwordJudge)
}

// backupWrite(accountsJSON, password) → the backup file's text, sealed with the default
// Argon2id parameters. Weak passwords are refused here too, not only in the page.
func backupWrite(args []safejs.Value) (any, error) {
	accounts, err := bridge.Accounts(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := bridge.Password(args, 1)
	if err != nil {
		return nil, err
	}
	if err := passgen.Check(string(password)); err != nil {
		return nil, bridge.Invalid(err)
	}
	defer runtime.GC() // what the KDF allocated beyond the kept work area (see main), and the file
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
	data, err := backupFileArg(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := bridge.Password(args, 1)
	if err != nil {
		return nil, err
	}
	defer runtime.GC()
	b, err := backup.Read(data, password)
	if err != nil {
		return nil, err
	}
	return readResult(b)
}

// backupKeyFor(fileText, password) → the file's key as JSON text (as backupKeyDerive
// writes it). This is the Argon2id run of a restore, at the parameters the file asks for
// (within backup's reading bounds): the restore page runs it in a Web Worker it ends
// afterwards, so it blocks no message and its memory is given back.
func backupKeyFor(args []safejs.Value) (any, error) {
	data, err := backupFileArg(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := bridge.Password(args, 1)
	if err != nil {
		return nil, err
	}
	defer runtime.GC()
	k, err := backup.KeyFor(data, password)
	if err != nil {
		return nil, err
	}
	defer k.Clear()
	return keyReply(k)
}

// backupReadKeyed(fileText, keyJSON) → what backupRead returns, with the key from
// backupKeyFor: no KDF runs. A key that is not the file's is a wrong password.
func backupReadKeyed(args []safejs.Value) (any, error) {
	data, err := backupFileArg(args, 0)
	if err != nil {
		return nil, err
	}
	s, err := bridge.String(args, 1)
	if err != nil {
		return nil, err
	}
	k, err := parseKey(s)
	if err != nil {
		return nil, bridge.Invalid(errors.New("the backup key is malformed"))
	}
	defer k.Clear()
	b, err := backup.ReadWithKey(data, k)
	if err != nil {
		return nil, err
	}
	return readResult(b)
}

// backupFileArg reads a backup file's text, refusing what is not one (a cheap look at its
// first KiB) and what is too large, each with its own code.
func backupFileArg(args []safejs.Value, i int) ([]byte, error) {
	text, err := bridge.String(args, i)
	if err != nil {
		return nil, err
	}
	data := []byte(text)
	// Detect reads the first KiB only, so a huge file costs nothing more here; one that
	// starts like a backup is called too large, not something else.
	if !backup.Detect(data) {
		return nil, bridge.Coded(codeNotBackup, errors.New("this is not a Codeward backup file"))
	}
	if len(data) > backup.MaxSize {
		return nil, bridge.Coded(codeTooLarge, fmt.Errorf("this backup file is too large (%.1f MiB; the limit is %d MiB)", float64(len(data))/(1<<20), backup.MaxSize>>20))
	}
	return data, nil
}

func readResult(b *backup.Backup) (any, error) {
	good := []vault.Account{}
	problems := []any{}
	for i, a := range b.Accounts {
		if err := a.Validate(); err != nil {
			problems = append(problems, map[string]any{"index": i + 1, "label": bridge.Label(a), "message": err.Error(), "code": bridge.ErrorCode(err)})
			continue
		}
		good = append(good, a)
	}
	accounts, err := bridge.AccountsJSON(good)
	if err != nil {
		return nil, err
	}
	return map[string]any{"created": b.Created.UTC().Format(time.RFC3339), "accounts": accounts, "problems": problems}, nil
}

// backupMerge(currentJSON, incomingJSON, mode) → {accounts: JSON, added: [ids], skipped,
// updated: [ids]}; mode is "merge" or "replace" (see internal/restore).
func backupMerge(args []safejs.Value) (any, error) {
	current, err := bridge.Accounts(args, 0)
	if err != nil {
		return nil, err
	}
	incoming, err := bridge.Accounts(args, 1)
	if err != nil {
		return nil, err
	}
	mode, err := bridge.String(args, 2)
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
		return nil, bridge.BadArg(2, `"merge" or "replace"`)
	}
	if err := (&vault.Vault{Accounts: r.Accounts}).Validate(); err != nil {
		return nil, bridge.Invalid(err)
	}
	accounts, err := bridge.AccountsJSON(nonNil(r.Accounts))
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"accounts": accounts,
		"added":    bridge.List(r.Added),
		"skipped":  r.Skipped,
		"updated":  bridge.List(r.Updated),
	}, nil
}

// importCheck(currentJSON, incomingJSON) → {accounts: JSON, added, skipped}: what the
// background checks before it holds an import's accounts. incoming may hold at most
// restore.MaxImport accounts (too_large beyond), each valid as the vault will check it, and
// merged into current they must make a valid vault. accounts is incoming as the core reads
// and re-encodes it, which is what the background holds: text a page sent that decodes
// differently (a lone surrogate turns into U+FFFD here) is never held as sent.
func importCheck(args []safejs.Value) (any, error) {
	current, err := bridge.Accounts(args, 0)
	if err != nil {
		return nil, err
	}
	incoming, err := bridge.Accounts(args, 1)
	if err != nil {
		return nil, err
	}
	if err := restore.CheckImport(len(incoming)); err != nil {
		return nil, bridge.Coded(codeTooLarge, err)
	}
	r := restore.Merge(current, incoming, nil)
	if err := (&vault.Vault{Accounts: r.Accounts}).Validate(); err != nil {
		return nil, bridge.Invalid(err)
	}
	accounts, err := bridge.AccountsJSON(nonNil(incoming))
	if err != nil {
		return nil, err
	}
	return map[string]any{"accounts": accounts, "added": len(r.Added), "skipped": r.Skipped}, nil
}

// passwordSuggest() → a new backup password suggestion
func passwordSuggest([]safejs.Value) (any, error) {
	return passgen.Generate(nil)
}

// passwordJudge(password) → {bits, verdict, hint, reason}; reason: empty, common, short,
// guessable (all weak), fair or strong (see passgen.Reason).
func passwordJudge(args []safejs.Value) (any, error) {
	pw, err := bridge.String(args, 0)
	if err != nil {
		return nil, err
	}
	e := passgen.Judge(pw)
	return map[string]any{"bits": e.Bits, "verdict": string(e.Verdict), "hint": e.Hint, "reason": string(e.Reason)}, nil
}

func nonNil(a []vault.Account) []vault.Account {
	if a == nil {
		return []vault.Account{}
	}
	return a
}
