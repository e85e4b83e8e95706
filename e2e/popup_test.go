package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// Accessible names of the popup, fixed by issue 3 (point 6). The tests know the popup only
// through these, as a screen reader user does.
const (
	NameNewPassword     = "New master password"
	NameConfirmPassword = "Confirm master password"
	NameCreateVault     = "Create vault"
	NameMasterPassword  = "Master password"
	NameUnlock          = "Unlock"
	NameAddAccount      = "Add account"
	NameSecretKey       = "Secret key"
	NameIssuer          = "Issuer"
	NameAccountName     = "Account name"
	NameSave            = "Save"
	NameLock            = "Lock"
)

// Popup is the extension's popup page open in a tab, with the product's flows as steps.
type Popup struct {
	*Page
}

// State is what the popup shows: the first-run form, the lock screen or the account list.
type State string

const (
	StateFirstRun State = "first run"
	StateLocked   State = "locked"
	StateUnlocked State = "unlocked"
)

// State waits until the popup shows one of its three screens and says which.
func (p *Popup) State() State {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		switch {
		case len(p.Query("button", NameLock)) > 0:
			return StateUnlocked
		case len(p.Query("button", NameCreateVault)) > 0:
			return StateFirstRun
		case len(p.Query("button", NameUnlock)) > 0:
			return StateLocked
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("popup shows none of its screens after %v\naccessibility tree:\n%s", Timeout, p.AXTree())
		}
	}
}

// WaitState waits until the popup shows the screen want.
func (p *Popup) WaitState(want State) {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		got := p.State()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("popup shows %s, want %s\naccessibility tree:\n%s", got, want, p.AXTree())
		}
	}
}

// CreateVault fills the first-run form (password twice) and waits for the unlocked, empty
// vault.
func (p *Popup) CreateVault(password string) {
	p.t.Helper()
	p.Fill("textbox", NameNewPassword, password)
	p.Fill("textbox", NameConfirmPassword, password)
	p.Click("button", NameCreateVault)
	p.WaitState(StateUnlocked)
}

// Unlock types the master password, clicks Unlock and waits for the account list.
func (p *Popup) Unlock(password string) {
	p.t.Helper()
	p.Fill("textbox", NameMasterPassword, password)
	p.Click("button", NameUnlock)
	p.WaitState(StateUnlocked)
}

// UnlockWrong types a wrong password, clicks Unlock and returns the alert shown.
func (p *Popup) UnlockWrong(password string) string {
	p.t.Helper()
	p.Fill("textbox", NameMasterPassword, password)
	p.Click("button", NameUnlock)
	return p.WaitAlert()
}

// Lock clicks Lock and waits for the lock screen.
func (p *Popup) Lock() {
	p.t.Helper()
	p.Click("button", NameLock)
	p.WaitState(StateLocked)
}

// AddAccountURI adds an account by pasting an otpauth:// URI into "Secret key", checks that
// the form filled in issuer and account name from it, saves, and waits until the list has
// one more item.
func (p *Popup) AddAccountURI(uri, wantIssuer, wantName string) {
	p.t.Helper()
	before := len(p.ListItems())
	p.Click("button", NameAddAccount)
	p.Fill("textbox", NameSecretKey, uri)
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		issuer, name := p.Find("textbox", NameIssuer).Value(), p.Find("textbox", NameAccountName).Value()
		if issuer == wantIssuer && name == wantName {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("pasting the URI filled issuer %q and account name %q, want %q and %q", issuer, name, wantIssuer, wantName)
		}
	}
	p.Click("button", NameSave)
	p.WaitListItems(before + 1)
}

// AddAccountByHand adds an account by typing secret, issuer and account name, saves, and
// waits until the list has one more item.
func (p *Popup) AddAccountByHand(secret, issuer, name string) {
	p.t.Helper()
	before := len(p.ListItems())
	p.Click("button", NameAddAccount)
	p.Fill("textbox", NameSecretKey, secret)
	p.Fill("textbox", NameIssuer, issuer)
	p.Fill("textbox", NameAccountName, name)
	p.Click("button", NameSave)
	p.WaitListItems(before + 1)
}

// Account is one list item of the unlocked popup.
type Account struct {
	Node *Node  // the listitem
	Text string // its visible text
	Code string // the code shown in it, spaces removed ("" if none is visible)
}

// codePattern finds a numeric code of 6 to 10 digits, optionally split once by a space, in
// an item's text (a countdown of a few digits does not match).
var codePattern = regexp.MustCompile(`(^|[^\d])(\d{3,5} \d{3,5}|\d{6,10})($|[^\d])`)

// CodeIn returns the numeric code in text with spaces removed, or "".
func CodeIn(text string) string {
	m := codePattern.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[2], " ", "")
}

// Accounts returns the account list items as shown now.
func (p *Popup) Accounts() []Account {
	p.t.Helper()
	var out []Account
	for _, n := range p.Query("listitem", "") {
		text := n.Text()
		out = append(out, Account{Node: n, Text: text, Code: CodeIn(text)})
	}
	return out
}

// WaitAccount waits until a list item contains every one of the texts and shows a code,
// and returns it.
func (p *Popup) WaitAccount(texts ...string) Account {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
	items:
		for _, a := range p.Accounts() {
			for _, s := range texts {
				if !strings.Contains(a.Text, s) {
					continue items
				}
			}
			if a.Code != "" {
				return a
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no account item with %q and a code after %v; items: %q", texts, Timeout, p.ListItems())
		}
	}
}

// requireCode waits for the account item with texts and checks its code against the
// reference computation.
func requireCode(t testing.TB, p *Popup, secret string, o TOTPOpts, texts ...string) Account {
	t.Helper()
	a := p.WaitAccount(texts...)
	AssertTOTP(t, a.Code, secret, o)
	return a
}
