package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// The behaviour of the full pages (backup & restore, import) that a keyboard or screen
// reader user depends on: focus follows what was chosen, an error sits by its field, a
// cancelled save is one press from a retry, and errors are in plain words.

// focusIn reports whether keyboard focus is inside the element with id (or on it).
func focusIn(p *Page, id string) bool {
	return Eval[bool](p, `!!document.activeElement && !!document.activeElement.closest(`+mustJSON("#"+id)+`)`)
}

// focusedName is the accessible label of the focused form field ("" for none).
func focusedName(p *Page) string {
	return Eval[string](p, `(() => { const el = document.activeElement; return el && el.labels && el.labels[0] ? el.labels[0].textContent.trim() : ""; })()`)
}

// errorBeside returns the alert the focused field names in its aria-describedby and that
// follows it in the page ("" when there is none): an error shown next to its field.
func errorBeside(p *Page) string {
	return Eval[string](p, `(() => {
		const el = document.activeElement;
		const ids = (el && el.getAttribute("aria-describedby") || "").split(/\s+/);
		for (const id of ids) {
			const a = id && document.getElementById(id);
			if (a && a.getAttribute("role") === "alert" && !a.hidden && (el.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)) return a.textContent.trim();
		}
		return "";
	})()`)
}

func TestPagesBackupAndRestore(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b, bkAccounts[0])
	bp := openFromPopup(t, b, p, true, NameBackUp, "")

	// An empty master password: the error is beside that field, which has focus.
	bp.Fill("textbox", NameBackupPassword, bkPassword)
	bp.Fill("textbox", NameConfirmBackup, bkPassword)
	bp.Click("button", NameCreateBackup)
	bp.WaitAlert()
	if got := focusedName(bp); got != NameMasterPassword {
		t.Errorf("after an empty master password focus is on %q", got)
	}
	if e := errorBeside(bp); !strings.Contains(e, "master password") {
		t.Errorf("error beside the master password field: %q", e)
	}

	// A weak backup password: beside the backup password field, with the reason.
	// (Each click waits for the strength hint: its arrival moves the button below it.)
	fillBackupForm(bp, bkMaster, "password123", "password123")
	bp.WaitText("Strength: too weak")
	bp.Click("button", NameCreateBackup)
	waitFor(t, "the weak-password error", func() bool { return focusedName(bp) == NameBackupPassword })
	if e := errorBeside(bp); !strings.Contains(e, "too weak") || !strings.Contains(e, "most common") {
		t.Errorf("error beside the backup password: %q", e)
	}

	// A cancelled save (headless Chromium cancels the save dialog at once) keeps the master
	// password, so that pressing Create backup again is all it takes.
	fillBackupForm(bp, bkMaster, bkPassword, bkPassword)
	bp.WaitText("Strength: strong")
	bp.Click("button", NameCreateBackup)
	waitFor(t, "the cancelled-save message", func() bool { return strings.Contains(bp.AlertText(), "cancelled") })
	if got := bp.Find("textbox", NameMasterPassword).Value(); got != bkMaster {
		t.Errorf("after a cancelled save the master password field holds %d characters, want it kept", len(got))
	}
	bp.Find("checkbox", NameAskWhere).Click() // save straight to the downloads folder
	bp.Click("button", NameCreateBackup)
	bp.WaitText("still only on this computer")
	if got := files(t, b.DownloadDir); len(got) != 1 {
		t.Fatalf("download directory after the retry: %v", got)
	}
	if got := bp.Find("textbox", NameMasterPassword).Value(); got != "" {
		t.Error("the master password stays in its field after the backup was saved")
	}

	// Restore: a wrong password is reported beside the password field.
	rp := b.OpenExtensionPage(BackupPage + "#restore")
	good := writeBackup(t, bkPassword, bkAccounts[1])
	openRestore(t, rp, good, "not the backup password")
	waitFor(t, "the wrong-password error", func() bool { return focusedName(rp) == NameBackupPassword })
	if e := errorBeside(rp); !strings.Contains(e, "Wrong backup password") {
		t.Errorf("error beside the backup password: %q", e)
	}

	// Choosing a file moves focus to its password; Restore opens the preview, which scrolls
	// into view and takes focus. (Another copy of the file: choosing the same one again is
	// no change.)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), "codeward-backup-again.json")
	if err := os.WriteFile(again, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rp.Find("textbox", NameBackupPassword).Fill("")
	Eval[bool](rp, `(document.activeElement.blur(), true)`)
	setFile(t, rp, NameBackupFile, again)
	waitFor(t, "focus on the backup password", func() bool { return focusedName(rp) == NameBackupPassword })
	if e := errorBeside(rp); e != "" {
		t.Errorf("choosing another file left the error %q", e)
	}
	rp.Fill("textbox", NameBackupPassword, bkPassword)
	rp.Click("button", NameRestore)
	rp.Find("button", "Merge")
	waitFor(t, "focus in the preview", func() bool { return focusIn(rp, "preview") })
	if top := Eval[float64](rp, `document.getElementById("preview").getBoundingClientRect().top`); top < 0 || top > Eval[float64](rp, `innerHeight`) {
		t.Errorf("the preview is not in view (top %v)", top)
	}

	// Escape closes the replace confirmation and gives focus back to Replace.
	rp.Click("button", "Replace")
	rp.Find("button", "Yes, replace my accounts")
	rp.Press(kb.Escape)
	rp.WaitGone("button", "Yes, replace my accounts")
	if got := Eval[string](rp, `document.activeElement.textContent.trim()`); got != "Replace" {
		t.Errorf("after Escape focus is on %q, want Replace", got)
	}

	// The heading says what happened.
	rp.Click("button", "Merge")
	rp.Find("heading", "Merged")
	if !focusIn(rp, "restore-done") {
		t.Error("the result of the merge does not have focus")
	}
}

func TestPagesImportPlainWords(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	pg := openImportPage(t, b, p, NameImport, "#import")

	// Three lines, the second with a secret that cannot be base32 (1 and 8 are not letters of it).
	path := filepath.Join(t.TempDir(), "links.txt")
	links := "otpauth://totp/Quillfeather:carol@example.net?secret=JBSWY3DPEHPK3PXP&issuer=Quillfeather\n" +
		"otpauth://totp/Marrowgate:dave@example.org?secret=JBSWY3DP1HPK8PXP&issuer=Marrowgate\n" +
		"otpauth://totp/Fernhollow:erin@example.com?secret=KRSXG5CTMVRXEZLU&issuer=Fernhollow\n"
	if err := os.WriteFile(path, []byte(links), 0o644); err != nil {
		t.Fatal(err)
	}
	setFile(t, pg, NameImportFile, path)
	pg.Find("button", NameImport)
	waitFor(t, "focus in the preview", func() bool { return focusIn(pg, "preview") })
	text := pg.Text()
	for _, want := range []string{"Entry 2", "letters that can't be in a key", "add it by hand"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview's problem line does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "not base32") {
		t.Errorf("the preview shows the core's technical message:\n%s", text)
	}

	// Nothing chosen: the error is beside the file field, which has focus.
	pg.Click("button", "Cancel")
	pg.Reload()
	pg.Click("button", NamePreview)
	waitFor(t, "focus on the file field", func() bool { return focusedName(pg) == NameImportFile })
	if e := errorBeside(pg); !strings.Contains(e, "Choose a file") {
		t.Errorf("error beside the import file: %q", e)
	}
}

func TestPlainWordsInPopup(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)

	// Weak master passwords are refused with the reason; the hint follows the typing.
	for _, tt := range []struct{ pw, reason string }{
		{"password123", "most common"},
		{"Xk9#tQ2!", "Too short"},
	} {
		p.Fill("textbox", NameNewPassword, tt.pw)
		p.Fill("textbox", NameConfirmPassword, tt.pw)
		p.WaitText("Strength: too weak")
		p.Click("button", NameCreateVault)
		waitFor(t, "the refusal of "+tt.reason, func() bool { return strings.Contains(p.AlertText(), tt.reason) })
		if got := p.State(); got != StateFirstRun {
			t.Fatalf("a weak master password made a vault: the popup shows %s", got)
		}
	}
	if local := b.Storage("local"); len(local["vault"]) != 0 {
		t.Fatal("a vault was stored after weak master passwords")
	}
	p.CreateVault(password)

	// A secret key with characters base32 has not: the plain sentence, not the core's words.
	p.Click("button", NameAddAccount)
	p.Fill("textbox", NameSecretKey, "JBSWY3DP1HPK8PXP")
	p.Fill("textbox", NameIssuer, "Quillfeather")
	p.Click("button", NameSave)
	waitFor(t, "the bad-secret message", func() bool { return p.AlertText() != "" })
	if got := p.AlertText(); !strings.Contains(got, "The secret key has letters that can't be in a key (only A–Z and 2–7)") || strings.Contains(got, "base32") {
		t.Errorf("a bad secret key says %q", got)
	}
}
