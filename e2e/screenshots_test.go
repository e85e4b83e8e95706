package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"sort"
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
	p.Find("button", "Restore from backup") // the first run's extras are painted after the form
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
	// As if the accounts were backed up already: the list without the reminder above it.
	send[any](t, p.Page, "backup.done", map[string]any{"seq": 1 << 30})
	p.WaitListItems(len(issuers))
	p.WaitGone("button", "Back up now")
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
		data, err := smallPNG(png.Data)
		if err != nil {
			t.Fatalf("screenshot %s (%s): %v", name, scheme, err)
		}
		path := filepath.Join(dir, name+"-"+scheme+".png")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d KB", path, len(data)/1024)
	}
}

// smallPNG re-encodes a screenshot with a palette of its 256 most used colours (bucketed to
// 5 bits a channel), which keeps flat UI pictures sharp at about half the bytes.
func smallPNG(data []byte) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	counts := map[color.RGBA]int{}
	bounds := src.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := src.At(x, y).RGBA()
			counts[color.RGBA{uint8(r>>8) &^ 7, uint8(g>>8) &^ 7, uint8(b>>8) &^ 7, 255}]++
		}
	}
	colors := make([]color.RGBA, 0, len(counts))
	for c := range counts {
		colors = append(colors, c)
	}
	sort.Slice(colors, func(i, j int) bool {
		if counts[colors[i]] != counts[colors[j]] {
			return counts[colors[i]] > counts[colors[j]]
		}
		return fmt.Sprint(colors[i]) < fmt.Sprint(colors[j])
	})
	pal := color.Palette{}
	for i := 0; i < len(colors) && i < 256; i++ {
		c := colors[i]
		pal = append(pal, color.RGBA{c.R | c.R>>5, c.G | c.G>>5, c.B | c.B>>5, 255})
	}
	dst := image.NewPaletted(bounds, pal)
	draw.Draw(dst, bounds, src, bounds.Min, draw.Src)
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, dst); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
