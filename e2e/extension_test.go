package e2e

import (
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// The issue 3 acceptance tests: the built extension in headless Chromium, driven through
// its popup by role and accessible name only.

const (
	password = "correct horse battery staple 42"

	// Account added by pasting an otpauth URI, with non-default parameters so that a popup
	// ignoring them shows a wrong code.
	uriSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // "12345678901234567890"
	uriIssuer = "ACME Co"
	uriName   = "alice@example.com"

	// Account typed by hand; the secret typed in lower case with spaces, as people copy it.
	handSecret      = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
	handSecretTyped = "jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxq"
	handIssuer      = "Example Mail"
	handName        = "bob.hand@example.org"
)

var (
	uriOpts  = TOTPOpts{Period: 60, Digits: 8, Algorithm: otp.AlgorithmSHA256}
	handOpts = TOTPOpts{}
	testURI  = "otpauth://totp/" + url.PathEscape(uriIssuer+":"+uriName) + "?secret=" + uriSecret +
		"&issuer=" + url.QueryEscape(uriIssuer) + "&algorithm=SHA256&digits=8&period=60"
)

// newVault starts a browser, creates a vault through the first-run form and returns the
// unlocked popup.
func newVault(t *testing.T) (*Browser, *Popup) {
	t.Helper()
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	if got := p.State(); got != StateFirstRun {
		t.Fatalf("fresh profile: popup shows %s, want %s", got, StateFirstRun)
	}
	p.CreateVault(password)
	return b, p
}

// addBoth adds the two test accounts, one by URI and one by hand.
func addBoth(t *testing.T, p *Popup) {
	t.Helper()
	p.AddAccountURI(testURI, uriIssuer, uriName)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
}

// checkBoth asserts that both test accounts are listed with their right current codes.
func checkBoth(t *testing.T, p *Popup) {
	t.Helper()
	requireCode(t, p, uriSecret, uriOpts, uriIssuer, uriName)
	requireCode(t, p, handSecret, handOpts, handIssuer, handName)
}

func TestFirstRun(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	if text := strings.ToLower(p.Text()); !strings.Contains(text, "recover") {
		t.Errorf("first run shows no warning that a forgotten password cannot be recovered:\n%s", p.Text())
	}

	// Passwords that differ are refused, and the vault is not created.
	p.Fill("textbox", NameNewPassword, password)
	p.Fill("textbox", NameConfirmPassword, password+"!")
	p.Click("button", NameCreateVault)
	if alert := p.WaitAlert(); alert == "" {
		t.Error("mismatched passwords: empty alert")
	}
	if got := p.State(); got != StateFirstRun {
		t.Fatalf("after mismatched passwords the popup shows %s", got)
	}

	p.CreateVault(password)
	if items := p.ListItems(); len(items) != 0 {
		t.Errorf("new vault lists %q", items)
	}
	if local := b.Storage("local"); len(local) == 0 {
		t.Error("creating the vault stored nothing in storage.local")
	}
	// A popup opened later finds the vault unlocked, not the first-run form again.
	again := b.OpenPopup()
	if got := again.State(); got != StateUnlocked {
		t.Errorf("second popup shows %s, want %s", got, StateUnlocked)
	}
}

func TestAddAccounts(t *testing.T) {
	_, p := newVault(t)
	addBoth(t, p)
	if n := len(p.Accounts()); n != 2 {
		t.Errorf("%d accounts listed, want 2: %q", n, p.ListItems())
	}
	checkBoth(t, p)
	// The code rolls over with its period: read again after the 30 s account's next step.
	// The check window spans the step before too, so the old code would pass it: the shown
	// code must also change, and the new one be the account's.
	old := requireCode(t, p, handSecret, handOpts, handIssuer, handName).Code
	step := time.Now().Unix() / 30
	for time.Now().Unix()/30 == step {
		time.Sleep(200 * time.Millisecond)
	}
	for deadline := time.Now().Add(Timeout); ; time.Sleep(200 * time.Millisecond) {
		a := requireCode(t, p, handSecret, handOpts, handIssuer, handName)
		if a.Code != old {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the popup still shows %q after the step ended", old)
		}
	}
}

func TestCopyCode(t *testing.T) {
	_, p := newVault(t)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
	item := p.WaitAccount(handIssuer, handName)
	// The code is a control inside the item; find it as a screen reader would, as the one
	// button whose name or text holds the digits.
	var code *Node
	for deadline := time.Now().Add(Timeout); code == nil; time.Sleep(100 * time.Millisecond) {
		item = p.WaitAccount(handIssuer, handName)
		for _, n := range item.Node.Query("button", "") {
			if CodeIn(n.Name) != "" || CodeIn(n.Text()) != "" {
				code = n
			}
		}
		if code == nil && time.Now().After(deadline) {
			t.Fatalf("no button with the code in the account item\n%s", p.AXTree())
		}
	}
	code.Click()
	p.WaitText("Copied")
	copied := Eval[string](p, `navigator.clipboard.readText()`)
	if copied != strings.TrimSpace(copied) || strings.Contains(copied, " ") {
		t.Errorf("clipboard holds %q: want the digits only", copied)
	}
	AssertTOTP(t, copied, handSecret, handOpts)
}

func TestLockUnlock(t *testing.T) {
	_, p := newVault(t)
	addBoth(t, p)
	p.Lock()
	if items := p.ListItems(); len(items) != 0 {
		t.Errorf("locked popup still lists %q", items)
	}
	if text := p.Text(); strings.Contains(text, uriIssuer) || strings.Contains(text, handName) || CodeIn(text) != "" {
		t.Errorf("locked popup still shows account data:\n%s", text)
	}

	// A wrong password: an alert, and nothing else changes.
	if alert := p.UnlockWrong("not the password at all"); alert == "" {
		t.Error("wrong password: empty alert")
	}
	if got := p.State(); got != StateLocked {
		t.Fatalf("after a wrong password the popup shows %s", got)
	}
	p.Unlock(password)
	checkBoth(t, p)
	if n := len(p.Accounts()); n != 2 {
		t.Errorf("%d accounts after unlock, want 2", n)
	}
}

// TestAutoLock sets auto-lock to its minimum through the popup's settings (one minute),
// leaves the browser alone and checks that the background's alarm locked the vault: the
// data key is gone from storage.session and the next popup shows the lock screen. It waits
// out the real minute — no shortcut through chrome.alarms — so it costs that long.
func TestAutoLock(t *testing.T) {
	b, p := newVault(t)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
	p.Click("button", "Menu")
	p.Click("button", "Settings")
	p.Find("combobox", "Lock automatically").Select("After 1 minute without use")
	p.WaitText("Saved")
	sessionBefore := b.Storage("session")
	if len(sessionBefore) == 0 {
		t.Fatal("storage.session is empty while unlocked: nothing to see cleared")
	}
	// Every message from an extension page counts as activity, so close the popup; watch
	// from a page of the extension that sends none (its manifest, a document of its origin).
	p.Close()
	watch := b.OpenExtensionPage("manifest.json")
	type alarm struct {
		Name          string
		ScheduledTime float64 // ms since the epoch
	}
	// Besides auto-lock, the background keeps an alarm that renews the popup's codes.
	alarms := Eval[[]alarm](watch, `chrome.alarms.getAll().then((all) => all.filter((a) => a.name === "codeward.autolock"))`)
	if len(alarms) != 1 {
		t.Fatalf("want exactly one auto-lock alarm while unlocked, have %+v", alarms)
	}
	due := time.UnixMilli(int64(alarms[0].ScheduledTime))
	if wait := time.Until(due); wait > 70*time.Second {
		t.Fatalf("auto-lock alarm %q is due in %v, after auto-lock was set to one minute", alarms[0].Name, wait.Round(time.Second))
	}
	// Alarms may fire late on a busy machine; give it two more minutes. Once locked,
	// storage.session holds only why it locked (for the lock screen).
	unlockedSession := func() bool {
		s := b.Storage("session")
		delete(s, "lockReason")
		return len(s) > 0
	}
	for deadline := due.Add(2 * time.Minute); unlockedSession(); time.Sleep(time.Second) {
		if time.Now().After(deadline) {
			t.Fatalf("auto-lock was due at %s; storage.session still holds %d entries", due.Format(time.TimeOnly), len(b.Storage("session")))
		}
	}
	p = b.OpenPopup()
	if got := p.State(); got != StateLocked {
		t.Fatalf("after auto-lock the popup shows %s", got)
	}
	// The lock screen says why it is locked.
	p.WaitText("Locked after 1 minute without use.")
	p.Unlock(password)
	requireCode(t, p, handSecret, handOpts, handIssuer, handName)
}

func TestBrowserRestartKeepsVault(t *testing.T) {
	b, p := newVault(t)
	addBoth(t, p)
	before := accountLabels(p)
	b.Restart()
	p = b.OpenPopup()
	if got := p.State(); got != StateLocked {
		t.Fatalf("after a browser restart the popup shows %s, want %s", got, StateLocked)
	}
	p.Unlock(password)
	p.WaitListItems(2)
	checkBoth(t, p)
	if after := accountLabels(p); !slices.Equal(before, after) {
		t.Errorf("accounts before restart %q, after %q", before, after)
	}
}

func TestServiceWorkerRestartKeepsUnlocked(t *testing.T) {
	b, p := newVault(t)
	addBoth(t, p)
	before := accountLabels(p)
	p.Close()
	b.StopServiceWorker()

	p = b.OpenPopup()
	if got := p.State(); got != StateUnlocked {
		t.Fatalf("after the service worker restarted the popup shows %s, want %s", got, StateUnlocked)
	}
	p.WaitListItems(2)
	checkBoth(t, p)
	if after := accountLabels(p); !slices.Equal(before, after) {
		t.Errorf("accounts before the worker restart %q, after %q", before, after)
	}
	// The restarted worker can still write the vault (it reopened it with the session key).
	p.AddAccountByHand("KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ", "Third", "carol@example.net")
	requireCode(t, p, "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ", TOTPOpts{}, "Third", "carol@example.net")
	if !b.WorkerRunning() {
		t.Error("no service worker after the popup used the vault again")
	}
}

// TestStorageHoldsNothingReadable dumps storage.local and storage.session while unlocked and
// after locking and searches them for the secrets, issuers, account names and the master
// password in every encoding a careless implementation might have used.
func TestStorageHoldsNothingReadable(t *testing.T) {
	b, p := newVault(t)
	addBoth(t, p)
	p.WaitListItems(2)
	needles := map[string]string{}
	for _, s := range []string{uriSecret, handSecret} {
		raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		for name, enc := range map[string]string{
			"base32":            s,
			"base32 lower":      strings.ToLower(s),
			"base32 padded":     base32.StdEncoding.EncodeToString(raw),
			"base64":            base64.StdEncoding.EncodeToString(raw),
			"base64 raw":        base64.RawStdEncoding.EncodeToString(raw),
			"base64url":         base64.RawURLEncoding.EncodeToString(raw),
			"hex":               hex.EncodeToString(raw),
			"hex upper":         strings.ToUpper(hex.EncodeToString(raw)),
			"bytes as JSON":     strings.Trim(mustJSON(bytesAsInts(raw)), "[]"),
			"as typed (spaces)": handSecretTyped,
		} {
			needles["secret "+name] = enc
		}
	}
	for _, s := range []string{uriIssuer, uriName, handIssuer, handName, password} {
		needles["text "+s] = s
		needles["text lower "+s] = strings.ToLower(s)
		needles["text url "+s] = url.QueryEscape(s)
		needles["text path "+s] = url.PathEscape(s)
		needles["text base64 "+s] = base64.StdEncoding.EncodeToString([]byte(s))
		needles["text hex "+s] = hex.EncodeToString([]byte(s))
	}
	needles["uri"] = testURI

	check := func(when string) {
		t.Helper()
		for _, area := range []string{"local", "session"} {
			for key, value := range b.Storage(area) {
				lower := strings.ToLower(key + " " + string(value))
				var found []string
				for what, needle := range needles {
					if len(needle) >= 6 && strings.Contains(lower, strings.ToLower(needle)) {
						found = append(found, what)
					}
				}
				if len(found) > 0 {
					slices.Sort(found)
					t.Errorf("%s: storage.%s[%q] holds, readable: %s", when, area, key, strings.Join(found, "; "))
				}
			}
		}
	}
	check("unlocked")
	p.Lock()
	check("locked")
}

// accountLabels is the account list's texts without the codes and countdowns, which change.
func accountLabels(p *Popup) []string {
	var out []string
	for _, a := range p.Accounts() {
		var keep []string
		for _, f := range strings.Fields(a.Text) {
			if strings.Trim(f, "0123456789s:") != "" {
				keep = append(keep, f)
			}
		}
		out = append(out, strings.Join(keep, " "))
	}
	return out
}

func bytesAsInts(b []byte) []int {
	out := make([]int, len(b))
	for i, x := range b {
		out[i] = int(x)
	}
	return out
}
