//go:build js && wasm

package bridge

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

// BadArg is the error for argument i (from 0) not being want.
func BadArg(i int, want string) error {
	return Coded(CodeBadArgument, fmt.Errorf("argument %d must be %s", i+1, want))
}

// String reads argument i as a string.
func String(args []safejs.Value, i int) (string, error) {
	if i >= len(args) || args[i].Type() != safejs.TypeString {
		return "", BadArg(i, "a string")
	}
	s, err := args[i].String()
	if err != nil {
		return "", BadArg(i, "a string")
	}
	return s, nil
}

// OptionalString returns "" when argument i is absent, undefined or null.
func OptionalString(args []safejs.Value, i int) (string, error) {
	if i >= len(args) || args[i].IsUndefined() || args[i].IsNull() {
		return "", nil
	}
	return String(args, i)
}

// Int accepts only whole numbers in [min, max]: JS numbers are floats, and a fraction or
// NaN where a count or a time is expected is a caller bug, not something to round.
func Int(args []safejs.Value, i int, min, max int64) (int64, error) {
	want := fmt.Sprintf("a whole number from %d to %d", min, max)
	if i >= len(args) || args[i].Type() != safejs.TypeNumber {
		return 0, BadArg(i, want)
	}
	f, err := args[i].Float()
	if err != nil || math.IsNaN(f) || f != math.Trunc(f) || f < float64(min) || f > float64(max) {
		return 0, BadArg(i, want)
	}
	return int64(f), nil
}

// Bytes reads argument i as standard base64.
func Bytes(args []safejs.Value, i int) ([]byte, error) {
	s, err := String(args, i)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, BadArg(i, "base64")
	}
	return b, nil
}

// ByteArray reads argument i as a Uint8Array of exactly n bytes, copied into Go memory: for
// megabytes (a screen capture's pixels) base64 costs seconds on each side of the boundary.
func ByteArray(args []safejs.Value, i int, n int) ([]byte, error) {
	want := fmt.Sprintf("a Uint8Array of %d bytes", n)
	if i >= len(args) || args[i].Type() != safejs.TypeObject {
		return nil, BadArg(i, want)
	}
	if length, err := args[i].Length(); err != nil || length != n {
		return nil, BadArg(i, want)
	}
	b := make([]byte, n)
	// Errors for anything but a Uint8Array (or Uint8ClampedArray).
	if copied, err := safejs.CopyBytesToGo(b, args[i]); err != nil || copied != n {
		return nil, BadArg(i, want)
	}
	return b, nil
}

// Base64 is how bytes go back to JavaScript.
func Base64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// Password reads argument i as a non-empty password.
func Password(args []safejs.Value, i int) ([]byte, error) {
	s, err := String(args, i)
	if err != nil {
		return nil, err
	}
	if s == "" {
		return nil, Invalid(errors.New("the password is empty"))
	}
	return []byte(s), nil
}

// Accounts reads argument i as a JSON array of accounts, strictly; every account must
// validate, so nothing the core would not have produced itself gets sealed or exported.
func Accounts(args []safejs.Value, i int) ([]vault.Account, error) {
	s, err := String(args, i)
	if err != nil {
		return nil, err
	}
	accounts, err := vault.DecodeAccounts([]byte(s))
	if err != nil {
		return nil, Invalid(fmt.Errorf("accounts: %w", err))
	}
	for n, a := range accounts {
		if err := a.Validate(); err != nil {
			return nil, Invalid(fmt.Errorf("account %d: %w", n+1, err))
		}
	}
	return accounts, nil
}

// AccountsJSON is the JSON array of accounts that crosses the boundary (nil: null).
func AccountsJSON(accounts []vault.Account) (string, error) {
	b, err := vault.EncodeAccounts(accounts)
	return string(b), err
}

// AccountJSON is one account's JSON.
func AccountJSON(a vault.Account) (string, error) {
	b, err := vault.AppendAccount(nil, &a)
	return string(b), err
}

// StringsJSON is a JSON array of strings (nil: null).
func StringsJSON(list []string) string { return string(strictjson.AppendStrings(nil, list)) }

// Label names an account for a person: issuer and name, never the secret.
func Label(a vault.Account) string {
	switch {
	case a.Issuer != "" && a.Name != "":
		return a.Issuer + " (" + a.Name + ")"
	case a.Issuer != "":
		return a.Issuer
	}
	return a.Name
}

// List converts for js.ValueOf, which takes []any but not []string.
func List(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
