package e2e

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeward.dev/internal/formats/andotp"
)

// andOTPEncrypted writes plain (andOTP's JSON list) as an encrypted andOTP backup
// (.json.aes: iterations ‖ salt ‖ IV ‖ AES-256-GCM of PBKDF2-HMAC-SHA1), outside the
// product's code.
func andOTPEncrypted(t *testing.T, password, plain string, iterations uint32) string {
	t.Helper()
	salt, iv := make([]byte, 12), make([]byte, 12)
	rand.Read(salt)
	rand.Read(iv)
	key, err := pbkdf2.Key(sha1.New, password, salt, int(iterations), 32)
	if err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	data := binary.BigEndian.AppendUint32(nil, iterations)
	data = append(append(data, salt...), iv...)
	data = gcm.Seal(data, iv, []byte(plain), nil)
	path := filepath.Join(t.TempDir(), "otp_accounts.json.aes")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportKDFOffTheBackground opens an encrypted andOTP backup at the largest PBKDF2
// iteration count Codeward accepts (seconds of work) on the import page, and while the page
// is opening it, a person imports pasted text from another page and the popup asks for the
// vault's state. Those other messages must be answered while the file is still being opened:
// the importer's KDF runs in a worker of the import page, not in the background. (When the
// background derived the key itself, every message sent meanwhile waited for it, and the
// encrypted file's preview was ready before the other import's.)
func TestImportKDFOffTheBackground(t *testing.T) {
	const filePassword = "andotp file password 41"
	const secret = "KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF"
	plain := `[{"secret":"` + secret + `","issuer":"Lanternfield","label":"kim@example.org","digits":6,"type":"TOTP","algorithm":"SHA1","period":30}]`
	path := andOTPEncrypted(t, filePassword, plain, andotp.MaxIterations)

	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	pg := openImportPage(t, b, p, NameImport, "#import")
	other := b.OpenPopup()
	other.WaitState(StateUnlocked)
	// The background loads its tools (build/codeward-tools.wasm) on first use; done here, so
	// that the pasted import timed below does not also wait for their first compile, which
	// on a starved CPU could outlast the file's KDF and fail this test for nothing.
	if formats := Eval[struct{ OK bool }](other.Page, `chrome.runtime.sendMessage({kind: "import.formats", payload: {}})`); !formats.OK {
		t.Fatal("import.formats failed")
	}

	// The file first asks for its password (no KDF runs for that).
	setFile(t, pg, NameImportFile, path)
	if alert := pg.WaitAlert(); !strings.Contains(alert, "encrypted") {
		t.Fatalf("an encrypted andOTP file without its password: alert %q", alert)
	}
	pg.Fill("textbox", NameFilePassword, filePassword)
	start := time.Now()
	pg.Click("button", NamePreview)
	pg.WaitText("Opening the encrypted file")

	// Meanwhile, from the popup: its state, and an import of pasted text (a read, a sealed
	// hold and a merge count in the background: as much work as the encrypted file's preview
	// takes there once its key is known).
	probe := Eval[struct {
		State     string
		Read      struct{ Count int }
		StateMS   float64
		ReadMS    float64
		ReadError *struct{ Code, Message string }
	}](other.Page, `(async () => {
		let t = performance.now();
		const state = await chrome.runtime.sendMessage({kind: "vault.state", payload: {}});
		const stateMS = performance.now() - t;
		t = performance.now();
		const read = await chrome.runtime.sendMessage({kind: "import.read", payload: {data: `+mustJSON(base64.StdEncoding.EncodeToString([]byte("otpauth://totp/Probe:pat@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Probe\n")))+`}});
		return {state: state.value && state.value.state, read: read.value || {}, readError: read.error || null,
			stateMS, readMS: performance.now() - t};
	})()`)
	// The ordering: both answers came while the file was still being opened.
	stillOpening := strings.Contains(pg.Text(), "Opening the encrypted file")
	previewShown := len(pg.Query("list", "Accounts to import")) > 0
	if probe.State != "unlocked" || probe.ReadError != nil || probe.Read.Count != 1 {
		t.Errorf("the popup's messages during the import: %+v", probe)
	}
	t.Logf("during the encrypted import, vault.state waited %.0f ms and a pasted import %.0f ms", probe.StateMS, probe.ReadMS)
	if previewShown || !stillOpening {
		// (The pasted import, held after the file's, has also replaced its preview: stop here.)
		t.Fatal("the background answered the other page only after the encrypted file was opened: the importer's KDF blocked it")
	}

	// The costly file does open, and its account imports with working codes.
	items := previewItems(t, pg, 1)
	opened := time.Since(start)
	if !strings.Contains(items[0], "Lanternfield") || !strings.Contains(pg.Text(), "andOTP") || !strings.Contains(pg.Text(), "decrypted") {
		t.Errorf("preview of the andOTP file: %q\n%s", items, pg.Text())
	}
	pg.Click("button", NameImport)
	pg.WaitText("Imported 1 account.")
	p = b.OpenPopup()
	p.WaitState(StateUnlocked)
	requireCode(t, p, secret, TOTPOpts{}, "Lanternfield", "kim@example.org")
	t.Logf("opening an andOTP file at %d PBKDF2 iterations took %v (worker start, PBKDF2, hold in the background)", andotp.MaxIterations, opened.Round(10*time.Millisecond))
}

// TestImportHoldChecksWhatPagesRead hands the background files "read" by a page's worker
// (import.hold) that the vault must not take: each is refused with a plain error that shows
// no secret, and nothing is held; a good one is held and imports. Then the fallback for pages
// that cannot start a worker — the background reading an encrypted file itself — still
// works.
func TestImportHoldChecksWhatPagesRead(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	pg := openImportPage(t, b, p, NameImport, "#import")

	type reply struct {
		OK    bool
		Value struct {
			Token      string
			Count      int
			Fresh      int
			Duplicates int
			Added      int
		}
		Error *struct{ Code, Message string }
	}
	do := func(kind string, payload any) reply {
		t.Helper()
		return Eval[reply](pg, `chrome.runtime.sendMessage({kind: `+mustJSON(kind)+`, payload: `+mustJSON(payload)+`})`)
	}
	account := func(edit func(map[string]any)) map[string]any {
		a := map[string]any{"id": "5f0c1e2d3c4b5a69788796a5b4c3d2e1", "type": "totp", "issuer": "Heldfast", "name": "lee@example.org",
			"secret": secret, "algorithm": "SHA1", "digits": 6, "period": 30, "order": 0,
			"created": "2026-12-01T10:00:00Z", "updated": "2026-12-01T10:00:00Z"}
		if edit != nil {
			edit(a)
		}
		return a
	}
	read := func(accounts any, edit func(map[string]any)) map[string]any {
		r := map[string]any{"format": "aegis", "description": "Aegis vault", "encrypted": true,
			"accounts": mustJSON(accounts), "problems": []any{}, "warnings": []any{}}
		if edit != nil {
			edit(r)
		}
		return map[string]any{"read": r}
	}

	for _, tc := range []struct {
		name    string
		payload map[string]any
	}{
		{"an issuer longer than the vault allows", read([]any{account(func(a map[string]any) { a["issuer"] = strings.Repeat("I", 201) })}, nil)},
		{"a secret that is not canonical base32", read([]any{account(func(a map[string]any) { a["secret"] = strings.ToLower(secret) })}, nil)},
		{"a field accounts do not have", read([]any{account(func(a map[string]any) { a["password"] = "x" })}, nil)},
		{"a time-based account with a counter", read([]any{account(func(a map[string]any) { a["counter"] = 7 })}, nil)},
		{"accounts that are not a list", read(account(nil), nil)},
		{"no format", read([]any{account(nil)}, func(r map[string]any) { delete(r, "format") })},
		{"problems that are not entries", read([]any{account(nil)}, func(r map[string]any) { r["problems"] = []any{"x"} })},
		// Problems and warnings are shown to the person: bounded in number and length.
		{"more warnings than a preview lists", read([]any{account(nil)}, func(r map[string]any) {
			w := make([]any, 1001)
			for i := range w {
				w[i] = "a warning"
			}
			r["warnings"] = w
		})},
		{"more problems than a preview lists", read([]any{account(nil)}, func(r map[string]any) {
			ps := make([]any, 1001)
			for i := range ps {
				ps[i] = map[string]any{"index": i + 1, "label": "x", "message": "unreadable"}
			}
			r["problems"] = ps
		})},
		{"a warning longer than a line", read([]any{account(nil)}, func(r map[string]any) { r["warnings"] = []any{strings.Repeat("w", 501)} })},
		{"a problem label longer than a line", read([]any{account(nil)}, func(r map[string]any) {
			r["problems"] = []any{map[string]any{"index": 1, "label": strings.Repeat("l", 501), "message": "unreadable"}}
		})},
		{"no read at all", map[string]any{}},
	} {
		got := do("import.hold", tc.payload)
		if got.OK || got.Error == nil || got.Error.Code != "invalid" {
			t.Errorf("%s: reply %+v, want the invalid error", tc.name, got)
			continue
		}
		if strings.Contains(strings.ToUpper(got.Error.Message), secret) {
			t.Errorf("%s: the error shows the secret: %q", tc.name, got.Error.Message)
		}
		if pending := Eval[json.RawMessage](pg, `chrome.runtime.sendMessage({kind: "import.pending", payload: {}}).then((r) => r.value)`); string(pending) != "null" {
			t.Errorf("%s: something was held: %.300s", tc.name, pending)
		}
	}

	// More accounts than one import takes: too_large, naming the limit; nothing held.
	many := make([]any, 20_001)
	for i := range many {
		many[i] = account(func(a map[string]any) { a["id"] = fmt.Sprintf("%032x", i); a["name"] = fmt.Sprintf("user%d", i) })
	}
	if got := do("import.hold", read(many, nil)); got.OK || got.Error == nil || got.Error.Code != "too_large" || !strings.Contains(got.Error.Message, "20000") {
		t.Errorf("20,001 accounts: reply %+v, want too_large naming the limit", got)
	}
	if pending := Eval[json.RawMessage](pg, `chrome.runtime.sendMessage({kind: "import.pending", payload: {}}).then((r) => r.value)`); string(pending) != "null" {
		t.Errorf("20,001 accounts: something was held: %.300s", pending)
	}

	// A name with a lone surrogate (JavaScript strings may hold one; JSON.stringify escapes
	// it and the core refuses the escape): held as the core reads it (U+FFFD), so the apply
	// that follows works on the same accounts the preview counted.
	lonely := read([]any{account(func(a map[string]any) { a["name"] = "lone LONE"; a["id"] = "6f0c1e2d3c4b5a69788796a5b4c3d2e1" })}, nil)["read"]
	lone := Eval[reply](pg, `(() => {
		const r = `+mustJSON(lonely)+`;
		r.accounts = r.accounts.replace("LONE", "\ud800");
		return chrome.runtime.sendMessage({kind: "import.hold", payload: {read: r}});
	})()`)
	if !lone.OK || lone.Value.Count != 1 {
		t.Fatalf("a name with a lone surrogate: hold %+v", lone)
	}
	if applied := do("import.apply", map[string]any{"token": lone.Value.Token}); !applied.OK || applied.Value.Added != 1 {
		t.Fatalf("a name with a lone surrogate: held, then import.apply %+v", applied)
	}

	// A good read: held, previewed, imported; its codes are the account's.
	held := do("import.hold", read([]any{account(nil)}, nil))
	if !held.OK || held.Value.Count != 1 || held.Value.Fresh != 1 {
		t.Fatalf("a good read: %+v", held)
	}
	if applied := do("import.apply", map[string]any{"token": held.Value.Token}); !applied.OK || applied.Value.Added != 1 {
		t.Fatalf("import.apply: %+v", applied)
	}

	// Where no worker runs, the page asks the background to read the encrypted file itself
	// (bounded as before): the same andOTP file, whose account is now a duplicate.
	plain := `[{"secret":"` + secret + `","issuer":"Heldfast","label":"lee@example.org","digits":6,"type":"TOTP","algorithm":"SHA1","period":30}]`
	data, err := os.ReadFile(andOTPEncrypted(t, "fallback file password", plain, 10_000))
	if err != nil {
		t.Fatal(err)
	}
	fallback := do("import.read", map[string]any{"data": base64.StdEncoding.EncodeToString(data), "format": "auto", "password": "fallback file password"})
	if !fallback.OK || fallback.Value.Count != 1 || fallback.Value.Duplicates != 1 {
		t.Fatalf("the background's own read of an encrypted file: %+v", fallback)
	}
	p = b.OpenPopup()
	p.WaitState(StateUnlocked)
	requireCode(t, p, secret, TOTPOpts{}, "Heldfast", "lee@example.org")
}
