//go:build !(js && wasm)

package sites

import "golang.org/x/net/idna"

// toASCII is x/net/idna's Lookup profile in native builds; see idna.go.
func toASCII(name string) (string, error) { return idna.Lookup.ToASCII(name) }
