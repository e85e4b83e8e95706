//go:build !js

package main

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// The bridge must never build natively: everything testable lives in internal/, and a
// file without the tag would drag syscall/js into `go build ./...`.
func TestEveryFileIsJSWasmOnly(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if name == "tags_test.go" {
			continue // this test runs natively, so it cannot carry the tag
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		var expr constraint.Expr
		for _, group := range f.Comments {
			if group.Pos() > f.Package {
				break
			}
			for _, c := range group.List {
				if constraint.IsGoBuild(c.Text) {
					if expr, err = constraint.Parse(c.Text); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
				}
			}
		}
		if expr == nil || !onlyJSWasm(expr) {
			t.Errorf("%s: needs //go:build js && wasm", name)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no bridge files found")
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
