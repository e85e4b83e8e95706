package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Tests of the popup's list and first paint (issues 11 and 12): search that has focus when
// the popup opens, compact rows, an open popup that follows changes made elsewhere, the View
// kept fresh by the background on every change, one-click QR adds and 5,000 accounts.

// seedAccount is one account the tests bring in through an import.
type seedAccount struct {
	Issuer, Name, Secret string
}

func (a seedAccount) uri() string {
	return "otpauth://totp/" + strings.ReplaceAll(a.Issuer, " ", "%20") + ":" + a.Name + "?secret=" + a.Secret + "&issuer=" + strings.ReplaceAll(a.Issuer, " ", "%20")
}

// seedSecret makes a distinct base32 secret for account i.
func seedSecret(i int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := []byte("JBSWY3DPEHPK3PXP")
	for n := i + 1; n > 0; n /= 32 {
		b = append(b, alphabet[n%32])
	}
	for len(b) < 32 {
		b = append(b, 'Q')
	}
	return string(b)
}

func seedAccounts(n int, issuer func(i int) string) []seedAccount {
	out := make([]seedAccount, n)
	for i := range out {
		out[i] = seedAccount{Issuer: issuer(i), Name: fmt.Sprintf("user%04d@example.com", i), Secret: seedSecret(i)}
	}
	return out
}

// importAccounts brings accounts into the open vault the way the import page does (an
// otpauth:// list, read then applied), from page p of the extension.
func importAccounts(t *testing.T, p *Page, accounts []seedAccount) {
	t.Helper()
	var text strings.Builder
	for _, a := range accounts {
		text.WriteString(a.uri() + "\n")
	}
	data := base64.StdEncoding.EncodeToString([]byte(text.String()))
	res := Eval[map[string]any](p, `(async () => {
		const read = await chrome.runtime.sendMessage({kind: "import.read", payload: {data: `+mustJSON(data)+`, format: "auto"}});
		if (!read.ok) return {error: read.error};
		const apply = await chrome.runtime.sendMessage({kind: "import.apply", payload: {token: read.value.token}});
		return apply.ok ? apply.value : {error: apply.error};
	})()`)
	if res["error"] != nil || int(res["added"].(float64)) != len(accounts) {
		t.Fatalf("import of %d accounts: %v", len(accounts), res)
	}
}

// sealedView opens the View the background keeps in storage.session, from an extension page,
// and returns "issuer/name" of its accounts in order.
func sealedView(t *testing.T, p *Page) []string {
	t.Helper()
	return Eval[[]string](p, `(async () => {
		const seal = await import("/extension/shared/session-seal.js");
		const got = await chrome.storage.session.get([seal.VIEW_KEY, seal.SEAL_KEY]);
		const v = await seal.open(got[seal.VIEW_KEY], got[seal.SEAL_KEY]);
		return v.accounts.map((a) => a.issuer + "/" + a.name);
	})()`)
}

// viewHead is what the test reads of the sealed head of the View in storage.session.
type viewHead struct {
	Accounts     []string // issuer/name, in order
	Total, Codes int      // accounts in the whole View; accounts of the head with codes
	Rev, ViewRev string   // the head's rev and the whole View's
	Clear        bool     // an account name of the head readable in storage without the key
}

// sealedHead opens the View's head from storage.session, from extension page p.
func sealedHead(t *testing.T, p *Page) viewHead {
	t.Helper()
	return Eval[viewHead](p, `(async () => {
		const seal = await import("/extension/shared/session-seal.js");
		const got = await chrome.storage.session.get([seal.VIEW_HEAD_KEY, seal.VIEW_KEY, seal.SEAL_KEY]);
		const h = await seal.open(got[seal.VIEW_HEAD_KEY], got[seal.SEAL_KEY]);
		const v = await seal.open(got[seal.VIEW_KEY], got[seal.SEAL_KEY]);
		const stored = JSON.stringify(got[seal.VIEW_HEAD_KEY]);
		return {
			Accounts: h.accounts.map((a) => a.issuer + "/" + a.name), Total: h.total,
			Codes: h.accounts.filter((a) => typeof h.codes[a.id]?.codes === "string" && h.codes[a.id].codes === v.codes[a.id].codes).length,
			Rev: h.rev, ViewRev: v.rev, Clear: h.accounts.some((a) => stored.includes(a.name)),
		};
	})()`)
}

// typeText types text, key by key, into whatever has the keyboard focus, as a person does.
func typeText(p *Page, text string) {
	p.t.Helper()
	p.Press(text)
}

// waitFocus waits (up to Timeout) until the control named want has the focus, and returns
// the accessible name of what has it then. (The popup's first screen takes the focus once
// it is on screen, a moment after its rows are in the page.)
func waitFocus(p *Page, want string) string {
	focused := func() string { return Eval[string](p, `document.activeElement?.getAttribute("aria-label") ?? ""`) }
	for deadline := time.Now().Add(Timeout); focused() != want && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
	}
	return focused()
}

// waitAnnounced waits (up to Timeout) until the popup's status line says want (in part).
func waitAnnounced(t *testing.T, p *Page, want string) {
	t.Helper()
	announced := func() string { return Eval[string](p, `document.getElementById("announce")?.textContent ?? ""`) }
	for deadline := time.Now().Add(Timeout); !strings.Contains(announced(), want) && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
	}
	if got := announced(); !strings.Contains(got, want) {
		t.Fatalf("the popup says %q, want %q", got, want)
	}
}

// waitReady waits until the popup has loaded all of its behaviour (paint.js paints first;
// popup.js, with reordering and menus, follows after the first frame).
func waitReady(t *testing.T, p *Popup) {
	t.Helper()
	for deadline := time.Now().Add(Timeout); Eval[string](p, `document.documentElement.dataset.ready ?? ""`) != "1"; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the popup never finished loading")
		}
	}
}

// waitItems waits until the popup's list items satisfy ok, and returns their texts.
func waitItems(t *testing.T, p *Popup, what string, ok func(items []string) bool) []string {
	t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		items := p.ListItems()
		if ok(items) {
			return items
		}
		if time.Now().After(deadline) {
			t.Fatalf("list never showed %s; it shows %q", what, items)
		}
	}
}

func containsAll(items []string, subs ...string) bool {
	for _, s := range subs {
		if !slices.ContainsFunc(items, func(it string) bool { return strings.Contains(it, s) }) {
			return false
		}
	}
	return true
}

// TestPopupSearch: the search has focus as soon as the popup opens, typing filters at once,
// it matches issuers, names and Sites, Enter copies the first match and says so, Escape
// clears it.
func TestPopupSearch(t *testing.T) {
	b, p := newVault(t)
	for _, a := range []map[string]any{
		{"issuer": "Amazon", "name": "alice@example.com", "secret": handSecret, "sites": "amazon.com"},
		{"issuer": "Bitbucket", "name": "bob@example.com", "secret": uriSecret, "sites": "bitbucket.org"},
		{"issuer": "Corpmail", "name": "carol@example.com", "secret": "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ", "sites": "mail.example.net"},
	} {
		a["type"], a["algorithm"], a["digits"], a["period"] = "totp", "SHA1", 6, 30
		if res := Eval[map[string]any](p, `chrome.runtime.sendMessage({kind: "accounts.add", payload: {account: `+mustJSON(a)+`}})`); res["ok"] != true {
			t.Fatalf("add %v: %v", a["issuer"], res)
		}
	}
	p.Close()

	p = b.OpenPopup()
	// No click, no focus from the test: the keys go where the popup put the focus.
	typeText(p.Page, "bitb")
	items := waitItems(t, p, "only Bitbucket", func(items []string) bool {
		return len(items) == 1 && strings.Contains(items[0], "Bitbucket")
	})
	if focused := waitFocus(p.Page, "Search"); focused != "Search" {
		t.Errorf("focus is on %q after typing, want the search field", focused)
	}
	_ = items
	// Enter copies the first match's code and says whose it was.
	p.Press(kb.Enter)
	waitAnnounced(t, p.Page, "Copied the code for Bitbucket")
	AssertTOTP(t, Eval[string](p, `navigator.clipboard.readText()`), uriSecret, TOTPOpts{})

	// Sites match too.
	p.Find("searchbox", "Search").Fill("example.net")
	waitItems(t, p, "only Corpmail (matched by its site)", func(items []string) bool {
		return len(items) == 1 && strings.Contains(items[0], "Corpmail")
	})

	// Escape clears the search: every account again.
	p.Press(kb.Escape)
	waitItems(t, p, "all three accounts", func(items []string) bool {
		return len(items) == 3 && containsAll(items, "Amazon", "Bitbucket", "Corpmail")
	})
	if v := p.Find("searchbox", "Search").Value(); v != "" {
		t.Errorf("Escape left %q in the search field", v)
	}
}

// TestPopupFollowsChanges: an import done in a tab shows in a popup that is already open
// (within a second), and the View the background keeps is fresh after an import and after a
// restore, so the next popup paints them at once.
func TestPopupFollowsChanges(t *testing.T) {
	b, p := newVault(t)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
	other := b.OpenExtensionPage(ImportPage)

	// An import in another page while the popup is open.
	importAccounts(t, other, []seedAccount{{Issuer: "Lateco", Name: "late@example.com", Secret: uriSecret}})
	for deadline := time.Now().Add(time.Second); ; time.Sleep(20 * time.Millisecond) {
		if containsAll(p.ListItems(), "Lateco") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the open popup does not show the imported account a second after the import; it shows %q", p.ListItems())
		}
	}
	requireCode(t, p, uriSecret, TOTPOpts{}, "Lateco", "late@example.com")
	if got := sealedView(t, other); !slices.Contains(got, "Lateco/late@example.com") || len(got) != 2 {
		t.Errorf("the sealed View after the import holds %q", got)
	}

	// A backup, then a restore (merge) that brings back a deleted account.
	backup := Eval[map[string]any](other, `chrome.runtime.sendMessage({kind: "backup.create", payload: {masterPassword: `+mustJSON(password)+`, backupPassword: "tangerine cobalt 42 ferry"}})`)
	if backup["ok"] != true {
		t.Fatalf("backup: %v", backup)
	}
	file := backup["value"].(map[string]any)["file"].(string)
	var lateID string
	for deadline := time.Now().Add(Timeout); lateID == ""; time.Sleep(50 * time.Millisecond) {
		lateID = Eval[string](other, `chrome.runtime.sendMessage({kind: "accounts.view", payload: {}}).then((r) => r.value.accounts.find((a) => a.issuer === "Lateco")?.id ?? "")`)
		if time.Now().After(deadline) {
			t.Fatal("no Lateco account in the View")
		}
	}
	if res := Eval[map[string]any](other, `chrome.runtime.sendMessage({kind: "accounts.delete", payload: {id: `+mustJSON(lateID)+`}})`); res["ok"] != true {
		t.Fatalf("delete: %v", res)
	}
	waitItems(t, p, "Lateco gone", func(items []string) bool { return len(items) == 1 })
	res := Eval[map[string]any](other, `chrome.runtime.sendMessage({kind: "backup.restore", payload: {file: `+mustJSON(file)+`, password: "tangerine cobalt 42 ferry", mode: "merge"}})`)
	if res["ok"] != true {
		t.Fatalf("restore: %v", res)
	}
	waitItems(t, p, "Lateco back after the restore", func(items []string) bool { return len(items) == 2 && containsAll(items, "Lateco") })
	if got := sealedView(t, other); !slices.Contains(got, "Lateco/late@example.com") || len(got) != 2 {
		t.Errorf("the sealed View after the restore holds %q", got)
	}
	// A new popup with the worker stopped paints the restored account from that View.
	p.Close()
	b.StopServiceWorker()
	p = b.OpenPopup()
	requireCode(t, p, uriSecret, TOTPOpts{}, "Lateco", "late@example.com")
}

// TestPopupCompactRows: with 60 accounts a 360×600 popup shows at least 8 whole rows, each
// with issuer, account name, code and countdown, and per-row controls named after their
// account.
func TestPopupCompactRows(t *testing.T) {
	b, p := newVault(t)
	accounts := seedAccounts(60, func(i int) string { return fmt.Sprintf("Issuer %02d", i) })
	importAccounts(t, p.Page, accounts)
	p.Close()
	p = b.OpenPopup()
	p.call("size 360×600", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: 360, Height: 600, DeviceScaleFactor: 1})
		return err
	})
	p.WaitAccount("Issuer 00", "user0000@example.com")
	// (The first frame holds the first few rows; the rest of the view follows it.)
	visible := 0
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		visible = Eval[int](p, `(() => {
			const list = document.querySelector('[role=list], ul').closest("#scroller")?.getBoundingClientRect() ?? document.body.getBoundingClientRect();
			const bottom = Math.min(list.bottom, window.innerHeight);
			return [...document.querySelectorAll("li")].filter((li) => {
				const r = li.getBoundingClientRect();
				return r.height > 0 && r.top >= list.top - 0.5 && r.bottom <= bottom + 0.5;
			}).length;
		})()`)
		if visible >= 8 || time.Now().After(deadline) {
			break
		}
	}
	if visible < 8 {
		t.Errorf("%d rows fully visible at 360×600, want at least 8", visible)
	}
	// Each row: issuer, name, code, countdown; Fill, copy and more actions named after it.
	a := p.WaitAccount("Issuer 03", "user0003@example.com")
	AssertTOTP(t, a.Code, accounts[3].Secret, TOTPOpts{})
	// (The row's text and the timer's name are read apart: a tick may come between them.)
	if timer := a.Node.Find("timer", ""); !strings.HasSuffix(timer.Name, "seconds left") || !shownSeconds(a.Text, timer.Name) {
		t.Errorf("row %q, countdown %q: want the seconds left shown and named", a.Text, timer.Name)
	}
	a.Node.Find("button", "Fill Issuer 03 user0003@example.com")
	a.Node.Find("button", "Copy code for Issuer 03 user0003@example.com")
	more := a.Node.Find("button", "More actions for Issuer 03 user0003@example.com")
	more.Click()
	p.Find("menuitem", "Edit")
	p.Press(kb.Escape)
	p.WaitGone("menuitem", "Edit")
	if focused := Eval[string](p, `document.activeElement?.getAttribute("aria-label") ?? ""`); focused != "More actions for Issuer 03 user0003@example.com" {
		t.Errorf("after Escape focus is on %q, want the row's More actions button", focused)
	}
}

// shownSeconds reports whether row text shows the seconds that the countdown's name says
// ("21 seconds left"), or the second before or after it in a 30-second period.
func shownSeconds(text, name string) bool {
	var n int
	if _, err := fmt.Sscan(name, &n); err != nil {
		return false
	}
	for _, s := range []int{(n+28)%30 + 1, n, n%30 + 1} {
		if slices.Contains(strings.Fields(text), fmt.Sprintf("%ds", s)) {
			return true
		}
	}
	return false
}

// TestPopupReorderByKeyboard: Alt+↓ moves the focused account down, Alt+Home to the top;
// arrow keys move between rows.
func TestPopupReorderByKeyboard(t *testing.T) {
	b, p := newVault(t)
	importAccounts(t, p.Page, seedAccounts(4, func(i int) string { return fmt.Sprintf("Order %d", i) }))
	p.Close()
	p = b.OpenPopup()
	order := func() []string {
		var out []string
		for _, it := range p.ListItems() {
			out = append(out, strings.Fields(it)[2]) // after the monogram and "Order"
		}
		return out
	}
	waitItems(t, p, "four accounts", func(items []string) bool { return len(items) == 4 })
	p.Press(kb.ArrowDown) // from the search to the first row
	p.Press(kb.ArrowDown) // to the second row
	// (Pressed before the search had its focus, the keys act once it has.)
	if got := waitFocus(p.Page, "Copy code for Order 1 user0001@example.com"); got != "Copy code for Order 1 user0001@example.com" {
		t.Fatalf("arrow keys put focus on %q", got)
	}
	altKey := func(key string) {
		p.call("alt+"+key, func(ctx context.Context) error {
			for _, ev := range kb.Encode([]rune(key)[0]) {
				ev.Modifiers = 1 // Alt
				if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, *ev); err != nil {
					return err
				}
			}
			return nil
		})
	}
	waitReady(t, p)
	altKey(kb.ArrowDown)
	for deadline := time.Now().Add(Timeout); !slices.Equal(order(), []string{"0", "2", "1", "3"}); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after Alt+↓ the order is %q (status %q, console %q)", order(), Eval[string](p, `document.getElementById("announce").textContent`), p.Console())
		}
	}
	altKey(kb.Home)
	for deadline := time.Now().Add(Timeout); !slices.Equal(order(), []string{"1", "0", "2", "3"}); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after Alt+Home the order is %q", order())
		}
	}
	// Kept: a new popup shows the same order.
	p.Close()
	p = b.OpenPopup()
	waitItems(t, p, "the saved order", func([]string) bool { return slices.Equal(order(), []string{"1", "0", "2", "3"}) })
}

// lockListProbe runs before the popup's own scripts and watches every DOM change: if the
// lock form's Unlock button and an account list item are ever in the page together, it
// records that. It also records that it saw each of them, so the test knows it watched.
const lockListProbe = `(() => {
  if (!location.href.startsWith("chrome-extension://")) return;
  const state = globalThis.__lockList = { both: 0, lock: 0, list: 0 };
  const check = () => {
    const lock = [...document.querySelectorAll("button")].some((b) => b.textContent.trim() === "Unlock");
    const list = document.querySelector("li") !== null;
    if (lock) state.lock++;
    if (list) state.list++;
    if (lock && list) state.both++;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`

// TestPopupNeverShowsLockAndList: from locked to unlocked (and back) the popup never has the
// lock form and the list on the page together — not for one DOM change, so not for one frame.
func TestPopupNeverShowsLockAndList(t *testing.T) {
	b, p := newVault(t)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
	p.Lock()
	p.Close()

	tab := b.Open("about:blank")
	tab.call("install the probe", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: lockListProbe})
		return err
	})
	tab.Navigate(b.URL(PopupPath))
	p = &Popup{Page: tab}
	p.WaitState(StateLocked)
	p.Unlock(password)
	p.WaitAccount(handIssuer, handName)
	// Focus lands on the search after an unlock.
	if focused := waitFocus(p.Page, "Search"); focused != "Search" {
		t.Errorf("after unlocking focus is on %q, want the search field", focused)
	}
	p.Lock()
	p.Unlock(password)
	p.WaitAccount(handIssuer, handName)
	got := Eval[map[string]int](p, `globalThis.__lockList`)
	if got["lock"] == 0 || got["list"] == 0 {
		t.Fatalf("the probe did not see both screens (%v)", got)
	}
	if got["both"] != 0 {
		t.Errorf("the lock form and the account list were on the page together %d times", got["both"])
	}
}

// TestPopupScanQRAdd: "Scan QR code" in the add form turns a page with one setup code into a
// saved account in one click (highlighted, Sites from its issuer); a page with two codes
// gives a short chooser in the popup.
func TestPopupScanQRAdd(t *testing.T) {
	const (
		oneSecret = "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF"
		twoSecret = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"
	)
	one := "otpauth://totp/GitHub:octo@example.com?secret=" + oneSecret + "&issuer=GitHub"
	two := "otpauth://totp/Pairco:pat@example.com?secret=" + twoSecret + "&issuer=Pairco"
	images := map[string][]byte{"/one.png": qrPNG(t, one, 240), "/two.png": qrPNG(t, two, 240)}
	srv := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if img, ok := images[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "image/png")
			w.Write(img)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/both" {
			w.Write([]byte(`<!doctype html><title>Two</title><body style="margin:20px"><img src="/one.png" width="240" height="240" alt="a"> <img src="/two.png" width="240" height="240" alt="b"></body>`))
			return
		}
		w.Write([]byte(`<!doctype html><title>Set up 2FA</title><body style="margin:20px"><h1>Scan this</h1><img src="/one.png" width="240" height="240" alt="setup code"></body>`))
	}))
	// As in TestScanQRCodeOnPage: all-URL access stands in for the activeTab a toolbar click grants.
	b := StartBrowser(t, BrowserOptions{ExtDir: CopyExtension(t, WithHostPermissions("<all_urls>"))})
	web := b.Open(srv.URL + "/one")
	p := b.OpenPopup()
	p.CreateVault(imMaster)

	p.Click("button", NameAddAccount)
	p.Click("button", "Scan QR code")
	a := p.WaitAccount("GitHub", "octo@example.com")
	AssertTOTP(t, a.Code, oneSecret, TOTPOpts{})
	p.WaitGone("button", "Scan QR code") // the form closed: one click was all it took
	// Sites come from the issuer, like a typed account's.
	a.Node.Find("button", "More actions for GitHub octo@example.com").Click()
	p.Click("menuitem", "Edit")
	if sites := p.Find("textbox", "Sites").Value(); sites != "github.com" {
		t.Errorf("the scanned account's Sites are %q, want github.com", sites)
	}
	p.Click("button", "Cancel")

	// Two codes: a chooser in the popup; pick one.
	web.Navigate(srv.URL + "/both")
	p.Click("button", NameAddAccount)
	p.Click("button", "Scan QR code")
	group := p.Find("group", "Accounts found")
	boxes := group.Query("checkbox", "")
	if len(boxes) != 2 {
		t.Fatalf("the chooser offers %d accounts, want 2\n%s", len(boxes), p.AXTree())
	}
	group.Find("checkbox", "GitHub — octo@example.com").Click() // already there: leave it out
	p.Click("button", "Add selected")
	a = p.WaitAccount("Pairco", "pat@example.com")
	AssertTOTP(t, a.Code, twoSecret, TOTPOpts{})
	if n := len(p.Accounts()); n != 2 {
		t.Errorf("%d accounts listed after the chooser, want 2: %q", n, p.ListItems())
	}
}

// TestPopupAtScale: 5,000 accounts — the popup lists exactly the vault's accounts (the
// sealed View holds every one, the list says 5,000), search finds any one of them with its
// code, and the end of the list is reachable.
func TestPopupAtScale(t *testing.T) {
	const n = 5000
	b, p := newVault(t)
	accounts := seedAccounts(n, func(i int) string { return fmt.Sprintf("Scale %04d", i) })
	importAccounts(t, p.Page, accounts)
	p.Close()
	p = b.OpenPopup()
	p.WaitAccount("Scale 0000", "user0000@example.com")

	var want []string
	for _, a := range accounts {
		want = append(want, a.Issuer+"/"+a.Name)
	}
	if got := sealedView(t, p.Page); !slices.Equal(got, want) {
		t.Fatalf("the View holds %d accounts (first %q), want the vault's %d in order", len(got), got[:min(3, len(got))], n)
	}
	// The first screen is painted from the View's head alone (its first rows, sealed
	// apart): the whole View is read only after that.
	head := sealedHead(t, p.Page)
	if head.Total != n || head.Rev == "" || head.Rev != head.ViewRev || len(head.Accounts) < 12 || len(head.Accounts) > 50 || !slices.Equal(head.Accounts, want[:len(head.Accounts)]) {
		t.Fatalf("the View's head: %d accounts (first %q), total %d, rev %q (View %q); want the View's first rows, total %d, the same rev",
			len(head.Accounts), head.Accounts[:min(3, len(head.Accounts))], head.Total, head.Rev, head.ViewRev, n)
	}
	if head.Codes != len(head.Accounts) || head.Clear {
		t.Errorf("the head holds codes for %d of its %d accounts (want all); account names in the clear in storage: %v", head.Codes, len(head.Accounts), head.Clear)
	}
	// The list says how many there are, and windows them: only some rows are in the page.
	items := p.Query("listitem", "")
	if len(items) == 0 || len(items) > 100 {
		t.Fatalf("%d list items in the page for %d accounts", len(items), n)
	}
	if size := Eval[string](p, `document.querySelector("li").getAttribute("aria-setsize")`); size != fmt.Sprint(n) {
		t.Errorf("rows say the list has %s items, want %d", size, n)
	}
	// The last account is at the end of the list.
	Eval[bool](p, `(() => { const s = document.getElementById("scroller"); s.scrollTop = s.scrollHeight; return true; })()`)
	requireCode(t, p, accounts[n-1].Secret, TOTPOpts{}, accounts[n-1].Issuer, accounts[n-1].Name)
	// Any account can be found with its code.
	search := p.Find("searchbox", "Search")
	for _, i := range []int{rand.IntN(n), rand.IntN(n), 4321} {
		search.Fill(accounts[i].Name)
		waitItems(t, p, accounts[i].Name+" alone", func(items []string) bool {
			return len(items) == 1 && strings.Contains(items[0], accounts[i].Name)
		})
		requireCode(t, p, accounts[i].Secret, TOTPOpts{}, accounts[i].Issuer, accounts[i].Name)
	}
	// Keyboard: from the first row, End goes to the last account (past the head's rows).
	search.Fill("")
	waitItems(t, p, "the first account on top", func(items []string) bool { return len(items) > 0 && strings.Contains(items[0], "Scale 0000") })
	p.Press(kb.ArrowDown)
	p.Press(kb.End)
	last := fmt.Sprintf("Copy code for %s %s", accounts[n-1].Issuer, accounts[n-1].Name)
	if got := waitFocus(p.Page, last); got != last {
		t.Fatalf("End from the first row put focus on %q, want %q", got, last)
	}
	// Scrolled anywhere, each row the page holds is the vault's account at that place in the
	// list (the whole View is in: End reached the last row above), showing its code.
	for _, at := range []int{0, 1234, 2500, rand.IntN(n - 20), n - 12} {
		var rows [][]string
		for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
			rows = Eval[[][]string](p, `(() => {
				document.getElementById("scroller").scrollTop = `+fmt.Sprint(at*48)+`;
				return [...document.querySelectorAll("#accounts li")].map((li) => [li.getAttribute("aria-posinset"), li.innerText.replace(/\s+/g, " ")]);
			})()`)
			if slices.ContainsFunc(rows, func(r []string) bool { return r[0] == fmt.Sprint(at+1) && CodeIn(r[1]) != "" }) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("scrolled to row %d, the page holds rows %q", at+1, rows)
			}
		}
		for _, r := range rows {
			var pos int
			fmt.Sscan(r[0], &pos)
			if pos < 1 || pos > n || !strings.Contains(r[1], accounts[pos-1].Issuer) || !strings.Contains(r[1], accounts[pos-1].Name) {
				t.Fatalf("scrolled to row %d: row %q says %q, want %s %s", at+1, r[0], r[1], accounts[max(0, min(n, pos)-1)].Issuer, accounts[max(0, min(n, pos)-1)].Name)
			}
		}
	}
	// A fresh popup: typed at once, Enter copies an account far past the first screen.
	p.Close()
	p = b.OpenPopup()
	if got := waitFocus(p.Page, "Search"); got != "Search" {
		t.Fatalf("the search never had focus (%q has it)", got)
	}
	typeText(p.Page, accounts[4321].Name)
	p.Press(kb.Enter)
	waitAnnounced(t, p.Page, "Copied the code for "+accounts[4321].Issuer)
	AssertTOTP(t, Eval[string](p, `navigator.clipboard.readText()`), accounts[4321].Secret, TOTPOpts{})
	// That popup (the View built and stored long before it opened) painted its first codes
	// from the head, and read the whole View after that.
	order := Eval[[]string](p, `(async () => {
		for (let i = 0; i < 200 && !performance.getEntriesByName("codeward:view-whole").length; i++) await new Promise((r) => setTimeout(r, 50));
		return performance.getEntriesByType("mark").filter((m) => m.name.startsWith("codeward:")).sort((a, b) => a.startTime - b.startTime).map((m) => m.name);
	})()`)
	if painted, whole := slices.Index(order, "codeward:codes-painted"), slices.Index(order, "codeward:view-whole"); painted < 0 || whole < 0 || painted > whole {
		t.Errorf("the popup's marks in order: %q; want the first codes painted before the whole View was read", order)
	}
	search = p.Find("searchbox", "Search")

	// Adding one more works at this size and shows it.
	search.Fill("")
	p.Click("button", NameAddAccount)
	p.Fill("textbox", NameSecretKey, handSecretTyped)
	p.Fill("textbox", NameIssuer, handIssuer)
	p.Fill("textbox", NameAccountName, handName)
	p.Click("button", NameSave)
	// Rows come and go as the list scrolls to the new account: read the rows' text in one go.
	for deadline := time.Now().Add(Timeout); ; time.Sleep(100 * time.Millisecond) {
		rows, _ := EvalErr[[]string](p, `[...document.querySelectorAll("li")].map((li) => li.innerText.replace(/\s+/g, " "))`)
		i := slices.IndexFunc(rows, func(r string) bool {
			return strings.Contains(r, handIssuer) && strings.Contains(r, handName) && CodeIn(r) != ""
		})
		if i >= 0 {
			AssertTOTP(t, CodeIn(rows[i]), handSecret, handOpts)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the added account is not shown; rows: %q", rows)
		}
	}
	if size := Eval[string](p, `document.querySelector("li").getAttribute("aria-setsize")`); size != fmt.Sprint(n+1) {
		t.Errorf("after adding one, rows say the list has %s items, want %d", size, n+1)
	}

	// Locked and unlocked again in this popup: the unlock's reply brings the first rows, and
	// every account follows (found by search, its code right).
	p.Lock()
	p.Unlock(password)
	search = p.Find("searchbox", "Search")
	for _, i := range []int{4321, n - 1} {
		search.Fill(accounts[i].Name)
		waitItems(t, p, accounts[i].Name+" alone after unlocking", func(items []string) bool {
			return len(items) == 1 && strings.Contains(items[0], accounts[i].Name)
		})
		requireCode(t, p, accounts[i].Secret, TOTPOpts{}, accounts[i].Issuer, accounts[i].Name)
	}
	search.Fill("")
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		size, _ := EvalErr[string](p, `document.querySelector("li")?.getAttribute("aria-setsize") ?? ""`)
		if size == fmt.Sprint(n+1) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after unlocking, rows say the list has %s items, want %d", size, n+1)
		}
	}
	if got := sealedView(t, p.Page); len(got) != n+1 {
		t.Errorf("after unlocking, the View holds %d accounts, want %d", len(got), n+1)
	}
}

// TestPopupWithoutStoredView: when the session holds the unlocked vault's seal key but no
// View to paint from (just after an unlock, or a View over the session's quota, where the
// background removes the View, its head and its bookkeeping), the popup
// gets one from the background and shows the accounts with their codes, with the worker
// warm and with it stopped.
func TestPopupWithoutStoredView(t *testing.T) {
	b, p := newVault(t)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
	dropView := func() {
		t.Helper()
		left := Eval[[]string](p, `chrome.storage.session.remove(["view", "view.head", "view.meta"]).then(() => chrome.storage.session.get(null)).then((all) => Object.keys(all).filter((k) => k.startsWith("view")))`)
		if len(left) != 0 {
			t.Fatalf("storage.session still holds %q", left)
		}
	}
	dropView()
	p.Close()
	p = b.OpenPopup()
	requireCode(t, p, handSecret, handOpts, handIssuer, handName)

	dropView()
	p.Close()
	b.StopServiceWorker()
	p = b.OpenPopup()
	requireCode(t, p, handSecret, handOpts, handIssuer, handName)
	if focused := waitFocus(p.Page, "Search"); focused != "Search" {
		t.Errorf("focus is on %q, want the search field", focused)
	}
}

// TestPopupKeysPressedWhileOpening: keys pressed while the popup is still opening, before
// its first screen is on screen and has focused its field, are not lost: typed text goes
// into the search (or the master password), then ↓ and Enter act as if pressed after it.
func TestPopupKeysPressedWhileOpening(t *testing.T) {
	b, p := newVault(t)
	importAccounts(t, p.Page, seedAccounts(12, func(i int) string { return fmt.Sprintf("Issuer %02d", i) }))
	waitItems(t, p, "twelve accounts", func(items []string) bool { return len(items) == 12 })
	p.Close()

	tab := b.Open("about:blank")
	// Counts, before the popup's own scripts see them, the keys that came while nothing in
	// the page had focus: those the popup must keep.
	tab.call("count early keys", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
			globalThis.__earlyKeys = 0;
			document.addEventListener("keydown", () => {
				if (!document.activeElement || document.activeElement === document.body) globalThis.__earlyKeys++;
			}, true);`})
		return err
	})
	// openAndPress starts opening the popup and presses keys as soon as its document has
	// loaded (as the browser shows a popup then), without waiting for it to paint; it
	// returns how many came early.
	openAndPress := func(keys ...string) int {
		url := b.URL(PopupPath)
		tab.call("open the popup and press keys", func(ctx context.Context) error {
			if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url}); err != nil {
				return err
			}
			for {
				here, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.href === `+mustJSON(url)+` && document.readyState === "complete"`))
				if err == nil && here {
					break
				}
				if ctx.Err() != nil {
					return ctx.Err()
				}
				time.Sleep(2 * time.Millisecond)
			}
			for _, k := range keys {
				if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
					return err
				}
			}
			return nil
		})
		return int(Eval[float64](tab, `globalThis.__earlyKeys`))
	}

	// A few keys pressed at once come before the popup's focus (it waits for the first screen
	// to be on screen, ~30 ms after the document has loaded here); if they did not, the case
	// would not test what it is for.
	requireEarly := func(what string, early, keys int) {
		t.Helper()
		t.Logf("%s: %d of %d keys came before the popup had focused anything", what, early, keys)
		if early < keys {
			t.Fatalf("%s: only %d of %d keys came before the popup's focus; the case tests nothing", what, early, keys)
		}
	}

	// Unlocked: ↓ twice at once, from the search to the second row.
	requireEarly("unlocked popup, ↓ ↓", openAndPress(kb.ArrowDown, kb.ArrowDown), 2)
	if got := waitFocus(tab, "Copy code for Issuer 01 user0001@example.com"); got != "Copy code for Issuer 01 user0001@example.com" {
		t.Errorf("↓ ↓ pressed while the popup opened: focus is on %q, want the second row's code", got)
	}
	// Enter at once: the first row's code is copied (kept keys are handed over as pressed,
	// so this is the search's Enter, not a lost key).
	tab.Navigate("about:blank")
	requireEarly("unlocked popup, Enter", openAndPress(kb.Enter), 1)
	waitAnnounced(t, tab, "Copied the code for Issuer 00 user0000@example.com.")
	// A search typed at once, then Enter: the match's code is copied.
	tab.Navigate("about:blank")
	// (Of these keys only some come early, the first ones: each is a round trip.)
	early := openAndPress("issuer 03", kb.Enter)
	t.Logf("unlocked popup, a search and Enter: %d of 10 keys came before the popup had focused anything", early)
	waitAnnounced(t, tab, "Copied the code for Issuer 03 user0003@example.com.")
	if got := Eval[string](tab, `document.getElementById("search")?.value ?? ""`); got != "issuer 03" {
		t.Errorf("search holds %q, want %q", got, "issuer 03")
	}

	// Locked: Enter at once submits the unlock form, as Enter in its field does (a key event
	// handed over has no default action of its own): with the field still empty, the form
	// says what is wrong, and the vault stays locked.
	send[json.RawMessage](t, tab, "vault.lock", map[string]any{})
	tab.Navigate("about:blank")
	requireEarly("locked popup, Enter", openAndPress(kb.Enter), 1)
	pp := &Popup{Page: tab}
	pp.WaitText("Enter your master password.")
	pp.WaitState(StateLocked)
	// The master password and Enter, typed at once, unlock.
	tab.Navigate("about:blank")
	early = openAndPress(password, kb.Enter)
	t.Logf("locked popup: %d of %d keys came before the popup had focused anything", early, len(password)+1)
	pp.WaitState(StateUnlocked)
	pp.WaitAccount("Issuer 00", "user0000@example.com")
}
