//go:build js && wasm

// Command tools is build/codeward-tools.wasm: importing other apps' files, exporting to
// them, and reading and drawing QR codes. Only the Import & export flows need it, and its
// dependencies (QR decoding, other apps' encodings and KDFs) would triple the size of the
// core every worker start loads, so the background loads it lazily, on the first message
// that needs it. The import page's worker (extension/import/read-worker.js) loads it too,
// to read an encrypted file off the background.
//
// On start it publishes globalThis.codewardTools (see package bridge for the result
// shape), calls globalThis.__codewardToolsReady() if the loader set it, and stays alive.
package main

import (
	"fmt"
	"os"

	"codeward.dev/wasm/bridge"
)

func main() {
	if err := bridge.Publish("codewardTools"); err != nil {
		fmt.Fprintln(os.Stderr, "codeward-tools:", err)
		os.Exit(1)
	}
	select {}
}
