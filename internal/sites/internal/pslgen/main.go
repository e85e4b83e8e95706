// Command pslgen writes internal/sites/psl.txt, the Public Suffix List tree the site
// matcher embeds, from golang.org/x/net/publicsuffix's compiled table (the version go.mod
// pins). Run by `go generate ./internal/sites`.
//
// Why not import x/net/publicsuffix directly: it declares its list as a
// net/http/cookiejar.PublicSuffixList, and that one import links net/http, crypto/tls and
// crypto/x509 (about 2 MB) into the WASM core, which serves no HTTP at all.
package main

import (
	"fmt"
	"os"

	"codeward.dev/internal/sites/internal/psldata"
)

func main() {
	out := "psl.txt"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	dir, err := psldata.ModuleDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pslgen:", err)
		os.Exit(1)
	}
	t, err := psldata.Load(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pslgen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(out, t.Render(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "pslgen:", err)
		os.Exit(1)
	}
	fmt.Printf("pslgen: %d nodes → %s\n", len(t.Nodes), out)
}
