package e2e

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// The issue 5 acceptance tests: codes filled into login pages served on 127.0.0.1 and on
// localhost — two different sites — by a test build that holds host access to both (the
// stand-in for the user's click on a permission prompt, which headless Chromium never shows).

const (
	afSecret   = "KRSXG5CTMVRXEZLUKN2XAZLDOJSXI4Q" // base32, 155 bits: odd lengths are fine
	afIssuer   = "Example"
	afName     = "alice@example.com"
	afHOTP     = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // RFC 4226 test key
	afHOTPName = "counter@example.com"

	nameSites    = "Sites"
	nameFill     = "Fill"
	nameAutoFill = "Fill codes automatically"
)

type autofillEnv struct {
	b     *Browser
	p     *Popup
	bound string // http://127.0.0.1:PORT — the account's site
	other string // http://localhost:PORT — the same server under another site
}

// newAutofillEnv serves e2e/testdata/autofill, starts the host-access test build, creates a
// vault and adds one TOTP account bound to the 127.0.0.1 site.
func newAutofillEnv(t *testing.T) *autofillEnv {
	t.Helper()
	RequireE2E(t)
	files, err := filepath.Glob(filepath.Join("testdata", "autofill", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no login pages in testdata/autofill: %v", err)
	}
	pages := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages["/"+filepath.Base(f)] = string(b)
	}
	base := ServePages(t, pages)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	dir := CopyExtension(t, WithHostPermissions("http://127.0.0.1/*", "http://localhost/*"))
	b := StartBrowser(t, BrowserOptions{ExtDir: dir})
	p := b.OpenPopup()
	p.CreateVault(password)
	env := &autofillEnv{b: b, p: p, bound: base, other: "http://localhost:" + u.Port()}
	env.addAccount(t, afSecret, afIssuer, afName, u.Host, false)
	return env
}

// addAccount adds an account through the form, typing its Sites; hotp opens the advanced
// options and picks the counter-based type.
func (e *autofillEnv) addAccount(t *testing.T, secret, issuer, name, sites string, counter bool) {
	t.Helper()
	p := e.p
	before := len(p.ListItems())
	p.Click("button", NameAddAccount)
	p.Fill("textbox", NameSecretKey, secret)
	p.Fill("textbox", NameIssuer, issuer)
	p.Fill("textbox", NameAccountName, name)
	if counter {
		Eval[bool](p, `(() => {
			document.querySelector("#account-form details").open = true;
			const type = document.getElementById("f-type");
			type.value = "hotp";
			type.dispatchEvent(new Event("change", {bubbles: true}));
			return true;
		})()`)
	}
	p.Fill("textbox", nameSites, sites)
	p.Click("button", NameSave)
	p.WaitListItems(before + 1)
}

// account returns the popup's list item whose text contains name.
func (e *autofillEnv) account(t *testing.T, name string) *Node {
	t.Helper()
	return e.p.WaitAccount(name).Node
}

// waitValue polls a JavaScript expression in page until it is a non-empty string.
func waitValue(t *testing.T, page *Page, expr string) string {
	t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(100 * time.Millisecond) {
		v, err := EvalErr[string](page, expr)
		if err == nil && v != "" {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed empty on %s (last error: %v)", expr, page.URL(), err)
		}
	}
}

// assertStaysEmpty checks, for a short while, that expr stays "" on page. Used after a
// positive fill elsewhere has shown that the extension has had every chance to act.
func assertStaysEmpty(t *testing.T, page *Page, expr string) {
	t.Helper()
	for i := 0; i < 10; i++ {
		if v := Eval[string](page, expr); v != "" {
			t.Fatalf("%s on %s = %q, want it left empty", expr, page.URL(), v)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// activate brings page's tab to the front, as a person looking at it would have it.
func activate(t *testing.T, page *Page) {
	t.Helper()
	c := chromedp.FromContext(page.Context())
	if c == nil || c.Target == nil {
		t.Fatal("page has no target")
	}
	ctx, cancel := context.WithTimeout(page.Browser().Context(), Timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, target.ActivateTarget, target.ActivateTargetParams{TargetID: c.Target.TargetID}); err != nil {
		t.Fatalf("activate tab: %v", err)
	}
}

func TestAutofill(t *testing.T) {
	env := newAutofillEnv(t)

	const iframeValue = `document.getElementById("frame").contentDocument?.getElementById("otp")?.value ?? ""`
	splitValue := `[...document.querySelectorAll(".boxes input")].map((b) => b.value).join("")`
	auto := []struct {
		page  string
		value string // expression for what the page received
		also  string // a second view of the same value that must agree ("" = none)
	}{
		{"otc.html", `document.getElementById("code").value`, ""},
		{"github.html", `document.getElementById("app_totp").value`, ""},
		{"google.html", `document.getElementById("totpPin").value`, ""},
		{"split.html", splitValue, `document.getElementById("joined").textContent`},
		{"react.html", `document.getElementById("state").textContent`, `document.getElementById("otp").value`},
		{"late.html", `document.getElementById("mfa")?.value ?? ""`, ""},
		{"mixed.html", `document.getElementById("token").value`, ""},
		{"iframe.html", iframeValue, ""},
	}
	for _, tt := range auto {
		t.Run("auto/"+strings.TrimSuffix(tt.page, ".html"), func(t *testing.T) {
			page := env.b.Open(env.bound + "/" + tt.page)
			defer page.Close()
			activate(t, page) // the page a person looks at
			got := waitValue(t, page, tt.value)
			AssertTOTP(t, got, afSecret, TOTPOpts{})
			if tt.also != "" {
				if again := Eval[string](page, tt.also); again != got {
					t.Errorf("%s = %q, but %s = %q", tt.value, got, tt.also, again)
				}
			}
			if tt.page == "mixed.html" {
				others := Eval[map[string]string](page, `Object.fromEntries([...document.querySelectorAll("input")].filter((i) => i.id !== "token").map((i) => [i.id, i.value]))`)
				want := map[string]string{"email": "", "password": "", "pin-email": "", "search": ""}
				if mustJSON(others) != mustJSON(want) {
					t.Errorf("fields other than the code changed: %v", others)
				}
			}
		})
	}

	t.Run("unbound site gets nothing", func(t *testing.T) {
		// localhost:PORT is the same server under another site name.
		page := env.b.Open(env.other + "/otc.html")
		defer page.Close()
		// The content script runs on this page too (the test build holds access to
		// localhost): an empty field below is the background refusing, not a script absent.
		requireContentScript(t, env.b, page)
		// A bound page opened afterwards is filled: the extension is up and acting.
		ok := env.b.Open(env.bound + "/otc.html")
		AssertTOTP(t, waitValue(t, ok, `document.getElementById("code").value`), afSecret, TOTPOpts{})
		ok.Close()
		assertStaysEmpty(t, page, `document.getElementById("code").value`)
	})

	t.Run("popup fill asks before an unbound page", func(t *testing.T) {
		page := env.b.Open(env.other + "/github.html")
		defer page.Close()
		activate(t, page)
		item := env.account(t, afName)
		item.Find("button", nameFill+" "+afIssuer+" "+afName).Click()
		alert := env.p.WaitAlert()
		u, _ := url.Parse(env.other)
		wantPage, wantSite := "localhost:"+u.Port(), strings.TrimPrefix(env.bound, "http://")
		if !strings.Contains(alert, "This page is "+wantPage+", not "+wantSite) {
			t.Fatalf("warning = %q, want it to name %s and %s", alert, wantPage, wantSite)
		}
		assertStaysEmpty(t, page, `document.getElementById("app_totp").value`)
		env.p.Click("button", "Fill anyway")
		AssertTOTP(t, waitValue(t, page, `document.getElementById("app_totp").value`), afSecret, TOTPOpts{})
	})

	t.Run("popup fill with automatic fill off", func(t *testing.T) {
		p := env.p
		p.Click("button", "Menu")
		p.Click("button", "Settings")
		box := p.Find("checkbox", nameAutoFill)
		// The setting is read from the background when the form opens; it is disabled until then.
		for deadline := time.Now().Add(Timeout); !Eval[bool](p, `(() => { const b = document.querySelector("#s-autofill"); return !b.disabled && b.checked; })()`); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal(`"Fill codes automatically" is not on by default`)
			}
		}
		box.Click()
		for deadline := time.Now().Add(Timeout); ; time.Sleep(100 * time.Millisecond) {
			s := Eval[map[string]any](p, `chrome.runtime.sendMessage({kind: "autofill.settings", payload: {}}).then((r) => r.value)`)
			if s["autoFill"] == false {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("turning automatic fill off was not saved")
			}
		}
		p.Click("button", "Close")

		page := env.b.Open(env.bound + "/google.html")
		defer page.Close()
		// google.html filled itself above; with automatic fill off it must wait for the popup.
		activate(t, page)
		item := env.account(t, afName)
		assertStaysEmpty(t, page, `document.getElementById("totpPin").value`)
		item.Find("button", nameFill+" "+afIssuer+" "+afName).Click()
		AssertTOTP(t, waitValue(t, page, `document.getElementById("totpPin").value`), afSecret, TOTPOpts{})
		if n := len(p.Query("button", "Fill anyway")); n != 0 {
			t.Errorf("a bound page asked for confirmation")
		}
	})

	t.Run("hotp fill advances the counter once", func(t *testing.T) {
		u, _ := url.Parse(env.bound)
		env.addAccount(t, afHOTP, "Counter", afHOTPName, u.Host, true)
		page := env.b.Open(env.bound + "/otc.html")
		defer page.Close()
		activate(t, page)
		// Automatic fill is off (previous step) and never uses HOTP accounts anyway.
		env.account(t, afHOTPName).Find("button", nameFill+" Counter "+afHOTPName).Click()
		got := waitValue(t, page, `document.getElementById("code").value`)
		want0 := hotpCode(t, 0)
		if got != want0 {
			t.Fatalf("filled %q, want the code at counter 0 (%s)", got, want0)
		}
		// The popup now shows the code at counter 1: advanced once, and saved.
		want1 := hotpCode(t, 1)
		for deadline := time.Now().Add(Timeout); ; time.Sleep(100 * time.Millisecond) {
			if a := env.p.WaitAccount(afHOTPName); a.Code == want1 {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("popup shows %q after the fill, want the counter-1 code %s", a.Code, want1)
			}
		}
		counters := Eval[[]float64](env.p, `chrome.runtime.sendMessage({kind: "accounts.view", payload: {}}).then((r) => r.value.accounts.filter((a) => a.type === "hotp").map((a) => a.counter))`)
		if !slices.Equal(counters, []float64{1}) {
			t.Fatalf("stored counters %v, want [1]", counters)
		}
	})
}

// requireContentScript reloads page and fails unless the extension's content script ran in
// it: Chromium gives each content script an isolated world whose origin is the extension's.
func requireContentScript(t *testing.T, b *Browser, page *Page) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	err := chromedp.Listen(page.Context(), func(ev any) {
		if e, ok := ev.(*cdpruntime.EventExecutionContextCreated); ok {
			mu.Lock()
			seen = append(seen, e.Context.Origin+" "+e.Context.Name)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	page.Reload()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(100 * time.Millisecond) {
		mu.Lock()
		ran := slices.ContainsFunc(seen, func(s string) bool { return strings.HasPrefix(s, b.Origin()+" ") })
		got := slices.Clone(seen)
		mu.Unlock()
		if ran {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the content script did not run on %s (execution contexts: %q)", page.URL(), got)
		}
	}
}

func hotpCode(t *testing.T, counter uint64) string {
	t.Helper()
	c, err := hotp.GenerateCodeCustom(afHOTP, counter, hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
