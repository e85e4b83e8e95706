//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
)

func init() {
	bridge.Register("parseURI", parseURI)
	bridge.Register("formatURI", formatURI)
	bridge.Register("codes", codes)
	bridge.Register("validateAccount", validateAccount)
	bridge.Register("newID", newID)
}

// parseURI(uri) → account JSON (no id, order or dates: the caller adds them when saving).
func parseURI(args []safejs.Value) (any, error) {
	s, err := bridge.String(args, 0)
	if err != nil {
		return nil, err
	}
	k, err := otp.ParseURI(s)
	if err != nil {
		return nil, bridge.Invalid(err)
	}
	return bridge.AccountJSON(vault.AccountFromKey(k))
}

// formatURI(accountJSON) → otpauth:// URI
func formatURI(args []safejs.Value) (any, error) {
	a, err := accountArg(args, 0)
	if err != nil {
		return nil, err
	}
	k, err := a.Key()
	if err != nil {
		return nil, bridge.Invalid(err)
	}
	return k.URI(), nil
}

// validateAccount(accountJSON) → the same account with its secret in canonical base32.
// The secret may be typed the way people copy it (lower case, spaces, dashes, padding).
func validateAccount(args []safejs.Value) (any, error) {
	a, err := accountArg(args, 0)
	if err != nil {
		return nil, err
	}
	secret, err := otp.ParseSecret(a.Secret)
	if err != nil {
		return nil, bridge.Invalid(err)
	}
	a.Secret = otp.EncodeSecret(secret)
	if err := a.Validate(); err != nil {
		return nil, bridge.Invalid(err)
	}
	return bridge.AccountJSON(a)
}

// newID() → a fresh random account id
func newID(args []safejs.Value) (any, error) {
	return vault.NewID(nil), nil
}

// maxSteps bounds how many periods codes() computes per account, so a bad argument cannot
// keep the thread busy.
const maxSteps = 100

// codeResult is one account's entry in the codes() result. Codes are back to back, Digits
// characters each (what the View holds, messages.js CodeEntry): for TOTP and Steam, the
// i-th is the code for time step Step+i (a step is Unix time divided by Period); for HOTP,
// Codes is the one code at the account's counter.
type codeResult struct {
	ID     string      `json:"id"`
	Step   int64       `json:"step,omitempty"`
	Period int         `json:"period,omitempty"`
	Codes  string      `json:"codes,omitempty"`
	Error  *errorEntry `json:"error,omitempty"`
}

type errorEntry struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// codes(accountsJSON, unixSeconds, steps) → JSON array of codeResult, in input order. One
// bad account yields an error entry and does not hide the codes of the others.
func codes(args []safejs.Value) (any, error) {
	s, err := bridge.String(args, 0)
	if err != nil {
		return nil, err
	}
	accounts, err := vault.DecodeAccounts([]byte(s))
	if err != nil {
		return nil, bridge.Invalid(fmt.Errorf("accounts: %w", err))
	}
	now, err := bridge.Int(args, 1, 0, 1<<53)
	if err != nil {
		return nil, err
	}
	steps, err := bridge.Int(args, 2, 1, maxSteps)
	if err != nil {
		return nil, err
	}
	out := make([]codeResult, len(accounts))
	for i, a := range accounts {
		r, err := accountCodes(a, now, int(steps))
		if err != nil {
			r = codeResult{ID: a.ID, Error: &errorEntry{Code: bridge.ErrorCode(bridge.Invalid(err)), Message: err.Error()}}
		}
		out[i] = r
	}
	return codesJSON(out), nil
}

// codesJSON writes the results as encoding/json would from codeResult's tags.
func codesJSON(out []codeResult) string {
	b := make([]byte, 0, 64*len(out)+2)
	b = append(b, '[')
	for i, r := range out {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strictjson.AppendString(b, r.ID)
		if r.Step != 0 {
			b = append(b, `,"step":`...)
			b = strictjson.AppendInt(b, r.Step)
		}
		if r.Period != 0 {
			b = append(b, `,"period":`...)
			b = strictjson.AppendInt(b, int64(r.Period))
		}
		if r.Codes != "" {
			b = append(b, `,"codes":`...)
			b = strictjson.AppendString(b, r.Codes)
		}
		if r.Error != nil {
			b = append(b, `,"error":{"code":`...)
			b = strictjson.AppendString(b, r.Error.Code)
			b = append(b, `,"message":`...)
			b = strictjson.AppendString(b, r.Error.Message)
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	return string(append(b, ']'))
}

func accountCodes(a vault.Account, now int64, steps int) (codeResult, error) {
	k, err := a.Key() // checks what codes need; not the name length bounds of new entries
	if err != nil {
		return codeResult{}, err
	}
	r := codeResult{ID: a.ID}
	if k.Type == otp.HOTP {
		code, err := k.Code(time.Time{})
		if err != nil {
			return codeResult{}, err
		}
		r.Codes = code
		return r, nil
	}
	if k.Period <= 0 {
		return codeResult{}, errors.New("period must be positive")
	}
	p := int64(k.Period)
	r.Period = k.Period
	r.Step = now / p
	seq, err := otp.NewSequence(k) // the HMAC keyed once for all steps: see otp.Sequence
	if err != nil {
		return codeResult{}, err
	}
	buf := make([]byte, 0, steps*k.Digits)
	for i := range steps {
		buf = seq.Append(buf, uint64(r.Step)+uint64(i))
	}
	r.Codes = string(buf)
	return r, nil
}

func accountArg(args []safejs.Value, i int) (vault.Account, error) {
	var a vault.Account
	s, err := bridge.String(args, i)
	if err != nil {
		return a, err
	}
	a, err = vault.DecodeAccount([]byte(s))
	if err != nil {
		return a, bridge.Invalid(fmt.Errorf("account: %w", err))
	}
	return a, nil
}
