//go:build js && wasm

// Command core is build/codeward.wasm, the Go core the extension's background loads on
// every start: vault, codes, backups, restore, password suggestions and sites. Import,
// export and QR codes are in build/codeward-tools.wasm (wasm/tools), loaded only when
// those flows run, so that this binary — and every worker start — stays small.
//
// On start it publishes globalThis.codeward (see package bridge for the result shape),
// calls globalThis.__codewardReady() if the loader set it, and stays alive for later calls.
package main

import (
	"fmt"
	"os"

	"codeward.dev/internal/argon2id"
	"codeward.dev/wasm/bridge"
)

func main() {
	// Unlocks run Argon2id again and again in this one instance: one work area outside the
	// heap keeps its WebAssembly memory from growing by 64 MiB (see internal/argon2id).
	argon2id.KeepWorkArea()
	if err := bridge.Publish("codeward"); err != nil {
		fmt.Fprintln(os.Stderr, "codeward:", err)
		os.Exit(1)
	}
	select {}
}
