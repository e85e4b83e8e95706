//go:build js && wasm

// Package bridgetest calls a program's registered bridge functions from its tests, the way
// the extension's JavaScript does, and reads the plain results.
package bridgetest

import (
	"sync"
	"testing"

	"github.com/hack-pad/safejs"

	"codeward.dev/wasm/bridge"
)

// api exports the registry once per test binary, as Publish does. It must be built after
// the init functions have filled the registry, hence lazily.
var api = sync.OnceValue(func() safejs.Value {
	v, err := bridge.Exports()
	if err != nil {
		panic(err)
	}
	return v
})

// Result is one call's result object, taken apart.
type Result struct {
	OK    bool
	Value safejs.Value
	Code  string
	Msg   string
}

// Invoke calls the bridge function name with args and fails the test unless the result
// has the promised shape.
func Invoke(t testing.TB, name string, args ...any) Result {
	t.Helper()
	r, err := api().Call(name, args...)
	if err != nil {
		t.Fatalf("%s: call: %v", name, err)
	}
	okv, _ := r.Get("ok")
	ok, err := okv.Bool()
	if err != nil {
		t.Fatalf("%s: result has no boolean ok", name)
	}
	if ok {
		v, _ := r.Get("value")
		return Result{OK: true, Value: v}
	}
	e, err := r.Get("error")
	if err != nil || e.Type() != safejs.TypeObject {
		t.Fatalf("%s: failed result has no error object", name)
	}
	c, _ := e.Get("code")
	m, _ := e.Get("message")
	code, err1 := c.String()
	msg, err2 := m.String()
	if err1 != nil || err2 != nil || code == "" {
		t.Fatalf("%s: error object without a code and a message", name)
	}
	return Result{Code: code, Msg: msg}
}

// Str is v as a Go string; the test fails when v is not a string.
func Str(t testing.TB, v safejs.Value) string {
	t.Helper()
	s, err := v.String()
	if err != nil || v.Type() != safejs.TypeString {
		t.Fatalf("value is not a string")
	}
	return s
}

// Field is v[name]; the test fails when it cannot be read.
func Field(t testing.TB, v safejs.Value, name string) safejs.Value {
	t.Helper()
	f, err := v.Get(name)
	if err != nil {
		t.Fatalf("no field %s", name)
	}
	return f
}

// JSONOf stringifies a result's value in JavaScript (it may hold nested objects).
func JSONOf(r Result) (string, error) {
	j, err := safejs.Global().Get("JSON")
	if err != nil {
		return "", err
	}
	s, err := j.Call("stringify", r.Value)
	if err != nil {
		return "", err
	}
	return s.String()
}

// Uint8Array is b as a new JavaScript Uint8Array, as the extension passes bytes.
func Uint8Array(t testing.TB, b []byte) safejs.Value {
	t.Helper()
	ctor, err := safejs.Global().Get("Uint8Array")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ctor.New(len(b))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := safejs.CopyBytesToJS(a, b); err != nil || n != len(b) {
		t.Fatalf("copying %d bytes to JavaScript: %d, %v", len(b), n, err)
	}
	return a
}
