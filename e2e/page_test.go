package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Page is a browser tab. Its methods fail the test on error.
type Page struct {
	b      *Browser
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc
	closed bool

	mu      sync.Mutex
	console []string
}

// OpenPopup opens the extension's popup page in a new tab (headless Chromium has no toolbar
// to click; the popup page as a tab is what a user's popup shows).
func (b *Browser) OpenPopup() *Popup {
	b.t.Helper()
	return &Popup{Page: b.OpenExtensionPage(PopupPath)}
}

// OpenExtensionPage opens a page of the extension, e.g. "extension/backup/backup.html".
func (b *Browser) OpenExtensionPage(path string) *Page {
	b.t.Helper()
	return b.Open(b.URL(path))
}

// Open opens url in a new tab and waits for it to load.
func (b *Browser) Open(url string) *Page {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	p := &Page{b: b, t: b.t, ctx: ctx, cancel: cancel}
	b.pages = append(b.pages, p)
	// The first run creates the tab and ties its event loop to ctx: no timeout on it.
	if err := withWatchdog(func() error { return chromedp.Do(ctx) }); err != nil {
		b.t.Fatalf("open a tab: %v", err)
	}
	// Every tab behaves as the focused one, as a popup is: focus, :focus-visible and the
	// clipboard work in background tabs too.
	if err := chromedp.Listen(ctx, p.record); err != nil {
		b.t.Fatalf("listen to the tab's console: %v", err)
	}
	p.call("focus emulation", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})
	p.Navigate(url)
	return p
}

// record keeps the page's console messages and uncaught exceptions (see Console).
func (p *Page) record(ev any) {
	var line string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var args []string
		for _, a := range ev.Args {
			if len(a.Value) > 0 {
				args = append(args, string(a.Value))
			} else {
				args = append(args, a.Description)
			}
		}
		line = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		line = "uncaught: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			line += " " + d.Exception.Description
		}
		line += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	default:
		return
	}
	p.mu.Lock()
	p.console = append(p.console, line)
	p.mu.Unlock()
}

// Console is what the page logged to its console, and its uncaught exceptions, so far.
func (p *Page) Console() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.console)
}

// call runs f with a Timeout-bounded context and fails the test with what on error.
func (p *Page) call(what string, f func(ctx context.Context) error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if err := f(ctx); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// Navigate loads url in this tab and waits for the load event.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.call("navigate to "+url, func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.Navigate(url)) })
}

// Reload reloads the page and waits for the load event.
func (p *Page) Reload() {
	p.t.Helper()
	p.call("reload", func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.Reload()) })
}

// URL is the tab's current address.
func (p *Page) URL() string {
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return ""
	}
	return u
}

// Close closes the tab.
func (p *Page) Close() {
	if p.closed {
		return
	}
	p.closed = true
	p.cancel()
}

// Context is the tab's chromedp context for calls the harness does not wrap. Put a timeout
// on your calls.
func (p *Page) Context() context.Context { return p.ctx }

// Browser is the browser the tab belongs to.
func (p *Page) Browser() *Browser { return p.b }

func (p *Page) evalContext() (context.Context, testing.TB) { return p.ctx, p.t }

// Evaluator is a target JavaScript can run in: a *Page or a *Worker.
type Evaluator interface {
	evalContext() (context.Context, testing.TB)
}

// EvalErr evaluates the JavaScript expression expr in e, awaits it if it is a promise, and
// decodes its JSON value into T. It runs as if the user had just clicked (user gesture).
func EvalErr[T any](e Evaluator, expr string) (T, error) {
	var zero T
	pctx, _ := e.evalContext()
	ctx, cancel := context.WithTimeout(pctx, Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression: expr, AwaitPromise: new(true), ReturnByValue: new(true), UserGesture: new(true),
	})
	if err != nil {
		return zero, err
	}
	if res.ExceptionDetails != nil {
		msg := res.ExceptionDetails.Text
		if ex := res.ExceptionDetails.Exception; ex != nil && ex.Description != "" {
			msg = ex.Description
		}
		return zero, fmt.Errorf("javascript: %s", msg)
	}
	var v T
	if res.Result == nil || len(res.Result.Value) == 0 {
		return zero, nil // undefined
	}
	if err := json.Unmarshal(res.Result.Value, &v); err != nil {
		return zero, fmt.Errorf("decode %s: %w", res.Result.Value, err)
	}
	return v, nil
}

// Eval is EvalErr that fails the test on error.
func Eval[T any](e Evaluator, expr string) T {
	_, t := e.evalContext()
	t.Helper()
	v, err := EvalErr[T](e, expr)
	if err != nil {
		t.Fatalf("eval %.80q: %v", expr, err)
	}
	return v
}

// Node is an element found through the accessibility tree.
type Node struct {
	p       *Page
	Backend cdp.BackendNodeID
	Role    string // computed role, e.g. "button", "textbox", "listitem"
	Name    string // computed accessible name
}

func (n *Node) String() string { return fmt.Sprintf("%s %q", n.Role, n.Name) }

// Query returns the nodes with this role and accessible name ("" = any name) that the
// accessibility tree exposes now, in document order, without waiting.
func (p *Page) Query(role, name string) []*Node {
	p.t.Helper()
	return p.query(0, role, name)
}

func (p *Page) query(root cdp.BackendNodeID, role, name string) []*Node {
	p.t.Helper()
	var nodes []*Node
	p.call(fmt.Sprintf("query %s %q", role, name), func(ctx context.Context) error {
		if root == 0 {
			doc, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{Depth: new(int64(0))})
			if err != nil {
				return err
			}
			root = doc.Root.BackendNodeID
		}
		res, err := chromedp.Call(ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
			BackendNodeID: root, Role: role, AccessibleName: name,
		})
		if err != nil {
			return err
		}
		for _, ax := range res.Nodes {
			if ax.Ignored || ax.BackendDOMNodeID == 0 {
				continue
			}
			nodes = append(nodes, &Node{p: p, Backend: ax.BackendDOMNodeID, Role: axString(ax.Role), Name: axString(ax.Name)})
		}
		return nil
	})
	return nodes
}

func axString(v *accessibility.Value) string {
	if v == nil || len(v.Value) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(v.Value, &s) != nil {
		return string(v.Value)
	}
	return s
}

// Find waits until exactly one node with this role and accessible name is exposed and
// returns it. Two visible controls with one name are a finding in themselves (a screen
// reader user could not tell them apart); use FindAll or Node.Find to pick one of several.
func (p *Page) Find(role, name string) *Node {
	p.t.Helper()
	return p.find(0, role, name)
}

func (p *Page) find(root cdp.BackendNodeID, role, name string) *Node {
	p.t.Helper()
	var nodes []*Node
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		nodes = p.query(root, role, name)
		if len(nodes) == 1 {
			return nodes[0]
		}
		if time.Now().After(deadline) {
			break
		}
	}
	p.t.Fatalf("want exactly one %s named %q, found %d after %v\naccessibility tree:\n%s", role, name, len(nodes), Timeout, p.AXTree())
	return nil
}

// FindAll waits until at least one node with this role and name is exposed and returns all.
func (p *Page) FindAll(role, name string) []*Node {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		if nodes := p.Query(role, name); len(nodes) > 0 {
			return nodes
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no %s named %q after %v\naccessibility tree:\n%s", role, name, Timeout, p.AXTree())
		}
	}
}

// WaitGone waits until no node with this role and name is exposed (e.g. a form closed).
func (p *Page) WaitGone(role, name string) {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); len(p.Query(role, name)) > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			p.t.Fatalf("%s %q still shown after %v", role, name, Timeout)
		}
	}
}

// Click finds the control by role and name and clicks it.
func (p *Page) Click(role, name string) { p.t.Helper(); p.Find(role, name).Click() }

// Fill finds the text field by role and name and types text into it.
func (p *Page) Fill(role, name, text string) { p.t.Helper(); p.Find(role, name).Fill(text) }

// Press sends one key to the focused element: a character, or a key of
// github.com/chromedp/chromedp/kb such as kb.Enter, kb.Escape, kb.Tab, kb.ArrowDown.
func (p *Page) Press(key string) {
	p.t.Helper()
	p.call("press key", func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.KeyEvent(key)) })
}

// Enter presses the Enter key on the focused element (submits a form from a field).
func (p *Page) Enter() { p.t.Helper(); p.Press(kb.Enter) }

// Text is the visible text of the whole page.
func (p *Page) Text() string {
	p.t.Helper()
	return Eval[string](p, `document.body ? document.body.innerText : ""`)
}

// WaitText waits until the page's visible text contains s.
func (p *Page) WaitText(s string) {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); !strings.Contains(p.Text(), s); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			p.t.Fatalf("page never showed %q; it shows:\n%s", s, p.Text())
		}
	}
}

// WaitAlert waits for an element with role "alert" that has text, and returns the text.
// (An empty live region kept ready for messages does not count.)
func (p *Page) WaitAlert() string {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		if s := p.AlertText(); s != "" {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no alert after %v\naccessibility tree:\n%s", Timeout, p.AXTree())
		}
	}
}

// AlertText is the text of the exposed alerts now ("" if none has text).
func (p *Page) AlertText() string {
	p.t.Helper()
	var texts []string
	for _, n := range p.Query("alert", "") {
		if s := strings.TrimSpace(n.Text()); s != "" {
			texts = append(texts, s)
		}
	}
	return strings.Join(texts, "\n")
}

// ListItems returns the visible text of every exposed element with role "listitem".
func (p *Page) ListItems() []string {
	p.t.Helper()
	var out []string
	for _, n := range p.Query("listitem", "") {
		out = append(out, n.Text())
	}
	return out
}

// WaitListItems waits until at least n list items are exposed and returns their texts.
func (p *Page) WaitListItems(n int) []string {
	p.t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		if items := p.ListItems(); len(items) >= n {
			return items
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("want %d list items, have %v after %v\naccessibility tree:\n%s", n, p.ListItems(), Timeout, p.AXTree())
		}
	}
}

// Screenshot saves a PNG of the tab to e2e/.artifacts/<test>-<name>.png and returns its path.
func (p *Page) Screenshot(name string) string {
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{})
	if err != nil {
		p.t.Logf("screenshot: %v", err)
		return ""
	}
	path := artifactPath(p.t, name+".png")
	if err := os.WriteFile(path, png.Data, 0o644); err != nil {
		p.t.Logf("screenshot: %v", err)
		return ""
	}
	return path
}

// AXTree is the page's accessibility tree as indented "role "name"" lines, ignored nodes
// left out: what a screen reader user can reach.
func (p *Page) AXTree() string {
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		return "(accessibility tree unavailable: " + err.Error() + ")"
	}
	byID := map[accessibility.NodeID]*accessibility.Node{}
	for _, n := range res.Nodes {
		byID[n.NodeID] = n
	}
	var sb strings.Builder
	var walk func(id accessibility.NodeID, depth int)
	walk = func(id accessibility.NodeID, depth int) {
		n := byID[id]
		if n == nil {
			return
		}
		if !n.Ignored {
			role := axString(n.Role)
			if role != "generic" && role != "none" && role != "InlineTextBox" {
				fmt.Fprintf(&sb, "%s%s %q", strings.Repeat("  ", depth), role, axString(n.Name))
				if v := axString(n.Value); v != "" {
					fmt.Fprintf(&sb, " value=%q", v)
				}
				sb.WriteByte('\n')
				depth++
			}
		}
		for _, c := range n.ChildIDs {
			walk(c, depth)
		}
	}
	if len(res.Nodes) > 0 {
		walk(res.Nodes[0].NodeID, 0)
	}
	return sb.String()
}

func (p *Page) saveArtifacts(prefix string) {
	if path := p.Screenshot(prefix); path != "" {
		p.t.Logf("screenshot saved to %s", path)
	}
	path := artifactPath(p.t, prefix+"-a11y.txt")
	_ = os.WriteFile(path, []byte(p.URL()+"\n\n"+p.AXTree()), 0o644)
	if c := p.Console(); len(c) > 0 {
		path := artifactPath(p.t, prefix+"-console.txt")
		_ = os.WriteFile(path, []byte(strings.Join(c, "\n")+"\n"), 0o644)
		p.t.Logf("page console (%s):\n  %s", p.URL(), strings.Join(c, "\n  "))
	}
}

// Find waits for exactly one node with this role and name inside n (e.g. a button in one
// list item).
func (n *Node) Find(role, name string) *Node { n.p.t.Helper(); return n.p.find(n.Backend, role, name) }

// Query returns the nodes with this role and name inside n now.
func (n *Node) Query(role, name string) []*Node {
	n.p.t.Helper()
	return n.p.query(n.Backend, role, name)
}

// Click scrolls the element into view and clicks its centre with real mouse events, so
// whatever covers it gets the click instead, and the page sees a user activation (needed by
// the clipboard). Like a person, it aims where the element is now: when a late change of
// layout (a status line that appears once the background answers) moves the element between
// finding its box and clicking, it looks again, for up to two seconds, before clicking.
func (n *Node) Click() {
	n.p.t.Helper()
	n.p.call("click "+n.String(), func(ctx context.Context) error {
		obj, err := chromedp.Call(ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.Backend})
		if err != nil {
			return err
		}
		defer chromedp.Call(ctx, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.Object.ObjectID})
		var x, y float64
		for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if _, err := chromedp.Call(ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: n.Backend}); err != nil {
				return err
			}
			q, err := chromedp.Call(ctx, dom.GetContentQuads, dom.GetContentQuadsParams{BackendNodeID: n.Backend})
			if err != nil {
				return err
			}
			if len(q.Quads) == 0 || len(q.Quads[0]) < 8 {
				return fmt.Errorf("not rendered (no box to click)")
			}
			x, y = 0, 0
			for i := 0; i < 8; i += 2 {
				x += q.Quads[0][i] / 4
				y += q.Quads[0][i+1] / 4
			}
			res, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
				FunctionDeclaration: fmt.Sprintf(`function() { const e = document.elementFromPoint(%g, %g); return !!e && (e === this || this.contains(e) || !!(this.labels && [...this.labels].some((l) => l.contains(e)))); }`, x, y),
				ObjectID:            obj.Object.ObjectID, ReturnByValue: new(true),
			})
			if err != nil {
				return err
			}
			if string(res.Result.Value) == "true" || time.Now().After(deadline) {
				break
			}
		}
		for _, ev := range []input.DispatchMouseEventParams{
			{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y},
			{Type: input.DispatchMouseEventTypeMousePressed, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1},
			{Type: input.DispatchMouseEventTypeMouseReleased, X: x, Y: y, Button: input.MouseButtonLeft, ClickCount: 1},
		} {
			if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, ev); err != nil {
				return err
			}
		}
		return nil
	})
}

// Focus moves the keyboard focus to the element.
func (n *Node) Focus() {
	n.p.t.Helper()
	n.p.call("focus "+n.String(), func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, dom.Focus, dom.FocusParams{BackendNodeID: n.Backend})
		return err
	})
}

// Fill focuses the field, selects what it holds and types text over it (input events as
// from a keyboard; an empty text deletes the contents).
func (n *Node) Fill(text string) {
	n.p.t.Helper()
	n.Focus()
	n.call(`function() { if (typeof this.select === "function") this.select(); }`)
	n.p.call("type into "+n.String(), func(ctx context.Context) error {
		if text == "" {
			return chromedp.Do(ctx, chromedp.KeyEvent(kb.Delete))
		}
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// Select picks the option whose text is option in a <select> (combobox), as a person choosing
// it from the list does: the value changes and the page gets input and change events.
func (n *Node) Select(option string) {
	n.p.t.Helper()
	n.Focus()
	var ok bool
	label, _ := json.Marshal(option)
	_ = json.Unmarshal(n.call(`function() {
		const label = `+string(label)+`;
		const o = [...this.options].find((o) => o.text.trim() === label);
		if (!o) return false;
		this.value = o.value;
		this.dispatchEvent(new Event("input", {bubbles: true}));
		this.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	}`), &ok)
	if !ok {
		n.p.t.Fatalf("%s has no option %q", n, option)
	}
}

// Text is the element's visible text (innerText), whitespace runs collapsed to one space.
func (n *Node) Text() string {
	n.p.t.Helper()
	var s string
	_ = json.Unmarshal(n.call(`function() { return this.innerText ?? this.textContent ?? ""; }`), &s)
	return strings.Join(strings.Fields(s), " ")
}

// Value is the current value of a form field.
func (n *Node) Value() string {
	n.p.t.Helper()
	var s string
	_ = json.Unmarshal(n.call(`function() { return this.value ?? ""; }`), &s)
	return s
}

// Call runs the JavaScript function declaration fn with the element as `this` and returns
// its JSON result, e.g. n.Call(`function() { return this.getAttribute("aria-checked") }`).
func (n *Node) Call(fn string) json.RawMessage { n.p.t.Helper(); return n.call(fn) }

func (n *Node) call(fn string) json.RawMessage {
	n.p.t.Helper()
	var out json.RawMessage
	n.p.call("call on "+n.String(), func(ctx context.Context) error {
		obj, err := chromedp.Call(ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.Backend})
		if err != nil {
			return err
		}
		defer chromedp.Call(ctx, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.Object.ObjectID})
		res, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
			FunctionDeclaration: fn, ObjectID: obj.Object.ObjectID, ReturnByValue: new(true), AwaitPromise: new(true),
		})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil {
			return fmt.Errorf("javascript: %s", res.ExceptionDetails.Text)
		}
		out = json.RawMessage(res.Result.Value)
		return nil
	})
	return out
}
