# Codeward — build, run, test, bench.
#   make        builds the CLI (bin/codeward) and the extension (build/: codeward.wasm, wasm_exec.js)
#   make run    builds and opens Chromium with the extension loaded in a fresh profile
#   make test   installs what is missing (browsers, npm packages) and runs every test
#   make bench  prints benchmark figures (see docs/benchmarks.md)
#   make dist   writes store-ready zips to dist/

GO        ?= go
GOROOT    := $(shell $(GO) env GOROOT)
GO_SRC    := $(shell find internal wasm cmd -name '*.go' 2>/dev/null) go.mod go.sum

.PHONY: all build cli wasm run test test-go test-wasm fuzz e2e lint bench dist deps clean

all: build

build: cli wasm

cli: bin/codeward

bin/codeward: $(GO_SRC)
	$(GO) build -trimpath -o $@ ./cmd/codeward

wasm: build/codeward.wasm build/wasm_exec.js

build/codeward.wasm: $(GO_SRC)
	@mkdir -p build
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./wasm

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
	$(MAKE) e2e
	$(MAKE) lint

test-go:
	$(GO) test -count=1 ./...

# Short fuzz runs of every fuzz target (seed corpora live in testdata/fuzz).
FUZZTIME ?= 5s
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

test-wasm:
	PATH="$$PATH:$(GOROOT)/lib/wasm" GOOS=js GOARCH=wasm $(GO) test -count=1 ./wasm/...

e2e: build
	CODEWARD_E2E=1 $(GO) test -count=1 -timeout 30m ./e2e/...

lint:
	npx --no-install web-ext lint --source-dir dist/firefox-src --self-hosted

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 1x ./internal/... 

dist: build
	scripts/dist.sh

clean:
	rm -rf build bin dist
