// Package e2e holds Codeward's end-to-end tests: the built extension in real browsers,
// driven the way a person (and a screen reader) uses it.
//
// Everything lives in _test.go files so that the product never links chromedp. The tests
// run only with CODEWARD_E2E=1 (`make e2e` sets it, after `make` has built build/); plain
// `go test ./...` skips them with a message and needs no browser.
//
//	make e2e                                      # Chromium tests + Firefox smoke test
//	CODEWARD_E2E=1 go test -run TestPopup ./e2e    # one group, after `make`
//	CODEWARD_BENCH=1 go test -run TestBench -v ./e2e  # extension figures (make bench)
//
// # Harness (harness_test.go, page_test.go, popup_test.go)
//
// StartBrowser launches headless Chromium (/usr/lib/chromium/chromium, or $CHROME) with a
// fresh profile and the unpacked extension loaded (the repo root, $CODEWARD_EXT_DIR, or a
// copy made by CopyExtension), and finds the extension id from its service worker. A
// Browser then offers:
//
//	OpenPopup / OpenExtensionPage / Open   a tab on the popup, any extension page, any URL
//	URL / Origin / ExtID / DownloadDir     addresses and the profile's download directory
//	Worker                                 attach to the background service worker:
//	                                       Eval[T], HeapUsage, WASMMemory
//	StopServiceWorker / WorkerRunning      stop the worker as Chrome does when it idles
//	Storage / StorageJSON                  dump chrome.storage.local or .session
//	Restart                                close gracefully and relaunch on the same profile
//	Targets / Version / Context / Output   lower-level access for what is not wrapped
//
// A Page finds controls by role and accessible name, as assistive technology does
// (CDP Accessibility.queryAXTree; nodes the accessibility tree ignores, such as hidden
// ones, never match). Chromium's roles: "button", "textbox" (password fields too),
// "spinbutton", "checkbox", "list", "listitem", "alert", "status", "dialog", ...
//
//	Find / FindAll / Query / WaitGone      *Node lookups (Find waits for exactly one match)
//	Click / Fill / Press / Enter           real mouse clicks at the element, typed text, keys
//	Node.Find / Node.Query                 lookups inside one element (e.g. a list item)
//	Node.Text / Value / Call / Focus       read it, or run a function on it
//	WaitAlert / AlertText                  the text of role "alert" elements
//	ListItems / WaitListItems / Text / WaitText   visible texts
//	Eval[T] / EvalErr[T]                   JavaScript in the page (or worker), promises awaited
//	Console                                what the page logged, and its uncaught exceptions
//	Screenshot / AXTree                    saved to e2e/.artifacts automatically on failure
//
// Popup drives the product's own flows on top of a Page (State / WaitState, CreateVault,
// Unlock, UnlockWrong, Lock, AddAccountURI, AddAccountByHand, Accounts, WaitAccount) using
// only the accessible names fixed in issue 3 (the Name* constants). CopyExtension with
// WithHostPermissions (or any EditManifest edit) makes a test build that holds host access
// (headless Chromium never answers a permission prompt); Serve and ServePages start local
// HTTP servers on 127.0.0.1; TOTPWindow and AssertTOTP compute codes independently of the
// product with github.com/pquerna/otp. TestHarness checks the harness itself against the
// small extension in testdata/harness-ext.
//
// Firefox tests (firefox/, node --test) have a matching harness in firefox/bidi.mjs:
// makeTestBuild, launchFirefox, and a Page with find / click / fill / listItems over
// WebDriver BiDi's accessibility locators.
//
// Every wait is bounded by Timeout (generous: these machines are shared); no test asserts
// on wall-clock time. On failure each open page leaves a screenshot, its accessibility
// tree and the browser's output in e2e/.artifacts.
package e2e
