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
// fresh profile and the unpacked extension loaded (the repo root, or a copy made by
// CopyExtension), and finds the extension id from its service worker. A Browser then offers:
//
//	OpenPopup / OpenExtensionPage / Open   a tab on the popup, any extension page, any URL
//	Worker                                 attach to the background service worker (Eval, HeapUsage)
//	StopServiceWorker                      stop the worker the way Chrome does when it idles
//	Storage / StorageJSON                  dump chrome.storage.local or .session
//	Restart                                close gracefully and relaunch on the same profile
//
// A Page finds controls by role and accessible name, as assistive technology does
// (CDP Accessibility.queryAXTree; nodes the accessibility tree ignores, such as hidden
// ones, never match):
//
//	Find / FindAll / Query / WaitGone      *Node lookups (Find waits for exactly one match)
//	Click / Fill / Press                   real mouse clicks at the element, typed text, keys
//	WaitAlert / ListItems / WaitListItems  role "alert" text; the texts of role "listitem"s
//	Eval[T] / EvalErr[T]                   JavaScript in the page (or worker), promises awaited
//	Screenshot / AXTree                    saved to e2e/.artifacts automatically on failure
//
// Popup drives the product's own flows on top of a Page (CreateVault, Unlock, Lock,
// AddAccountURI, AddAccountByHand, Accounts) using only the accessible names fixed in
// issue 3. CopyExtension with WithHostPermissions makes a test build that holds host access
// (headless Chromium never answers a permission prompt); ServePages and Serve start local
// HTTP servers on 127.0.0.1; TOTPWindow and AssertTOTP compute codes independently of the
// product with github.com/pquerna/otp.
//
// Every wait is bounded by Timeout (generous: these machines are shared); no test asserts
// on wall-clock time. On failure each open page leaves a screenshot, its accessibility
// tree and the browser's output in e2e/.artifacts.
package e2e
