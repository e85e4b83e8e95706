package e2e

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoProgramThatExitsEarly: a Go program that exits before it publishes its bridge (as
// the import tools would if they failed while starting) makes startGoProgram
// (extension/shared/go-program.js) fail with a plain error instead of waiting for good,
// which would leave the import page's read (and its progress message) hanging.
func TestGoProgramThatExitsEarly(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module exits\n\ngo 1.21\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", "exits.wasm", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=-trimpath")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building a program that exits at once: %v\n%s", err, out)
	}
	wasm, err := os.ReadFile(filepath.Join(dir, "exits.wasm"))
	if err != nil {
		t.Fatal(err)
	}

	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	pg := openImportPage(t, b, p, NameImport, "#import")
	got := Eval[struct {
		Settled bool
		Error   string
	}](pg, `(async () => {
		const { startGoProgram } = await import("../shared/go-program.js");
		const bytes = Uint8Array.from(atob(`+mustJSON(base64.StdEncoding.EncodeToString(wasm))+`), (c) => c.charCodeAt(0));
		const url = URL.createObjectURL(new Blob([bytes], { type: "application/wasm" }));
		const outcome = startGoProgram(url, "exitsEarly").then(() => ({settled: true, error: ""}), (e) => ({settled: true, error: String(e && e.message)}));
		// A program that exits settles at once; one that never does would hold this test until
		// its own time-out, so give it ample time and then report that it did not.
		return Promise.race([outcome, new Promise((r) => setTimeout(() => r({settled: false, error: ""}), 20000))]);
	})()`)
	if !got.Settled {
		t.Fatal("startGoProgram never settled for a Go program that exited before publishing its bridge")
	}
	if !strings.Contains(got.Error, "exited before it started") {
		t.Fatalf("startGoProgram of a program that exits at once: error %q, want one saying it exited before it started", got.Error)
	}
}
