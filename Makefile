# Codeward — build, run, test, bench.
#   make        builds the CLI (bin/codeward) and the extension (build/: codeward.wasm,
#               codeward-tools.wasm, wasm_exec.js) and the backup-server Worker (build/server)
#   make run    builds and opens Chromium with the extension loaded in a fresh profile
#   make test   installs what is missing (browsers, npm packages) and runs every test
#   make bench  prints benchmark figures (see docs/benchmarks.md)
#   make dist   writes store-ready zips to dist/

GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
GO_SRC    := $(shell find internal wasm cmd -name '*.go' 2>/dev/null) go.mod go.sum

.PHONY: all build cli wasm server test-server run test test-go test-wasm fuzz e2e e2e-chromium e2e-firefox lint bench dist deps clean

all: build

build: cli wasm server

cli: bin/codeward

bin/codeward: $(GO_SRC)
	$(GO) build -trimpath -o $@ ./cmd/codeward

# Two programs: the core the background loads on every start (wasm/core), and the import,
# export and QR code tools it loads only when those flows run (wasm/tools).
wasm: build/codeward.wasm build/codeward-tools.wasm build/wasm_exec.js

build/codeward.wasm: $(GO_SRC)
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm/core

build/codeward-tools.wasm: $(GO_SRC)
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm/tools

# "Your own backup server", a Cloudflare Worker (wasm/server): app.wasm plus syumai/workers'
# JS glue. The glue generator empties its output directory, so it runs before the Go build;
# -mode=go is required (its default glue is for TinyGo and fails at run time).
server: build/server/app.wasm

build/server/app.wasm: $(GO_SRC)
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o build/server
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm/server

build/wasm_exec.js: $(GOROOT)/lib/wasm/wasm_exec.js
	@mkdir -p build
	cp $< $@

deps:
	scripts/deps.sh

run: build
	scripts/deps.sh browsers
	scripts/run.sh

test: deps build
	$(GO) vet ./...
	$(MAKE) test-go
	$(MAKE) fuzz
	$(MAKE) test-wasm
	$(MAKE) test-server
	$(MAKE) e2e
	$(MAKE) lint

test-go:
	$(GO) test -count=1 ./...

# The built backup-server Worker under workerd (npm), driven over HTTP by the same checks
# as the native handler tests.
test-server: server
	CODEWARD_WORKERD=1 $(GO) test -count=1 -run 'Workerd' ./internal/backupserver/

# Short fuzz runs of every fuzz target (seed corpora live in testdata/fuzz).
FUZZTIME ?= 5s
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

test-wasm:
	PATH="$$PATH:$(GOROOT)/lib/wasm" GOOS=js GOARCH=wasm $(GO) test -count=1 ./wasm/... ./internal/argon2id ./internal/seal ./internal/sites

# Browser tests: headless Chromium (Go, chromedp) and a Firefox smoke test (Node, WebDriver
# BiDi). Both drive the built extension; `make deps` installs the browsers and npm packages.
e2e: e2e-chromium e2e-firefox

e2e-chromium: build
	CODEWARD_E2E=1 $(GO) test -count=1 -timeout 40m ./e2e/...

e2e-firefox: build
	CODEWARD_E2E=1 node --test e2e/firefox/

# web-ext lint on the Firefox store tree: errors fail, warnings are printed.
lint: dist
	npx --no-install web-ext lint --source-dir dist/firefox-src

# Figures, never pass/fail on time: Go core benchmarks, the backup server Worker under
# workerd (size, cold start, CPU per request), then the extension in headless Chromium for
# 50, 500 and 5,000 accounts (popup → first code next to an empty extension page, cold
# worker start, worker CPU per open, unlock, memory across unlocks), both WASM sizes and
# the store zips (hence dist), and Firefox: unlock and memory across unlocks at the same
# sizes (e2e/firefox/bench.mjs).
# CODEWARD_BENCH_* knobs: see e2e/bench_test.go.
bench: dist
	$(GO) test -run '^$$' -bench . -benchtime 200ms ./internal/...
	CODEWARD_BENCH=1 $(GO) test -count=1 -run '^TestBenchWorkerd$$' -v ./internal/backupserver/
	CODEWARD_E2E=1 CODEWARD_BENCH=1 $(GO) test -count=1 -timeout 60m -run '^TestBench' -v ./e2e
	CODEWARD_E2E=1 node e2e/firefox/bench.mjs

dist: build
	scripts/dist.sh

clean:
	rm -rf build bin dist
