package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestScreenshots renders the README's screenshots of the main screens, light and dark,
// into docs/screenshots/. It is not part of `make test` (it checks nothing the other tests
// do not): run it after `make` with
//
//	CODEWARD_E2E=1 CODEWARD_SCREENSHOTS=1 go test -count=1 -run TestScreenshots ./e2e
//
// and look at the pictures before committing them.
func TestScreenshots(t *testing.T) {
	if os.Getenv("CODEWARD_SCREENSHOTS") != "1" {
		t.Skip("set CODEWARD_SCREENSHOTS=1 to render docs/screenshots")
	}
	out := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	popup := func(name string) {
		t.Helper()
		p.Eval(`document.activeElement && document.activeElement.blur()`)
		shoot(t, p.Page, out, name, 360, 600)
	}
	popup("first-run")

	p.CreateVault(password)
	// A dozen accounts of services people use, with made-up names and fresh secrets.
	issuers := []struct{ issuer, name string }{
		{"GitHub", "alice"}, {"Google", "alice@example.com"}, {"Amazon", "alice@example.com"},
		{"Microsoft", "alice@outlook.example"}, {"Dropbox", "alice@example.com"}, {"Proton", "alice@proton.example"},
		{"Cloudflare", "ops@example.org"}, {"Discord", "alice#2048"}, {"GitLab", "alice"},
		{"Fastmail", "alice@fastmail.example"}, {"Reddit", "u/alice"}, {"Slack", "alice@team.example"},
	}
	for i, a := range issuers {
		secret := fmt.Sprintf("JBSWY3DPEHPK3PX%c", 'A'+i)
		send[any](t, p.Page, "accounts.add", map[string]any{"account": map[string]any{
			"type": "totp", "issuer": a.issuer, "name": a.name, "secret": secret,
			"algorithm": "SHA1", "digits": 6, "period": 30,
		}})
	}
	p.WaitListItems(len(issuers))
	popup("accounts")

	p.Click("button", NameAddAccount)
	p.Find("textbox", NameSecretKey)
	popup("add-account")

	bp := b.OpenExtensionPage(BackupPage)
	bp.Find("button", NameCreateBackup)
	bp.Eval(`document.activeElement && document.activeElement.blur()`)
	shoot(t, bp, out, "backup", 800, 900)

	ip := b.OpenExtensionPage(ImportPage + "#import")
	ip.Find("button", NamePreview)
	ip.Eval(`document.activeElement && document.activeElement.blur()`)
	shoot(t, ip, out, "import", 800, 900)

	p = b.OpenPopup()
	p.WaitState(StateUnlocked)
	p.Lock()
	popup("locked")
}

// shoot saves the page at width×height as NAME-light.png and NAME-dark.png in dir.
func shoot(t *testing.T, p *Page, dir, name string, width, height int64) {
	t.Helper()
	for _, scheme := range []string{"light", "dark"} {
		ctx, cancel := context.WithTimeout(p.Context(), Timeout)
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: height, DeviceScaleFactor: 1,
		})
		if err == nil {
			_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
		}
		var png page.CaptureScreenshotResult
		if err == nil {
			png, err = chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{})
		}
		cancel()
		if err != nil {
			t.Fatalf("screenshot %s (%s): %v", name, scheme, err)
		}
		path := filepath.Join(dir, name+"-"+scheme+".png")
		if err := os.WriteFile(path, png.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d KB", path, len(png.Data)/1024)
	}
}
