package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// TestBenchPopupVariants compares variants of the popup's first paint in one run: a
// change of a few ms is below the run-to-run noise of TestBenchExtension on a busy two-core
// machine, but shows when the variants are opened in turn, round after round, next to the
// empty page and the one-module page.
//
// CODEWARD_BENCH_POPUP_VARIANTS=DIR: every file in DIR is copied into the bench's copy of
// extension/popup/ (so relative imports work as from paint.js), and every *.html in DIR is
// a variant page, opened as popup.html is. Copies of paint.js that are variants must not
// import popup.js, which would load the real paint.js a second time: compare against a
// copy of the current paint.js made the same way. CODEWARD_BENCH_ACCOUNTS (the first size
// only; default 50) and CODEWARD_BENCH_OPENS (rounds; default 40). CODEWARD_BENCH_TRACE=1
// also writes one Chrome trace of a single open of each page to e2e/.artifacts (for
// Perfetto or chrome://tracing).
func TestBenchPopupVariants(t *testing.T) {
	requireBench(t)
	dir := os.Getenv("CODEWARD_BENCH_POPUP_VARIANTS")
	if dir == "" {
		t.Skip("set CODEWARD_BENCH_POPUP_VARIANTS to a directory of popup variants")
	}
	ext := CopyExtension(t, nil)
	benchAddFloorPages(t, ext)
	pages := []string{emptyPagePath, scriptPagePath, PopupPath}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if err := copyFile(filepath.Join(dir, e.Name()), filepath.Join(ext, "extension", "popup", e.Name())); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), ".html") {
			pages = append(pages, "extension/popup/"+e.Name())
		}
	}
	rounds := benchEnvInt("CODEWARD_BENCH_OPENS", 40)

	b := StartBrowser(t, BrowserOptions{ExtDir: ext})
	benchFillVault(t, b, benchSizes()[0])
	tab := benchProbeTab(b)
	phases := map[string]map[string][]float64{}
	for _, path := range pages { // the first opens pay for disk caches; not counted
		if _, ok := benchFirstCode(tab, b, path); !ok {
			t.Fatalf("%s: nothing on screen within %v", path, Timeout)
		}
	}
	report := &strings.Builder{}
	fmt.Fprintf(report, "%d accounts, %d rounds; load average at start: %s\n", benchSizes()[0], rounds, loadAverage())
	for r := range rounds {
		for i := range pages {
			path := pages[(i+r)%len(pages)] // each page in every position in turn
			v, ok := benchFirstCode(tab, b, path)
			if !ok {
				t.Fatalf("%s: nothing on screen within %v", path, Timeout)
			}
			if phases[path] == nil {
				phases[path] = map[string][]float64{}
			}
			for k, x := range v {
				phases[path][k] = append(phases[path][k], x)
			}
		}
	}
	fmt.Fprintf(report, "load average at end: %s\n", loadAverage())
	empty := pct(phases[emptyPagePath]["visible"], 50)
	for _, path := range pages {
		vis := phases[path]["visible"]
		fmt.Fprintf(report, "%s: first code on screen p25 %.0f, p50 %.0f, p75 %.0f ms; p50 / empty page's %.2f×\n",
			strings.TrimPrefix(path, "extension/"), pct(vis, 25), pct(vis, 50), pct(vis, 75), pct(vis, 50)/empty)
	}
	for _, path := range pages {
		keys := slices.Collect(maps.Keys(phases[path]))
		slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(pct(phases[path][a], 50), pct(phases[path][b], 50)) })
		fmt.Fprintf(report, "milestones of %s (p50, ms from navigation start):", strings.TrimPrefix(path, "extension/"))
		for _, k := range keys {
			if k != "visibleFallback" {
				fmt.Fprintf(report, " %s %.1f;", k, pct(phases[path][k], 50))
			}
		}
		fmt.Fprintln(report)
	}
	t.Log("\n" + report.String())

	if os.Getenv("CODEWARD_BENCH_TRACE") == "1" {
		for _, path := range pages {
			out := artifactPath(t, strings.TrimSuffix(filepath.Base(path), ".html")+"-trace.json")
			benchTrace(t, tab, b, path, out)
			t.Logf("trace of one open of %s: %s", path, out)
		}
	}
}

// benchTrace writes a Chrome trace (JSON, every process) of one open of path to out.
func benchTrace(t *testing.T, tab *Page, b *Browser, path, out string) {
	t.Helper()
	var mu sync.Mutex
	var events []json.RawMessage
	done := make(chan struct{})
	var complete sync.Once
	tab.Navigate("about:blank")
	listen, stop := context.WithCancel(tab.ctx)
	defer stop()
	if err := chromedp.Listen(listen, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			defer mu.Unlock()
			for _, v := range e.Value {
				if raw, err := json.Marshal(v); err == nil {
					events = append(events, raw)
				}
			}
		case *tracing.EventTracingComplete:
			complete.Do(func() { close(done) })
		}
	}); err != nil {
		t.Fatal(err)
	}
	categories := []string{"devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame",
		"blink", "blink.user_timing", "cc", "viz", "gpu", "toplevel", "loading", "navigation", "v8", "benchmark"}
	tab.call("start tracing", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, tracing.Start, tracing.StartParams{
			TransferMode: tracing.StartTransferModeReportEvents,
			TraceConfig:  &tracing.TraceConfig{IncludedCategories: categories},
		})
		return err
	})
	benchFirstCode(tab, b, path)
	tab.call("end tracing", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, tracing.End, cdp.Empty{})
		return err
	})
	select {
	case <-done:
	case <-time.After(Timeout):
		t.Fatalf("the trace of %s did not complete within %v", path, Timeout)
	}
	mu.Lock()
	defer mu.Unlock()
	trace, err := json.Marshal(map[string]any{"traceEvents": events})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, trace, 0o644); err != nil {
		t.Fatal(err)
	}
}
