package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/vault"
)

// The issue 4 acceptance tests: backups made and restored through the backup page, found
// from the popup by role and accessible name, with the file checked from outside (on disk,
// and opened by the codeward command).

const (
	BackupPage = "extension/backup/backup.html"

	NameMenu              = "Menu"
	NameBackUp            = "Back up"
	NameRestore           = "Restore"
	NameRestoreFromBackup = "Restore from backup"
	NameBackupPassword    = "Backup password"
	NameConfirmBackup     = "Confirm backup password"
	NameGenerate          = "Generate"
	NameCopy              = "Copy"
	NameCreateBackup      = "Create backup"
	NameAskWhere          = "Ask where to save each backup"
	NameBackupFile        = "Backup file"

	bkMaster   = "plover quartz 7 lantern"
	bkPassword = "tv7k-m3qd-x9wr-h2pa-c8ne" // the shape Generate suggests
)

type bkAccount struct{ Secret, Issuer, Name string }

// The accounts the backup tests put in a vault: names and issuers that appear nowhere in
// the product, so finding them in a file means the file leaks them.
var bkAccounts = []bkAccount{
	{"KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU", "Quillfeather Bank", "carol.backup@example.net"},
	{"MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U", "Marrowgate Mail", "dave.restore@example.org"},
}

// backupName is the name chrome.downloads gives a backup (uniquified when it exists).
var backupName = regexp.MustCompile(`^codeward-backup-(\d{4}-\d{2}-\d{2})( \(\d+\))?\.json$`)

// openFromPopup clicks control (after opening the Menu when asked) in the popup, checks that
// it opened the backup page in a new tab, and returns that page opened by the test (the
// harness drives tabs it opened itself).
func openFromPopup(t *testing.T, b *Browser, p *Popup, viaMenu bool, control, hash string) *Page {
	t.Helper()
	if viaMenu {
		p.Click("button", NameMenu)
	}
	p.Click("button", control)
	want := b.URL(BackupPage) + hash
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		opened := false
		for _, in := range b.Targets() {
			opened = opened || (in.Type == "page" && in.URL == want)
		}
		if opened {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q did not open %s", control, want)
		}
	}
	// Only the toolbar popup closes itself after opening a page; the popup opened as a
	// tab, as here, must stay.
	time.Sleep(200 * time.Millisecond)
	stayed := false
	for _, in := range b.Targets() {
		stayed = stayed || (in.Type == "page" && in.URL == b.URL(PopupPath))
	}
	if !stayed {
		t.Errorf("opening %q closed the popup's tab", control)
	}
	return b.OpenExtensionPage(BackupPage + hash)
}

// badge is the toolbar badge text, read from an extension page.
func badge(p *Page) string {
	return Eval[string](p, `chrome.action.getBadgeText({})`)
}

func checked(n *Node) bool {
	var on bool
	_ = json.Unmarshal(n.Call(`function() { return this.checked; }`), &on)
	return on
}

// files lists the files in the download directory, leaving out Chromium's own temporary
// files (".org.chromium.Chromium.*", "*.crdownload"), which a cancelled download can leave
// behind for a moment on a busy machine and which no person sees as a saved file.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".org.chromium.") || strings.HasSuffix(e.Name(), ".crdownload") {
			continue
		}
		out = append(out, e.Name())
	}
	return out
}

// fillBackupForm fills the three passwords of the backup form.
func fillBackupForm(p *Page, master, pw, confirm string) {
	p.Fill("textbox", NameMasterPassword, master)
	p.Fill("textbox", NameBackupPassword, pw)
	p.Fill("textbox", NameConfirmBackup, confirm)
}

// makeBackup creates a backup through the page with the save dialog turned off and returns
// the path of the file the page reports.
func makeBackup(t *testing.T, b *Browser, p *Page, pw string) string {
	t.Helper()
	before := len(files(t, b.DownloadDir))
	if ask := p.Find("checkbox", NameAskWhere); checked(ask) {
		// Headless Chromium cancels every download that would ask where to save.
		ask.Click()
	}
	fillBackupForm(p, bkMaster, pw, pw)
	p.Click("button", NameCreateBackup)
	p.WaitText("still only on this computer")
	text := p.Text()
	for _, want := range []string{"drive.google.com", "New → File upload", "Drive for desktop", "Dropbox", "e-mail"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the backup the page does not mention %q:\n%s", want, text)
		}
	}
	got := files(t, b.DownloadDir)
	if len(got) != before+1 {
		t.Fatalf("download directory holds %v, want one new file", got)
	}
	var name string
	for _, f := range got {
		if m := backupName.FindStringSubmatch(f); m != nil && strings.Contains(text, filepath.Join(b.DownloadDir, f)) {
			name = f
			day := m[1]
			if day != time.Now().Format("2006-01-02") && day != time.Now().Add(-time.Hour).Format("2006-01-02") {
				t.Errorf("backup named %s, want today's date", f)
			}
		}
	}
	if name == "" {
		t.Fatalf("no codeward-backup-YYYY-MM-DD.json whose path the page shows; directory %v; page:\n%s", got, text)
	}
	return filepath.Join(b.DownloadDir, name)
}

// setFile puts path into the file input named name, as choosing it in the file dialog does.
// Accessibility.queryAXTree does not return file inputs in this Chromium, so the input is
// checked in the full accessibility tree and then reached through its label.
func setFile(t *testing.T, p *Page, name, path string) {
	t.Helper()
	for deadline := time.Now().Add(Timeout); !strings.Contains(p.AXTree(), "button "+mustJSON(name)); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no file input named %q; accessibility tree:\n%s", name, p.AXTree())
		}
	}
	p.call("set file of "+name, func(ctx context.Context) error {
		res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: `[...document.querySelectorAll("input[type=file]")]
			.filter((i) => !i.closest("[hidden]") && [...i.labels].some((l) => l.textContent.trim() === ` + mustJSON(name) + `))
			.reduce((_, i, n) => { if (n) throw new Error("two file inputs with one name"); return i; }, undefined)`})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil || res.Result.ObjectID == "" {
			return fmt.Errorf("no visible file input labelled %q", name)
		}
		_, err = chromedp.Call(ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{path}, ObjectID: res.Result.ObjectID})
		return err
	})
}

// openRestore opens a backup file in the restore view and waits for the preview or an alert.
func openRestore(t *testing.T, p *Page, path, pw string) {
	t.Helper()
	setFile(t, p, NameBackupFile, path)
	p.Fill("textbox", NameBackupPassword, pw)
	p.Click("button", NameRestore)
}

// vaultRecord is the sealed vault as stored, to prove that a failed restore wrote nothing.
func vaultRecord(b *Browser) string {
	s := b.Storage("local")
	return string(s["vault"]) + "|" + string(s["vault.prev"])
}

// send sends a page-tier message from an extension page and returns the reply's value.
func send[T any](t *testing.T, p *Page, kind string, payload any) T {
	t.Helper()
	var reply struct {
		OK    bool
		Value T
		Error *struct{ Code, Message string }
	}
	raw := Eval[json.RawMessage](p, `chrome.runtime.sendMessage({kind: `+mustJSON(kind)+`, payload: `+mustJSON(payload)+`})`)
	if err := json.Unmarshal(raw, &reply); err != nil || !reply.OK {
		t.Fatalf("%s: reply %s (%v)", kind, raw, err)
	}
	return reply.Value
}

// accountNames is the vault's account list as "issuer/name", through the background.
func accountNames(t *testing.T, p *Page) []string {
	t.Helper()
	view := send[struct {
		Accounts []struct{ Issuer, Name string }
	}](t, p, "accounts.view", map[string]any{})
	var out []string
	for _, a := range view.Accounts {
		out = append(out, a.Issuer+"/"+a.Name)
	}
	return out
}

// writeBackup writes a backup file outside the browser with the Go core (small Argon2id
// cost: these files test the restore side, not the writer).
func writeBackup(t *testing.T, pw string, accounts ...bkAccount) string {
	t.Helper()
	var list []vault.Account
	for i, a := range accounts {
		list = append(list, vault.Account{
			ID: vault.NewID(nil), Type: "totp", Issuer: a.Issuer, Name: a.Name, Secret: a.Secret,
			Algorithm: "SHA1", Digits: 6, Period: 30, Order: i, Created: time.Now().UTC(), Updated: time.Now().UTC(),
		})
	}
	data, err := backup.Write(list, []byte(pw), backup.Options{KDF: vault.KDFParams{Memory: 8 * 1024, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "codeward-backup-test.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// seedVault creates an unlocked vault holding accounts through the first-run form and the
// add form of the popup.
func seedVault(t *testing.T, b *Browser, accounts ...bkAccount) *Popup {
	t.Helper()
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(bkMaster)
	for _, a := range accounts {
		p.AddAccountByHand(a.Secret, a.Issuer, a.Name)
	}
	return p
}

func TestBackupPasswordRules(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b, bkAccounts[0])
	bp := openFromPopup(t, b, p, true, NameBackUp, "")

	// Generate fills both fields with one easy-to-type suggestion and shows it.
	bp.Click("button", NameGenerate)
	var suggested string
	for deadline := time.Now().Add(Timeout); suggested == ""; time.Sleep(50 * time.Millisecond) {
		suggested = bp.Find("textbox", NameBackupPassword).Value()
		if time.Now().After(deadline) {
			t.Fatal("Generate filled nothing")
		}
	}
	if !regexp.MustCompile(`^[a-z2-9]{4}(-[a-z2-9]{4}){4}$`).MatchString(suggested) || strings.ContainsAny(suggested, "01lio") {
		t.Errorf("suggestion %q is not groups of easy-to-type characters", suggested)
	}
	if got := bp.Find("textbox", NameConfirmBackup).Value(); got != suggested {
		t.Errorf("Confirm backup password holds %q, want the suggestion", got)
	}
	bp.WaitText(suggested)
	bp.WaitText("password manager")
	bp.WaitText("Strength: strong")
	bp.Click("button", NameCopy)
	bp.WaitText("Copied")
	if clip := Eval[string](bp, `navigator.clipboard.readText()`); clip != suggested {
		t.Errorf("clipboard holds %q, want the suggestion", clip)
	}
	// A wrong master password is refused after a service worker restart too (nothing kept
	// in memory decides it). Nothing is talking to the worker now: Generate has answered.
	b.StopServiceWorker()
	fillBackupForm(bp, "not the master password", suggested, suggested)
	bp.Click("button", NameCreateBackup)
	if alert := bp.WaitAlert(); !strings.Contains(alert, "Wrong master password") {
		t.Errorf("after a worker restart: alert %q", alert)
	}

	bp.Click("button", NameGenerate)
	for deadline := time.Now().Add(Timeout); bp.Find("textbox", NameBackupPassword).Value() == suggested; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a second Generate gave the same password")
		}
	}

	ask := bp.Find("checkbox", NameAskWhere)
	if !checked(ask) {
		t.Error(`"Ask where to save each backup" is not ticked by default`)
	}
	ask.Click()

	for _, tt := range []struct{ name, master, pw, confirm, alert string }{
		{"wrong master password", "not the master password", bkPassword, bkPassword, "Wrong master password"},
		{"weak backup password", bkMaster, "password123", "password123", "too weak"},
		{"short backup password", bkMaster, "Xk9#tQ2!", "Xk9#tQ2!", "too weak"},
		{"passwords differ", bkMaster, bkPassword, bkPassword + "x", "differ"},
		{"no master password", "", bkPassword, bkPassword, "master password"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fillBackupForm(bp, tt.master, tt.pw, tt.confirm)
			bp.Click("button", NameCreateBackup)
			if alert := bp.WaitAlert(); !strings.Contains(alert, tt.alert) {
				t.Errorf("alert %q, want it to mention %q", alert, tt.alert)
			}
			if strings.Contains(bp.Text(), "Backup saved") {
				t.Error("the page claims a backup was saved")
			}
			if got := files(t, b.DownloadDir); len(got) != 0 {
				t.Fatalf("a file was made: %v", got)
			}
		})
	}
}

func TestBackupRoundTrip(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b, bkAccounts...)
	bp := openFromPopup(t, b, p, true, NameBackUp, "")
	path := makeBackup(t, b, bp, bkPassword)

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("nothing readable in the file", func(t *testing.T) {
		lower := strings.ToLower(string(data))
		for _, a := range bkAccounts {
			raw := mustSecret(t, a.Secret)
			// The secret in the encodings a careless writer might use, not only base32.
			forms := []string{base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw), hex.EncodeToString(raw)}
			for _, s := range append(forms, a.Secret, a.Issuer, a.Name, "Quillfeather", "Marrowgate", "carol", "dave") {
				if strings.Contains(lower, strings.ToLower(s)) {
					t.Errorf("the backup file contains %q", s)
				}
			}
		}
		if strings.Contains(lower, "otpauth") || strings.Contains(string(data), bkMaster) || strings.Contains(string(data), bkPassword) {
			t.Error("the backup file contains an otpauth URI or a password")
		}
		if !backup.Detect(data) {
			t.Error("the file is not recognised as a Codeward backup")
		}
	})

	t.Run("the codeward command lists exactly the accounts", func(t *testing.T) {
		cli := filepath.Join(RepoRoot(t), "bin", "codeward")
		if _, err := os.Stat(cli); err != nil {
			t.Fatalf("%v (run `make` first)", err)
		}
		pwFile := filepath.Join(t.TempDir(), "password")
		if err := os.WriteFile(pwFile, []byte(bkPassword+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(cli, "import", "--from", "codeward", "--password-file", pwFile, path)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("codeward import: %v\n%s", err, stderr.String())
		}
		var got, want []string
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
			k, err := otp.NewKeyFromURL(line)
			if err != nil {
				t.Fatalf("codeward import printed a line that is no otpauth URI: %v", err)
			}
			got = append(got, k.Issuer()+"|"+k.AccountName()+"|"+k.Secret())
		}
		for _, a := range bkAccounts {
			want = append(want, a.Issuer+"|"+a.Name+"|"+a.Secret)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("codeward import lists\n%v\nwant\n%v", got, want)
		}
	})

	t.Run("restore into a fresh profile shows the same codes", func(t *testing.T) {
		b2 := StartBrowser(t, BrowserOptions{})
		p2 := b2.OpenPopup()
		p2.WaitState(StateFirstRun)
		rp := openFromPopup(t, b2, p2, false, NameRestoreFromBackup, "#restore")
		openRestore(t, rp, path, bkPassword)
		rp.WaitText("it holds 2 accounts")
		for _, a := range bkAccounts {
			rp.WaitText(a.Issuer + " — " + a.Name)
		}
		rp.Fill("textbox", NameNewPassword, "a new master for this one")
		rp.Fill("textbox", NameConfirmPassword, "a new master for this one")
		rp.Click("button", "Create vault from backup")
		rp.WaitText("set up with the 2 accounts")
		p2 = b2.OpenPopup() // the first one may have closed itself when it opened the page
		p2.WaitState(StateUnlocked)
		for _, a := range bkAccounts {
			requireCode(t, p2, a.Secret, TOTPOpts{}, a.Issuer, a.Name)
		}
		if got := badge(p2.Page); got != "" {
			t.Errorf("a vault restored from a backup shows badge %q", got)
		}
	})
}

func TestBackupReminder(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b)
	reminder := regexp.MustCompile(`(\d+) accounts? changed since your last backup`)
	if m := reminder.FindString(p.Text()); m != "" || badge(p.Page) != "" {
		t.Fatalf("an empty new vault nags: %q, badge %q", m, badge(p.Page))
	}

	p.AddAccountByHand(bkAccounts[0].Secret, bkAccounts[0].Issuer, bkAccounts[0].Name)
	p.WaitText("1 account changed since your last backup")
	if got := badge(p.Page); got != "1" {
		t.Errorf("badge %q after one add, want 1", got)
	}
	p.AddAccountByHand(bkAccounts[1].Secret, bkAccounts[1].Issuer, bkAccounts[1].Name)
	p.WaitText("2 accounts changed since your last backup")
	if got := badge(p.Page); got != "2" {
		t.Errorf("badge %q after two adds, want 2", got)
	}

	// The badge is there while locked too.
	p.Lock()
	if got := badge(p.Page); got != "2" {
		t.Errorf("badge %q while locked, want 2", got)
	}
	p.Unlock(bkMaster)

	bp := openFromPopup(t, b, p, false, "Back up now", "")

	// With "Ask where to save each backup" ticked (the default), headless Chromium cancels
	// the download at once, as a person closing the save dialog does: the page must say so,
	// claim nothing, and keep the reminder.
	if !checked(bp.Find("checkbox", NameAskWhere)) {
		t.Fatal(`"Ask where to save each backup" is not ticked by default`)
	}
	fillBackupForm(bp, bkMaster, bkPassword, bkPassword)
	bp.Click("button", NameCreateBackup)
	if alert := bp.WaitAlert(); !strings.Contains(alert, "cancelled") || !strings.Contains(alert, "no backup file was saved") {
		t.Errorf("alert after a cancelled download: %q", alert)
	}
	if text := bp.Text(); strings.Contains(text, "Backup saved") || strings.Contains(text, "still only on this computer") {
		t.Errorf("the page claims success after a cancelled download:\n%s", text)
	}
	if got := files(t, b.DownloadDir); len(got) != 0 {
		t.Errorf("files after a cancelled download: %v", got)
	}
	if got := badge(bp); got != "2" {
		t.Errorf("badge %q after a cancelled download, want 2", got)
	}

	makeBackup(t, b, bp, bkPassword)
	p = b.OpenPopup()
	p.WaitState(StateUnlocked)
	if m := reminder.FindString(p.Text()); m != "" {
		t.Errorf("after a backup the popup still says %q", m)
	}
	if got := badge(p.Page); got != "" {
		t.Errorf("badge %q after a backup, want none", got)
	}
}

func TestRestoreRefusesBadFiles(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b, bkAccounts[0])
	rp := openFromPopup(t, b, p, true, NameRestore, "#restore")
	good := writeBackup(t, bkPassword, bkAccounts[1])
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	damaged := func(edit func([]byte) []byte) string {
		path := filepath.Join(t.TempDir(), "codeward-backup-damaged.json")
		if err := os.WriteFile(path, edit(bytes.Clone(data)), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	flip := func(b []byte) []byte { // one character in the middle of the ciphertext
		at := bytes.Index(b, []byte(`"ciphertext": "`))
		if at < 0 {
			t.Fatalf("no ciphertext in %s", b)
		}
		at += len(`"ciphertext": "`) + 20
		if b[at] == 'A' {
			b[at] = 'B'
		} else {
			b[at] = 'A'
		}
		return b
	}
	other := filepath.Join(t.TempDir(), "aegis.json")
	if err := os.WriteFile(other, []byte(`{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[]}}`), 0o644); err != nil {
		t.Fatal(err)
	}

	before := vaultRecord(b)
	for _, tt := range []struct{ name, path, pw, alert string }{
		{"wrong backup password", good, "not the backup password", "Wrong backup password"},
		{"damaged file", damaged(flip), bkPassword, "damaged"},
		{"truncated file", damaged(func(b []byte) []byte { return b[:len(b)*2/3] }), bkPassword, "Nothing was changed"},
		{"a file of another kind", other, bkPassword, "not a Codeward backup"},
		// The largest Argon2id cost the vault format allows: refused before it runs, saying
		// what the file asks for.
		{"a file asking for 1 GiB of Argon2id memory", damaged(func(b []byte) []byte {
			b = regexp.MustCompile(`"memory": \d+`).ReplaceAll(b, []byte(`"memory": 1048576`))
			b = regexp.MustCompile(`"time": \d+`).ReplaceAll(b, []byte(`"time": 10`))
			return regexp.MustCompile(`"threads": \d+`).ReplaceAll(b, []byte(`"threads": 16`))
		}), bkPassword, "1 GiB of memory, 10 passes and 16 lanes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			openRestore(t, rp, tt.path, tt.pw)
			if alert := rp.WaitAlert(); !strings.Contains(alert, tt.alert) {
				t.Errorf("alert %q, want it to mention %q", alert, tt.alert)
			}
			if len(rp.Query("button", "Merge")) > 0 {
				t.Error("a preview is offered")
			}
			if after := vaultRecord(b); after != before {
				t.Error("the stored vault changed")
			}
			if got := accountNames(t, rp); !slices.Equal(got, []string{bkAccounts[0].Issuer + "/" + bkAccounts[0].Name}) {
				t.Errorf("accounts now %v", got)
			}
		})
	}
	// The same page offers a preview for the intact file: the refusals above were the
	// files', not a page that never offers one.
	t.Run("the intact file is previewed", func(t *testing.T) {
		openRestore(t, rp, good, bkPassword)
		rp.Find("button", "Merge")
		if after := vaultRecord(b); after != before {
			t.Error("a preview changed the stored vault")
		}
	})
}

func TestRestoreMergeReplaceUndo(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b, bkAccounts...)
	rp := openFromPopup(t, b, p, true, NameRestore, "#restore")
	renamed := bkAccounts[1]
	renamed.Name = "dave.work@example.org" // same secret and issuer: only the name differs
	fresh := bkAccount{"ONSWG4TFORZW63THMVZXI33SMVZXI33S", "Tallowmere", "erin@example.com"}
	file := writeBackup(t, bkPassword, bkAccounts[0], renamed, fresh)

	openRestore(t, rp, file, bkPassword)
	rp.WaitText("it holds 3 accounts")
	rp.WaitText("would add 2 accounts and skip 1")
	rp.Click("button", "Merge")
	rp.WaitText("Added 2 accounts")
	want := []string{
		bkAccounts[0].Issuer + "/" + bkAccounts[0].Name, bkAccounts[1].Issuer + "/" + bkAccounts[1].Name,
		renamed.Issuer + "/" + renamed.Name, fresh.Issuer + "/" + fresh.Name,
	}
	if got := accountNames(t, rp); !slices.Equal(got, want) {
		t.Fatalf("after merge: %v, want %v", got, want)
	}
	p = b.OpenPopup()
	requireCode(t, p, fresh.Secret, TOTPOpts{}, fresh.Issuer, fresh.Name)
	p.WaitText("4 accounts changed since your last backup") // two added by hand, two merged

	// Replace asks first; cancelling changes nothing.
	only := writeBackup(t, bkPassword, fresh)
	openRestore(t, rp, only, bkPassword)
	rp.WaitText("it holds 1 account")
	rp.Click("button", "Replace")
	rp.Click("button", "Cancel")
	if got := accountNames(t, rp); len(got) != 4 {
		t.Fatalf("cancelled replace left %v", got)
	}
	rp.Click("button", "Replace")
	rp.WaitText("Replace all 4 accounts")
	rp.Click("button", "Yes, replace my accounts")
	rp.WaitText("Codeward now holds the 1 account from the backup")
	if got := accountNames(t, rp); !slices.Equal(got, []string{fresh.Issuer + "/" + fresh.Name}) {
		t.Fatalf("after replace: %v", got)
	}
	if got := badge(rp); got != "" {
		t.Errorf("badge %q after replacing with a backup, want none", got)
	}

	// Undo survives a service worker restart and a reload of the page.
	b.StopServiceWorker()
	rp.Reload()
	rp.Click("button", "Undo replace")
	rp.WaitText("Undone")
	if got := accountNames(t, rp); !slices.Equal(got, want) {
		t.Fatalf("after undo: %v, want %v", got, want)
	}
	if got := badge(rp); got != "4" {
		t.Errorf("badge %q after undo, want the 4 changes from before the replace", got)
	}
}
