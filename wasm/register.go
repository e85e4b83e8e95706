//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"math"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/vault"
)

// A bridgeFunc does the work of one exported function. Its value must be something
// js.ValueOf accepts (string, float64, int, bool, nil, map[string]any, []any); structured
// data crosses as JSON strings and bytes as base64 strings.
type bridgeFunc func(args []safejs.Value) (any, error)

// registry is filled by init functions in this package, one file per area of the core.
var registry = map[string]bridgeFunc{}

// register adds fn to the exported table under name. Names are part of the contract with
// extension/shared/core.js, so a duplicate is a programming error.
func register(name string, fn bridgeFunc) {
	if _, dup := registry[name]; dup {
		panic("wasm: duplicate bridge function " + name)
	}
	registry[name] = fn
}

// Stable error codes seen by JavaScript. The extension branches on these, never on messages.
const (
	codeWrongPassword      = "wrong_password"
	codeCorrupt            = "corrupt"
	codeUnsupportedVersion = "unsupported_version"
	codeKDFParams          = "kdf_params"
	codeInvalid            = "invalid"      // input that the core refuses (bad URI, secret, ranges)
	codeBadArgument        = "bad_argument" // the caller passed the wrong kind of argument
	codeInternal           = "internal"     // a panic: a bug, never the user's fault
	codeFailed             = "failed"       // anything else
)

// codedError attaches a stable code to an error whose sentinel the bridge cannot name.
type codedError struct {
	code string
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// invalid marks err as the core refusing its input.
func invalid(err error) error { return &codedError{code: codeInvalid, err: err} }

func errorCode(err error) string {
	var ce *codedError
	switch {
	case errors.Is(err, vault.ErrWrongPassword):
		return codeWrongPassword
	case errors.Is(err, vault.ErrCorrupt):
		return codeCorrupt
	case errors.Is(err, vault.ErrUnsupportedVersion):
		return codeUnsupportedVersion
	case errors.Is(err, vault.ErrKDFParams):
		return codeKDFParams
	case errors.Is(err, vault.ErrInvalid):
		return codeInvalid
	case errors.As(err, &ce):
		return ce.code
	}
	return codeFailed
}

func failure(code, message string) map[string]any {
	return map[string]any{"ok": false, "error": map[string]any{"code": code, "message": message}}
}

// call runs fn and turns whatever happens — a value, an error or a panic — into the plain
// result object. The conversion to a JS value happens inside the recover as well: a panic
// escaping a js.FuncOf callback would end the Go program and every later call would fail.
func call(fn bridgeFunc, args []safejs.Value) (result safejs.Value) {
	defer func() {
		if r := recover(); r != nil {
			result = mustValue(failure(codeInternal, fmt.Sprintf("internal error: %v", r)))
		}
	}()
	v, err := fn(args)
	var out map[string]any
	if err != nil {
		out = failure(errorCode(err), err.Error())
	} else {
		out = map[string]any{"ok": true, "value": v}
	}
	jsv, err := safejs.ValueOf(out)
	if err != nil {
		return mustValue(failure(codeInternal, "internal error: result not convertible"))
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

// exports builds the JS object holding every registered function.
func exports() (safejs.Value, error) {
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

func badArg(i int, want string) error {
	return &codedError{code: codeBadArgument, err: fmt.Errorf("argument %d must be %s", i+1, want)}
}

func argString(args []safejs.Value, i int) (string, error) {
	if i >= len(args) || args[i].Type() != safejs.TypeString {
		return "", badArg(i, "a string")
	}
	s, err := args[i].String()
	if err != nil {
		return "", badArg(i, "a string")
	}
	return s, nil
}

// argOptionalString returns "" when the argument is absent, undefined or null.
func argOptionalString(args []safejs.Value, i int) (string, error) {
	if i >= len(args) || args[i].IsUndefined() || args[i].IsNull() {
		return "", nil
	}
	return argString(args, i)
}

// argInt accepts only whole numbers in [min, max]: JS numbers are floats, and a fraction
// or NaN where a count or a time is expected is a caller bug, not something to round.
func argInt(args []safejs.Value, i int, min, max int64) (int64, error) {
	want := fmt.Sprintf("a whole number from %d to %d", min, max)
	if i >= len(args) || args[i].Type() != safejs.TypeNumber {
		return 0, badArg(i, want)
	}
	f, err := args[i].Float()
	if err != nil || math.IsNaN(f) || f != math.Trunc(f) || f < float64(min) || f > float64(max) {
		return 0, badArg(i, want)
	}
	return int64(f), nil
}
