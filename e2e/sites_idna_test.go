package e2e

import (
	"strings"
	"testing"
)

// TestSitesTypedInUnicode: in the extension the core maps host names with the browser's own
// URL parser under x/net/idna's Lookup rules (internal/sites/idna.go), not with x/net/idna.
// Sites typed in Unicode are stored in their ASCII form, as the native build stores them;
// a name those rules refuse (a label ending in a hyphen once decoded, which the URL parser
// alone accepts) is refused with the plain message.
func TestSitesTypedInUnicode(t *testing.T) {
	RequireE2E(t)
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.CreateVault(password)

	p.Click("button", NameAddAccount)
	p.Fill("textbox", NameSecretKey, afSecret)
	p.Fill("textbox", NameIssuer, "Books")
	p.Fill("textbox", NameAccountName, "idn@example.com")
	p.Fill("textbox", nameSites, "bücher-.de")
	p.Click("button", NameSave)
	if alert := p.WaitAlert(); !strings.Contains(alert, "not a web address Codeward can use") {
		t.Fatalf("a site ending in a hyphen was answered with %q", alert)
	}
	p.Fill("textbox", nameSites, "https://www.BÜCHER.de/login, 例え.jp")
	p.Click("button", NameSave)
	a := p.WaitAccount("idn@example.com")
	a.Node.Find("button", "More actions for Books idn@example.com").Click()
	p.Click("menuitem", "Edit")
	if sites := p.Find("textbox", nameSites).Value(); sites != "xn--bcher-kva.de, xn--r8jz45g.jp" {
		t.Errorf("Sites typed in Unicode are stored as %q, want xn--bcher-kva.de, xn--r8jz45g.jp", sites)
	}
	p.Click("button", "Cancel")
}
