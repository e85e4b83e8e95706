//go:build js && wasm

// Package bridge is what the extension's WebAssembly programs share: one registration
// helper that exports Go functions to JavaScript, the plain result objects they return,
// the stable error codes JavaScript branches on, and argument readers.
//
// Each program (wasm/core, wasm/tools) registers its functions from init functions with
// Register, then calls Publish with its own global name. Every exported function returns
// {ok: true, value} or {ok: false, error: {code, message}}; a panic becomes code "internal"
// and the program keeps answering. Only strings, numbers, booleans, plain objects and arrays
// cross the boundary: structured data as JSON strings, bytes as standard base64.
//
// Everything that decides anything lives in internal/..., which builds and is tested
// natively; this package only converts.
package bridge

import (
	"errors"
	"fmt"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// A Func does the work of one exported function. Its value must be something js.ValueOf
// accepts (string, float64, int, bool, nil, map[string]any, []any).
type Func func(args []safejs.Value) (any, error)

// registry is filled by the init functions of the program that imports this package.
var registry = map[string]Func{}

// Register adds fn to the exported table under name. Names are part of the contract with
// extension/shared/core.js, so a duplicate is a programming error.
func Register(name string, fn Func) {
	if _, dup := registry[name]; dup {
		panic("bridge: duplicate function " + name)
	}
	registry[name] = fn
}

// Stable error codes seen by JavaScript. The extension branches on these, never on messages.
const (
	CodeWrongPassword      = "wrong_password"
	CodeCorrupt            = "corrupt"
	CodeUnsupportedVersion = "unsupported_version"
	CodeKDFParams          = "kdf_params"
	CodeInvalid            = "invalid"        // input that the core refuses (bad URI, secret, ranges)
	CodeInvalidSecret      = "invalid_secret" // a secret key that is not base32 (or empty)
	CodeInvalidURI         = "invalid_uri"    // an otpauth:// link that does not parse
	CodeInvalidSite        = "invalid_site"   // a site in an account's list that cannot be one
	CodeBadArgument        = "bad_argument"   // the caller passed the wrong kind of argument
	CodeInternal           = "internal"       // a panic: a bug, never the user's fault
	CodeFailed             = "failed"         // anything else
)

// codedError attaches a stable code to an error whose sentinel the bridge cannot name.
type codedError struct {
	code string
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// Coded gives err the error code code.
func Coded(code string, err error) error { return &codedError{code: code, err: err} }

// Invalid marks err as the core refusing its input.
func Invalid(err error) error { return Coded(CodeInvalid, err) }

// ErrorCode is the code JavaScript sees for err: the shared sentinels of the vault first,
// then a code given with Coded, else CodeFailed.
func ErrorCode(err error) string {
	var ce *codedError
	switch {
	case errors.Is(err, vault.ErrWrongPassword):
		return CodeWrongPassword
	case errors.Is(err, vault.ErrCorrupt):
		return CodeCorrupt
	case errors.Is(err, vault.ErrUnsupportedVersion):
		return CodeUnsupportedVersion
	case errors.Is(err, vault.ErrKDFParams):
		return CodeKDFParams
	// The finer refusals first: they are wrapped inside vault.ErrInvalid and ErrInvalidURI
	// (a link with a bad secret is about the secret), and the extension words them apart.
	case errors.Is(err, otp.ErrInvalidSecret):
		return CodeInvalidSecret
	case errors.Is(err, otp.ErrInvalidURI):
		return CodeInvalidURI
	case errors.Is(err, vault.ErrInvalid):
		return CodeInvalid
	case errors.As(err, &ce):
		return ce.code
	}
	return CodeFailed
}

func failure(code, message string) map[string]any {
	return map[string]any{"ok": false, "error": map[string]any{"code": code, "message": message}}
}

// call runs fn and turns whatever happens — a value, an error or a panic — into the plain
// result object. The conversion to a JS value happens inside the recover as well: a panic
// escaping a js.FuncOf callback would end the Go program and every later call would fail.
func call(fn Func, args []safejs.Value) (result safejs.Value) {
	defer func() {
		if r := recover(); r != nil {
			result = mustValue(failure(CodeInternal, fmt.Sprintf("internal error: %v", r)))
		}
	}()
	v, err := fn(args)
	var out map[string]any
	if err != nil {
		out = failure(ErrorCode(err), err.Error())
	} else {
		out = map[string]any{"ok": true, "value": v}
	}
	jsv, err := safejs.ValueOf(out)
	if err != nil {
		return mustValue(failure(CodeInternal, "internal error: result not convertible"))
	}
	return jsv
}

// mustValue converts values built only from strings and maps, which cannot fail.
func mustValue(m map[string]any) safejs.Value {
	v, err := safejs.ValueOf(m)
	if err != nil {
		panic(err)
	}
	return v
}

// Exports builds a JS object holding every registered function. Publish uses it; tests
// call it directly so that nothing global is touched.
func Exports() (safejs.Value, error) {
	object, err := safejs.Global().Get("Object")
	if err != nil {
		return safejs.Value{}, err
	}
	api, err := object.New()
	if err != nil {
		return safejs.Value{}, err
	}
	for name, fn := range registry {
		f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			return call(fn, args)
		})
		if err != nil {
			return safejs.Value{}, err
		}
		if err := api.Set(name, f); err != nil {
			return safejs.Value{}, err
		}
	}
	return api, nil
}

// Publish sets globalThis[name] to the exported functions, then calls
// globalThis["__" + name + "Ready"]() if the loader set it. Each program publishes under
// a name of its own, so that several Go instances can live in one JavaScript realm.
// The caller must then keep its main goroutine alive (select {}) for later calls.
func Publish(name string) error {
	api, err := Exports()
	if err != nil {
		return fmt.Errorf("exporting: %w", err)
	}
	global := safejs.Global()
	if err := global.Set(name, api); err != nil {
		return fmt.Errorf("publishing %s: %w", name, err)
	}
	ready, err := global.Get("__" + name + "Ready")
	if err == nil && ready.Type() == safejs.TypeFunction {
		if _, err := ready.Invoke(); err != nil {
			return fmt.Errorf("ready callback of %s: %w", name, err)
		}
	}
	return nil
}
