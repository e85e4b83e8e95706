//go:build js && wasm

package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/restore"
	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
)

const bkPassword = "tv7k-m3qd-x9wr-h2pa-c8ne"

// smallBackup writes a backup with a cheap KDF, as the restore side sees any file.
func smallBackup(t *testing.T, accountsJSON string) string {
	t.Helper()
	var accounts []vault.Account
	if err := json.Unmarshal([]byte(accountsJSON), &accounts); err != nil {
		t.Fatal(err)
	}
	data, err := backup.Write(accounts, []byte(bkPassword), backup.Options{KDF: vault.KDFParams{Memory: 8 * 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The extension's backups use the default Argon2id parameters (one run here: a default
// derivation takes seconds under Node); reading is tested on a cheap file.
func TestBackupWriteUsesDefaultKDF(t *testing.T) {
	w := invoke(t, "backupWrite", "["+rfcAccount+"]", bkPassword)
	if !w.OK {
		t.Fatalf("backupWrite: %s %s", w.Code, w.Msg)
	}
	file := str(t, w.Value)
	if !backup.Detect([]byte(file)) || strings.Contains(file, "GEZDGNBVGY3TQOJQ") || strings.Contains(file, `"rfc"`) {
		t.Fatal("the written file is not an opaque Codeward backup")
	}
	var env struct {
		KDF struct {
			Name                  string
			Memory, Time, Threads uint32
		}
	}
	if err := json.Unmarshal([]byte(file), &env); err != nil {
		t.Fatal(err)
	}
	d := vault.DefaultKDF
	if env.KDF.Name != "argon2id" || env.KDF.Memory != d.Memory || env.KDF.Time != d.Time || env.KDF.Threads != uint32(d.Threads) {
		t.Fatalf("kdf %+v, want argon2id %+v", env.KDF, d)
	}
}

func TestBackupRead(t *testing.T) {
	r := invoke(t, "backupRead", smallBackup(t, "["+rfcAccount+"]"), bkPassword)
	if !r.OK {
		t.Fatalf("backupRead: %s %s", r.Code, r.Msg)
	}
	if got := str(t, field(t, r.Value, "accounts")); !strings.Contains(got, `"id":"rfc"`) || !strings.Contains(got, "GEZDGNBVGY3TQOJQ") {
		t.Fatalf("accounts read back: %s", got)
	}
	if created := str(t, field(t, r.Value, "created")); !regexp.MustCompile(`^\d{4}-\d\d-\d\dT`).MatchString(created) {
		t.Fatalf("created %q", created)
	}
	if n, _ := field(t, r.Value, "problems").Length(); n != 0 {
		t.Fatalf("%d problems", n)
	}
}

func TestBackupBridgeErrors(t *testing.T) {
	file := smallBackup(t, "["+rfcAccount+"]")
	damaged := []byte(file)
	i := strings.Index(file, `"ciphertext": "`) + len(`"ciphertext": "`) + 10
	damaged[i] ^= 'A' ^ 'B'
	tests := []struct {
		name, fn string
		args     []any
		code     string
	}{
		{"weak password refused", "backupWrite", []any{"[]", "password123"}, bridge.CodeInvalid},
		{"empty password", "backupWrite", []any{"[]", ""}, bridge.CodeInvalid},
		{"invalid account", "backupWrite", []any{`[{"id":""}]`, bkPassword}, bridge.CodeInvalid},
		{"wrong password", "backupRead", []any{file, "not the password"}, bridge.CodeWrongPassword},
		{"damaged", "backupRead", []any{string(damaged), bkPassword}, bridge.CodeCorrupt},
		{"truncated", "backupRead", []any{file[:len(file)/2], bkPassword}, bridge.CodeCorrupt},
		{"another kind of file", "backupRead", []any{`{"db":{"entries":[]}}`, bkPassword}, codeNotBackup},
		{"not JSON at all", "backupRead", []any{"\x89PNG\r\n", bkPassword}, codeNotBackup},
		// A backup-shaped file of 50 MiB is too large, not something else.
		{"50 MiB backup", "backupRead", []any{file[:len(file)-3] + strings.Repeat("A", 50<<20) + "\"\n}\n", bkPassword}, codeTooLarge},
		{"unknown merge mode", "backupMerge", []any{"[]", "[]", "append"}, bridge.CodeBadArgument},
		{"merge of invalid accounts", "backupMerge", []any{`[{"id":"x"}]`, "[]", "merge"}, bridge.CodeInvalidSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := invoke(t, tt.fn, tt.args...)
			if r.OK || r.Code != tt.code {
				t.Fatalf("got ok=%v code=%q (%s), want %q", r.OK, r.Code, r.Msg, tt.code)
			}
			if strings.Contains(r.Msg, bkPassword) || strings.Contains(r.Msg, "GEZDGNBVGY3TQOJQ") {
				t.Fatal("the error message carries a password or a secret")
			}
			if tt.code == codeTooLarge && !strings.Contains(r.Msg, "too large (50.0 MiB; the limit is 16 MiB)") {
				t.Errorf("message %q does not give the size and the limit", r.Msg)
			}
		})
	}
}

func TestBackupMerge(t *testing.T) {
	renamed := strings.NewReplacer(`"id":"rfc"`, `"id":"rfc2"`, `"name":"rfc"`, `"name":"rfc-work"`).Replace(rfcAccount)
	r := invoke(t, "backupMerge", "["+rfcAccount+"]", "["+rfcAccount+","+renamed+"]", "merge")
	if !r.OK {
		t.Fatalf("backupMerge: %s %s", r.Code, r.Msg)
	}
	var merged []vault.Account
	if err := json.Unmarshal([]byte(str(t, field(t, r.Value, "accounts"))), &merged); err != nil {
		t.Fatal(err)
	}
	skipped, _ := field(t, r.Value, "skipped").Int()
	added, _ := field(t, r.Value, "added").Length()
	if len(merged) != 2 || skipped != 1 || added != 1 || merged[1].Name != "rfc-work" {
		t.Fatalf("merged %d accounts, skipped %d, added %d", len(merged), skipped, added)
	}
	r = invoke(t, "backupMerge", "["+rfcAccount+"]", "["+renamed+"]", "replace")
	if !r.OK || !strings.Contains(str(t, field(t, r.Value, "accounts")), `"rfc-work"`) || strings.Contains(str(t, field(t, r.Value, "accounts")), `"name":"rfc"`) {
		t.Fatalf("replace: %+v", r)
	}
}

func TestPasswordSuggestAndJudge(t *testing.T) {
	r := invoke(t, "passwordSuggest")
	if !r.OK || !regexp.MustCompile(`^[a-z2-9]{4}(-[a-z2-9]{4}){4}$`).MatchString(str(t, r.Value)) {
		t.Fatalf("passwordSuggest: %+v", r)
	}
	for pw, want := range map[string]string{str(t, r.Value): "strong", "password123": "weak"} {
		j := invoke(t, "passwordJudge", pw)
		if !j.OK || str(t, field(t, j.Value, "verdict")) != want || str(t, field(t, j.Value, "hint")) == "" || str(t, field(t, j.Value, "reason")) == "" {
			t.Fatalf("passwordJudge: %+v, want %s", j, want)
		}
	}
	if r := invoke(t, "passwordJudge", 42); r.OK || r.Code != bridge.CodeBadArgument {
		t.Fatalf("a number judged: %+v", r)
	}
}

// The restore page's worker derives the key (backupKeyFor); the background then opens the
// file with it (backupReadKeyed) and reads what backupRead reads, with no KDF.
func TestBackupKeyForAndReadKeyed(t *testing.T) {
	file := smallBackup(t, "["+rfcAccount+"]")
	k := invoke(t, "backupKeyFor", file, bkPassword)
	if !k.OK {
		t.Fatalf("backupKeyFor: %s %s", k.Code, k.Msg)
	}
	key := str(t, k.Value)
	r := invoke(t, "backupReadKeyed", file, key)
	if !r.OK || !strings.Contains(str(t, field(t, r.Value, "accounts")), `"id":"rfc"`) {
		t.Fatalf("backupReadKeyed: %+v", r)
	}
	if r := invoke(t, "backupKeyFor", file, "not the password"); r.OK || r.Code != bridge.CodeWrongPassword {
		t.Fatalf("backupKeyFor with a wrong password: %+v", r)
	}
	other := smallBackup(t, "[]")
	if r := invoke(t, "backupReadKeyed", other, key); r.OK || r.Code != bridge.CodeWrongPassword {
		t.Fatalf("another file with this key: %+v", r)
	}
	for _, bad := range []string{"{}", "not json", ""} {
		if r := invoke(t, "backupReadKeyed", file, bad); r.OK || r.Code != bridge.CodeInvalid || strings.Contains(r.Msg, "argument") {
			t.Fatalf("malformed key %q: %+v", bad, r)
		}
	}
	costly := regexp.MustCompile(`"memory": \d+`).ReplaceAllString(file, `"memory": 1048576`)
	if r := invoke(t, "backupKeyFor", costly, bkPassword); r.OK || r.Code != bridge.CodeKDFParams || !strings.Contains(r.Msg, "1 GiB of memory") {
		t.Fatalf("a file asking for 1 GiB: %+v", r)
	}
}

func TestImportCheck(t *testing.T) {
	renamed := strings.NewReplacer(`"id":"rfc"`, `"id":"rfc2"`, `"name":"rfc"`, `"name":"rfc-work"`).Replace(rfcAccount)
	r := invoke(t, "importCheck", "["+rfcAccount+"]", "["+rfcAccount+","+renamed+"]")
	if !r.OK {
		t.Fatalf("importCheck: %s %s", r.Code, r.Msg)
	}
	skipped, _ := field(t, r.Value, "skipped").Int()
	added, _ := field(t, r.Value, "added").Int()
	held := str(t, field(t, r.Value, "accounts"))
	// The whole incoming list (a lone surrogate a page sent would be U+FFFD here: the
	// browser test TestImportHoldChecksWhatPagesRead sends one).
	if skipped != 1 || added != 1 || !strings.Contains(held, `"rfc-work"`) || strings.Count(held, `"id":`) != 2 {
		t.Fatalf("skipped %d, added %d, accounts %s", skipped, added, held)
	}
	many := "[" + strings.TrimSuffix(strings.Repeat(rfcAccount+",", restore.MaxImport+1), ",") + "]"
	if r := invoke(t, "importCheck", "[]", many); r.OK || r.Code != codeTooLarge || !strings.Contains(r.Msg, "20000") {
		t.Fatalf("%d accounts: ok=%v %s %s", restore.MaxImport+1, r.OK, r.Code, r.Msg)
	}
}
