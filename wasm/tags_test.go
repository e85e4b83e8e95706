//go:build !js

// Package wasm holds only this test: the programs are in core/ and tools/, what they share
// in bridge/.
package wasm

import (
	"fmt"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// The bridge must never build natively: everything testable lives in internal/, and a
// file without the tag would drag syscall/js into `go build ./...`.
func TestEveryFileIsJSWasmOnly(t *testing.T) {
	checked := map[string]int{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || path == "tags_test.go" {
			return err // this test runs natively, so it cannot carry the tag
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			return err
		}
		var expr constraint.Expr
		for _, group := range f.Comments {
			if group.Pos() > f.Package {
				break
			}
			for _, c := range group.List {
				if constraint.IsGoBuild(c.Text) {
					if expr, err = constraint.Parse(c.Text); err != nil {
						return fmt.Errorf("%s: %w", path, err)
					}
				}
			}
		}
		if expr == nil || !onlyJSWasm(expr) {
			t.Errorf("%s: needs //go:build js && wasm", path)
		}
		checked[filepath.Dir(path)]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A directory missing here means the walk went wrong, not that it has nothing to check.
	for _, dir := range []string{"bridge", "bridge/bridgetest", "core", "tools", "server"} {
		if checked[dir] == 0 {
			t.Errorf("no Go files checked in %s", dir)
		}
	}
}

// onlyJSWasm reports whether expr is satisfied only when both js and wasm are set.
func onlyJSWasm(expr constraint.Expr) bool {
	for _, tags := range []map[string]bool{{"js": true}, {"wasm": true}, {"linux": true, "amd64": true}} {
		if expr.Eval(func(tag string) bool { return tags[tag] }) {
			return false
		}
	}
	return expr.Eval(func(tag string) bool { return tag == "js" || tag == "wasm" })
}
