//go:build js && wasm

// Command codeward.wasm is the bridge between the extension's JavaScript and the Go core.
// It only converts arguments and results: every decision is made in internal/... so that it
// builds and is tested natively.
//
// On start it publishes globalThis.codeward, an object with one function per registered
// name, each returning {ok: true, value} or {ok: false, error: {code, message}}, then calls
// globalThis.__codewardReady() if the loader set it, and stays alive for later calls.
package main

import (
	"fmt"
	"os"

	"github.com/hack-pad/safejs"
)

func main() {
	api, err := exports()
	if err != nil {
		fmt.Fprintln(os.Stderr, "codeward: cannot export the bridge:", err)
		os.Exit(1)
	}
	global := safejs.Global()
	if err := global.Set("codeward", api); err != nil {
		fmt.Fprintln(os.Stderr, "codeward: cannot publish the bridge:", err)
		os.Exit(1)
	}
	if ready, err := global.Get("__codewardReady"); err == nil && ready.Type() == safejs.TypeFunction {
		if _, err := ready.Invoke(); err != nil {
			fmt.Fprintln(os.Stderr, "codeward: ready callback failed:", err)
		}
	}
	select {}
}
