package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHarness checks the harness itself against a minimal fixture extension
// (testdata/harness-ext), so that a broken helper shows up here and not as a puzzling
// product failure.
func TestHarness(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{ExtDir: "testdata/harness-ext"})
	p := b.OpenExtensionPage("page.html")

	for deadline := time.Now().Add(Timeout); !slices.Contains(p.Console(), `console.warning: "fixture page ready"`); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("console not recorded: %q", p.Console())
		}
	}
	if n := p.Query("button", "Hidden button"); len(n) != 0 {
		t.Errorf("a hidden button was found by role and name: %v", n)
	}
	p.Click("button", "Keep")
	if got := p.WaitAlert(); got != "Type a note first." {
		t.Errorf("alert %q", got)
	}
	p.Fill("textbox", "Note", "first note")
	p.Enter()
	if got := p.WaitListItems(1); !slices.Equal(got, []string{"first note"}) {
		t.Errorf("list items %q", got)
	}
	if got := p.AlertText(); got != "" {
		t.Errorf("alert still shown: %q", got)
	}
	if n := p.Find("list", "Notes").Query("listitem", ""); len(n) != 1 {
		t.Errorf("list items inside the list: %v", n)
	}

	p.Click("button", "Copy note")
	p.Find("button", "Copied")
	if got := Eval[string](p, `navigator.clipboard.readText()`); got != "first note" {
		t.Errorf("clipboard %q", got)
	}

	type hello struct{ Started, Handled float64 }
	first := Eval[hello](p, `chrome.runtime.sendMessage({kind: "hello", text: "hi"})`)
	if got := b.Storage("session")["seen"]; string(got) != `"hi"` {
		t.Errorf("storage.session seen = %s", got)
	}
	if got := b.StorageJSON("local"); !strings.Contains(got, "first note") {
		t.Errorf("storage.local = %s", got)
	}
	w := b.Worker()
	if got := Eval[string](w, `typeof chrome.runtime.id`); got != "string" {
		t.Errorf("worker eval: %q", got)
	}
	if h := w.HeapUsage(); h.UsedSize <= 0 {
		t.Errorf("worker heap usage %+v", h)
	}
	if n := w.WASMMemory(); n != 2*65536 {
		t.Errorf("worker WASM memory %d bytes, want %d", n, 2*65536)
	}
	if v := b.Version(); !strings.HasPrefix(v, "Chrome/") {
		t.Errorf("browser version %q", v)
	}

	b.StopServiceWorker()
	again := Eval[hello](p, `chrome.runtime.sendMessage({kind: "hello", text: "again"})`)
	if again.Started == first.Started || again.Handled != 1 {
		t.Errorf("worker not restarted: before %+v, after %+v", first, again)
	}

	b.Restart()
	p = b.OpenExtensionPage("page.html")
	if got := p.WaitListItems(1); !slices.Equal(got, []string{"first note"}) {
		t.Errorf("after restart, list items %q", got)
	}
	if got := b.StorageJSON("session"); got != "{}" {
		t.Errorf("storage.session survived a restart: %s", got)
	}
}

func TestCopyExtension(t *testing.T) {
	dir := copyExtensionFrom(t, "testdata/harness-ext", WithHostPermissions("http://127.0.0.1/*"))
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		HostPermissions []string `json:"host_permissions"`
		Name            string   `json:"name"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.HostPermissions, []string{"http://127.0.0.1/*"}) || m.Name == "" {
		t.Errorf("edited manifest: %+v", m)
	}
	for _, f := range []string{"bg.js", "page.html", "page.js"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}
