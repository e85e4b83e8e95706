package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/extensions"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Timeout bounds each single wait or browser call of the harness. It is generous on purpose:
// the machines that run these tests are shared, and a slow step is not a failure (tests never
// assert on time). CODEWARD_E2E_TIMEOUT (a Go duration) overrides it.
var Timeout = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("CODEWARD_E2E_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 60 * time.Second
}()

// RequireE2E skips t unless CODEWARD_E2E=1, so that `go test ./...` never needs a browser.
func RequireE2E(t testing.TB) {
	t.Helper()
	if os.Getenv("CODEWARD_E2E") != "1" {
		t.Skip("browser test: run `make e2e` (or set CODEWARD_E2E=1 after `make`)")
	}
}

// RepoRoot is the repository root, which after `make` is the unpacked extension.
func RepoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the e2e package")
	}
	return filepath.Dir(filepath.Dir(file))
}

// ChromePath is the Chromium binary: $CHROME, else Debian's real binary (/usr/bin/chromium
// is a wrapper script that adds flags of its own).
func ChromePath() string {
	if p := os.Getenv("CHROME"); p != "" {
		return p
	}
	return "/usr/lib/chromium/chromium"
}

// BrowserOptions configures StartBrowser. Zero values mean: $CODEWARD_EXT_DIR or else the
// repo root as the extension,
// a fresh profile and a fresh download directory under t.TempDir().
type BrowserOptions struct {
	ExtDir      string         // unpacked extension to load
	Profile     string         // Chromium --user-data-dir; reuse one to keep the extension's storage
	DownloadDir string         // where chrome.downloads saves, without asking
	Flags       map[string]any // extra Chromium switches (name without "--" → value, or true)
}

// Browser is a headless Chromium with the extension loaded. Its methods fail the test on
// error; they are not safe for concurrent use.
type Browser struct {
	t           testing.TB
	opts        BrowserOptions
	ExtDir      string // absolute path of the loaded extension
	ExtID       string // the extension id (derived by Chromium from ExtDir)
	Profile     string
	DownloadDir string

	allocCancel context.CancelFunc
	ctx         context.Context // the browser's first tab; also used for browser-level calls
	cancel      context.CancelFunc
	out         *syncBuffer
	pages       []*Page
	workers     []*Worker
	closed      bool
	starts      int
}

// StartBrowser launches Chromium with the extension and waits for its service worker.
// The browser is closed when the test ends.
func StartBrowser(t testing.TB, opts BrowserOptions) *Browser {
	t.Helper()
	RequireE2E(t)
	if opts.ExtDir == "" {
		opts.ExtDir = os.Getenv("CODEWARD_EXT_DIR") // e.g. a dist/ tree
	}
	if opts.ExtDir == "" {
		opts.ExtDir = RepoRoot(t)
	}
	ext, err := filepath.Abs(opts.ExtDir)
	if err != nil {
		t.Fatal(err)
	}
	need := []string{"manifest.json"}
	if _, err := os.Stat(filepath.Join(ext, "wasm")); err == nil || ext == RepoRoot(t) {
		need = append(need, "build/codeward.wasm", "build/codeward-tools.wasm", "build/wasm_exec.js")
	}
	for _, f := range need {
		if _, err := os.Stat(filepath.Join(ext, f)); err != nil {
			t.Fatalf("extension not built: %v (run `make` first)", err)
		}
	}
	if opts.Profile == "" {
		opts.Profile = filepath.Join(t.TempDir(), "profile")
	}
	if opts.DownloadDir == "" {
		opts.DownloadDir = filepath.Join(t.TempDir(), "downloads")
	}
	b := &Browser{t: t, opts: opts, ExtDir: ext, Profile: opts.Profile, DownloadDir: opts.DownloadDir}
	t.Cleanup(func() {
		if t.Failed() {
			b.saveArtifacts()
		}
		b.Close()
	})
	b.start()
	return b
}

func (b *Browser) start() {
	t := b.t
	t.Helper()
	b.starts++
	for _, d := range []string{filepath.Join(b.Profile, "Default"), b.DownloadDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	prefsPath := filepath.Join(b.Profile, "Default", "Preferences")
	if _, err := os.Stat(prefsPath); errors.Is(err, fs.ErrNotExist) {
		// Downloads land in DownloadDir under the name the extension chose, without a prompt
		// (headless Chromium cancels every download that would prompt).
		prefs, _ := json.Marshal(map[string]any{
			"download": map[string]any{"default_directory": b.DownloadDir, "prompt_for_download": false, "directory_upgrade": true},
			"savefile": map[string]any{"default_directory": b.DownloadDir},
		})
		if err := os.WriteFile(prefsPath, prefs, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.out = &syncBuffer{}
	flags := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromePath()),
		chromedp.UserDataDir(b.Profile),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(800, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-hang-monitor", true),
		// Tabs in the background keep their timers: the popup's countdown must keep running.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("load-extension", b.ExtDir),
		chromedp.Flag("disable-extensions-except", b.ExtDir),
		chromedp.CombinedOutput(b.out),
	}
	for k, v := range b.opts.Flags {
		flags = append(flags, chromedp.Flag(k, v))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), flags...)
	bctx, bcancel := chromedp.NewContext(actx)
	b.allocCancel, b.ctx, b.cancel, b.closed = acancel, bctx, bcancel, false
	// The first run of a chromedp context ties the target's event loop to its context, so it
	// gets no timeout of its own; a watchdog fails the test if it hangs.
	if err := withWatchdog(func() error { return chromedp.Do(bctx) }); err != nil {
		t.Fatalf("start chromium: %v\n%s", err, b.out.String())
	}
	info, err := b.waitTarget(func(in *target.Info) bool {
		return in.Type == "service_worker" && strings.HasPrefix(in.URL, "chrome-extension://") &&
			(b.ExtID == "" || extensionID(in.URL) == b.ExtID)
	})
	if err != nil {
		t.Fatalf("no extension service worker appeared: %v\nbrowser output:\n%s", err, b.out.String())
	}
	b.ExtID = extensionID(info.URL)
	// Copy-to-clipboard is part of the product; let tests read the clipboard back.
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(b.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true},
			Setting:    browser.PermissionSettingGranted,
			Origin:     b.Origin(),
		}); err != nil {
			t.Logf("grant %s: %v", name, err)
		}
	}
}

// Origin is the extension's origin, chrome-extension://ID.
func (b *Browser) Origin() string { return "chrome-extension://" + b.ExtID }

// URL is the address of a file of the extension, e.g. URL("extension/popup/popup.html").
func (b *Browser) URL(path string) string { return b.Origin() + "/" + strings.TrimPrefix(path, "/") }

// PopupPath is the popup page inside the extension (manifest action.default_popup).
const PopupPath = "extension/popup/popup.html"

// Context is the browser-level chromedp context (its first tab) for calls the harness does
// not wrap, e.g. chromedp.CallBrowser(b.Context(), ...). Put a timeout on your calls.
func (b *Browser) Context() context.Context { return b.ctx }

// Output is what Chromium printed to stdout and stderr so far.
func (b *Browser) Output() string { return b.out.String() }

func extensionID(url string) string {
	return strings.SplitN(strings.TrimPrefix(url, "chrome-extension://"), "/", 2)[0]
}

// Targets lists the browser's current targets (tabs, workers, ...).
func (b *Browser) Targets() []*target.Info {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	infos, err := chromedp.Targets(ctx)
	if err != nil {
		b.t.Fatalf("list targets: %v", err)
	}
	return infos
}

func (b *Browser) waitTarget(match func(*target.Info) bool) (*target.Info, error) {
	var last error
	for deadline := time.Now().Add(Timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, Timeout)
		infos, err := chromedp.Targets(ctx)
		cancel()
		if err != nil {
			last = err
			continue
		}
		for _, in := range infos {
			if match(in) {
				return in, nil
			}
		}
	}
	if last == nil {
		last = errors.New("not found")
	}
	return nil, fmt.Errorf("after %v: %w", Timeout, last)
}

// WorkerRunning reports whether the extension's service worker is running now.
func (b *Browser) WorkerRunning() bool {
	for _, in := range b.Targets() {
		if in.Type == "service_worker" && extensionID(in.URL) == b.ExtID {
			return true
		}
	}
	return false
}

// StopServiceWorker stops the extension's service worker as Chrome does when it idles; the
// next message or alarm starts it again from scratch (fresh WASM instance, empty memory).
// Attached Worker handles are detached first, since an attached DevTools session keeps a
// worker alive.
func (b *Browser) StopServiceWorker() {
	b.t.Helper()
	for _, w := range b.workers {
		w.cancel()
	}
	b.workers = nil
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, serviceworker.Enable, cdp.Empty{}); err != nil {
		b.t.Fatalf("ServiceWorker.enable: %v", err)
	}
	if _, err := chromedp.Call(ctx, serviceworker.StopAllWorkers, cdp.Empty{}); err != nil {
		b.t.Fatalf("ServiceWorker.stopAllWorkers: %v", err)
	}
	for deadline := time.Now().Add(Timeout); b.WorkerRunning(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.t.Fatalf("service worker still running %v after stopAllWorkers", Timeout)
		}
	}
}

// Storage dumps one storage area of the extension ("local" or "session") as raw JSON
// values by key, through CDP Extensions.getStorageItems (which needs an extension target:
// it uses an open extension page, or attaches to the worker).
func (b *Browser) Storage(area string) map[string]json.RawMessage {
	b.t.Helper()
	var target context.Context
	for i := len(b.pages) - 1; i >= 0 && target == nil; i-- {
		if p := b.pages[i]; !p.closed && strings.HasPrefix(p.URL(), b.Origin()) {
			target = p.ctx
		}
	}
	if target == nil {
		target = b.Worker().ctx
	}
	ctx, cancel := context.WithTimeout(target, Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, extensions.GetStorageItems, extensions.GetStorageItemsParams{
		ID: b.ExtID, StorageArea: extensions.StorageArea(area),
	})
	if err != nil {
		b.t.Fatalf("Extensions.getStorageItems(%s): %v", area, err)
	}
	items := map[string]json.RawMessage{}
	if len(res.Data) > 0 {
		if err := json.Unmarshal(res.Data, &items); err != nil {
			b.t.Fatalf("decode storage.%s: %v", area, err)
		}
	}
	return items
}

// StorageJSON is Storage as one JSON document, for searching through everything stored.
func (b *Browser) StorageJSON(area string) string {
	b.t.Helper()
	data, err := json.Marshal(b.Storage(area))
	if err != nil {
		b.t.Fatal(err)
	}
	return string(data)
}

// Restart closes the browser gracefully (so the profile is flushed to disk) and launches it
// again on the same profile and extension. Pages and workers of the old run are closed.
func (b *Browser) Restart() {
	b.t.Helper()
	b.Close()
	b.start()
}

// Close closes the browser gracefully; StartBrowser's cleanup calls it too.
func (b *Browser) Close() {
	if b.closed {
		return
	}
	b.closed = true
	for _, w := range b.workers {
		w.cancel()
	}
	for i := len(b.pages) - 1; i >= 0; i-- {
		b.pages[i].Close()
	}
	b.workers, b.pages = nil, nil
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	if err := chromedp.Cancel(ctx); err != nil && !errors.Is(err, context.Canceled) {
		b.t.Logf("close chromium: %v", err)
	}
	cancel()
	b.cancel()
	b.allocCancel()
}

// Worker is an attached handle on the extension's service worker (for Eval and HeapUsage).
type Worker struct {
	b      *Browser
	ctx    context.Context
	cancel context.CancelFunc
}

// Worker attaches to the running service worker. Attach only to a worker that has already
// answered a message (an open popup has talked to it): attaching while its script is still
// starting can hang. The handle is detached by StopServiceWorker, Restart and Close; while
// it is attached the worker does not idle out.
func (b *Browser) Worker() *Worker {
	b.t.Helper()
	info, err := b.waitTarget(func(in *target.Info) bool {
		return in.Type == "service_worker" && extensionID(in.URL) == b.ExtID
	})
	if err != nil {
		b.t.Fatalf("no service worker target: %v", err)
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(info.TargetID))
	if err := withWatchdog(func() error { return chromedp.Do(ctx) }); err != nil {
		cancel()
		b.t.Fatalf("attach to the service worker: %v", err)
	}
	w := &Worker{b: b, ctx: ctx, cancel: cancel}
	b.workers = append(b.workers, w)
	return w
}

func (w *Worker) evalContext() (context.Context, testing.TB) { return w.ctx, w.b.t }

// withWatchdog runs f, which must not get a timeout of its own (a chromedp context's first
// run), and gives up after Timeout.
func withWatchdog(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(Timeout):
		return fmt.Errorf("no answer after %v", Timeout)
	}
}

// artifactDir is e2e/.artifacts (ignored by git): screenshots, accessibility trees and
// browser output of failed tests.
func artifactDir(t testing.TB) string {
	dir := filepath.Join(RepoRoot(t), "e2e", ".artifacts")
	_ = os.MkdirAll(dir, 0o755)
	return dir
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// artifactPath names a file for this test in e2e/.artifacts.
func artifactPath(t testing.TB, suffix string) string {
	return filepath.Join(artifactDir(t), unsafeName.ReplaceAllString(t.Name(), "_")+"-"+suffix)
}

func (b *Browser) saveArtifacts() {
	if b.closed {
		return
	}
	for i, p := range b.pages {
		if !p.closed {
			p.saveArtifacts(fmt.Sprintf("run%d-page%d", b.starts, i+1))
		}
	}
	path := artifactPath(b.t, fmt.Sprintf("run%d-chromium.log", b.starts))
	if err := os.WriteFile(path, []byte(b.out.String()), 0o644); err == nil {
		b.t.Logf("browser output saved to %s", path)
	}
}

// syncBuffer collects the browser's output from chromedp's reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// HeapUsage is the worker isolate's memory: the JavaScript heap (UsedSize, TotalSize) and
// the backing stores of ArrayBuffers (BackingStorageSize), which include WebAssembly memory.
func (w *Worker) HeapUsage() cdpruntime.GetHeapUsageResult {
	w.b.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, cdpruntime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		w.b.t.Fatalf("Runtime.getHeapUsage: %v", err)
	}
	return res
}

// WASMMemory is the total size of every live WebAssembly.Memory in the worker (the Go
// core's linear memory, which grows and never shrinks), found through the heap with
// Runtime.queryObjects.
func (w *Worker) WASMMemory() int64 {
	w.b.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, Timeout)
	defer cancel()
	const group = "e2e-wasm-memory"
	defer chromedp.Call(ctx, cdpruntime.ReleaseObjectGroup, cdpruntime.ReleaseObjectGroupParams{ObjectGroup: group})
	proto, err := chromedp.Call(ctx, cdpruntime.Evaluate, cdpruntime.EvaluateParams{Expression: "WebAssembly.Memory.prototype", ObjectGroup: group})
	if err != nil || proto.Result == nil || proto.Result.ObjectID == "" {
		w.b.t.Fatalf("WebAssembly.Memory.prototype: %v", err)
	}
	objs, err := chromedp.Call(ctx, cdpruntime.QueryObjects, cdpruntime.QueryObjectsParams{PrototypeObjectID: proto.Result.ObjectID, ObjectGroup: group})
	if err != nil {
		w.b.t.Fatalf("Runtime.queryObjects: %v", err)
	}
	sum, err := chromedp.Call(ctx, cdpruntime.CallFunctionOn, cdpruntime.CallFunctionOnParams{
		FunctionDeclaration: `function() { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }`,
		ObjectID:            objs.Objects.ObjectID, ReturnByValue: new(true), ObjectGroup: group,
	})
	if err != nil || sum.ExceptionDetails != nil {
		w.b.t.Fatalf("sum WebAssembly memories: %v %v", err, sum.ExceptionDetails)
	}
	var n int64
	if err := json.Unmarshal(sum.Result.Value, &n); err != nil {
		w.b.t.Fatalf("sum WebAssembly memories: %v", err)
	}
	return n
}

// Version is the browser's product and version, e.g. "Chrome/156.0.8078.108".
func (b *Browser) Version() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		b.t.Fatalf("Browser.getVersion: %v", err)
	}
	return v.Product
}
