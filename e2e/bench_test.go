package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The extension's performance figures (make bench): printed, never judged — a slow shared
// machine must not fail a build. Run with CODEWARD_E2E=1 CODEWARD_BENCH=1.

const (
	benchAccounts = 50
	benchOpens    = 25
	benchUnlocks  = 10
)

func requireBench(t *testing.T) {
	t.Helper()
	RequireE2E(t)
	if os.Getenv("CODEWARD_BENCH") != "1" {
		t.Skip("benchmark: run `make bench` (or set CODEWARD_BENCH=1)")
	}
}

// firstCodeProbe runs in every document before its own scripts. It watches the DOM for the
// first list item showing a code, then waits for the next two animation frames — the first
// frame that contains the change has been painted once the second callback runs — and
// records performance.now(), which counts from the document's navigation start.
const firstCodeProbe = `(() => {
  if (!location.href.startsWith("chrome-extension://")) return;
  const code = /(^|\D)(\d{3,5} \d{3,5}|\d{6,10})($|\D)/;
  const seen = () => [...document.querySelectorAll('li, [role="listitem"]')].some((e) => code.test(e.textContent));
  const start = () => {
    const mo = new MutationObserver(() => {
      if (!seen()) return;
      mo.disconnect();
      const found = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => {
        globalThis.__codewardFirstCode = { found, painted: performance.now() };
      }));
    });
    mo.observe(document, { subtree: true, childList: true, characterData: true });
  };
  start();
})();`

// TestBenchExtension prints: popup open → first code with the worker warm and stopped
// (50 accounts), unlock time at the default Argon2id parameters, both WASM sizes raw and
// gzipped, and the background's memory after 1 and 5 unlocks.
func TestBenchExtension(t *testing.T) {
	requireBench(t)
	report := &strings.Builder{}
	fmt.Fprintf(report, "machine: %s, %d CPUs (shared), %s/%s, %s\n", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, ChromePath())

	// The core loads on every worker start; the tools only for import, export and scans.
	for _, name := range []string{"codeward.wasm", "codeward-tools.wasm"} {
		wasm, err := os.ReadFile(filepath.Join(RepoRoot(t), "build", name))
		if err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(wasm)
		zw.Close()
		fmt.Fprintf(report, "%s: %.2f MB raw, %.2f MB gzip -9\n", name, mb(len(wasm)), mb(gz.Len()))
	}

	b := StartBrowser(t, BrowserOptions{})
	fmt.Fprintf(report, "browser: %s\n", b.Version())
	p := b.OpenPopup()
	p.CreateVault(password)
	for i := range benchAccounts {
		secret := fmt.Sprintf("JBSWY3DPEHPK3PXP%016d", i)[:32]
		secret = strings.Map(func(r rune) rune { // digits 0,1,8,9 are not base32
			if r >= '0' && r <= '9' {
				return rune('A' + (r - '0'))
			}
			return r
		}, secret)
		account := map[string]any{"type": "totp", "issuer": fmt.Sprintf("Issuer %02d", i), "name": fmt.Sprintf("user%02d@example.com", i),
			"secret": secret, "algorithm": "SHA1", "digits": 6, "period": 30}
		res := Eval[map[string]any](p, `chrome.runtime.sendMessage({kind: "accounts.add", payload: {account: `+mustJSON(account)+`}})`)
		if res["ok"] != true {
			t.Fatalf("add account %d: %v", i, res)
		}
	}
	p.Reload()
	p.WaitListItems(benchAccounts)
	p.Close()

	// Popup open → first code painted, in one tab navigated away and back each time.
	tab := b.Open("about:blank")
	tab.call("install the first-code probe", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: firstCodeProbe})
		return err
	})
	openOnce := func() float64 {
		tab.Navigate("about:blank")
		tab.Navigate(b.URL(PopupPath))
		var ms float64
		for deadline := time.Now().Add(Timeout); ; time.Sleep(20 * time.Millisecond) {
			v, err := EvalErr[map[string]float64](tab, `globalThis.__codewardFirstCode ?? null`)
			if err == nil && v != nil {
				ms = v["painted"]
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no code painted after %v", Timeout)
			}
		}
		return ms
	}
	openOnce() // the first open after start pays for disk caches; not counted
	var warm, cold []float64
	for range benchOpens {
		warm = append(warm, openOnce())
	}
	for range benchOpens {
		tab.Navigate("about:blank")
		b.StopServiceWorker()
		cold = append(cold, openOnce())
	}
	fmt.Fprintf(report, "popup → first code, worker warm (%d opens, %d accounts): p50 %.0f ms, p95 %.0f ms\n", len(warm), benchAccounts, pct(warm, 50), pct(warm, 95))
	fmt.Fprintf(report, "popup → first code, worker stopped (%d opens, %d accounts): p50 %.0f ms, p95 %.0f ms\n", len(cold), benchAccounts, pct(cold, 50), pct(cold, 95))

	// Unlock at the default KDF: lock and unlock through messages, timed inside the page.
	p = b.OpenPopup()
	p.WaitState(StateUnlocked)
	w := b.Worker() // attached, so the worker (and its memory) lives through the series
	var unlock []float64
	var mem1, mem5 string
	for i := 1; i <= benchUnlocks; i++ {
		ms := Eval[float64](p, `(async () => {
			const lock = await chrome.runtime.sendMessage({kind: "vault.lock", payload: {}});
			if (!lock.ok) throw new Error("lock: " + JSON.stringify(lock.error));
			const t0 = performance.now();
			const r = await chrome.runtime.sendMessage({kind: "vault.unlock", payload: {password: `+mustJSON(password)+`}});
			if (!r.ok) throw new Error("unlock: " + JSON.stringify(r.error));
			return performance.now() - t0;
		})()`)
		unlock = append(unlock, ms)
		if i == 1 || i == 5 {
			time.Sleep(time.Second) // let the worker's microtasks and a GC run settle
			h := w.HeapUsage()
			s := fmt.Sprintf("WASM memory %.1f MB; JS heap used %.1f MB of %.1f MB; other array buffers %.1f MB",
				mb(int(w.WASMMemory())), mb(int(h.UsedSize)), mb(int(h.TotalSize)), mb(int(h.BackingStorageSize)))
			if i == 1 {
				mem1 = s
			} else {
				mem5 = s
			}
		}
	}
	fmt.Fprintf(report, "unlock (message round trip, default Argon2id, %d runs): p50 %.0f ms, p95 %.0f ms, min %.0f ms\n", len(unlock), pct(unlock, 50), pct(unlock, 95), slices.Min(unlock))
	fmt.Fprintf(report, "background memory after 1 unlock: %s\n", mem1)
	fmt.Fprintf(report, "background memory after 5 unlocks: %s\n", mem5)
	t.Log("\n" + report.String())
}

// pct is the q-th percentile (nearest rank) of xs.
func pct(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func mb(n int) float64 { return float64(n) / (1 << 20) }

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return "unknown CPU"
}
