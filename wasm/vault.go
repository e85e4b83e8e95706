//go:build js && wasm

package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/vault"
)

// Sealed blobs and data keys cross the boundary as standard base64 strings: that is what
// extension storage holds, and strings need no copying helpers on either side.

func init() {
	register("vaultCreate", vaultCreate)
	register("vaultUnlock", vaultUnlock)
	register("vaultOpen", vaultOpen)
	register("vaultReseal", vaultReseal)
	register("vaultChangePassword", vaultChangePassword)
}

// vaultCreate(vaultJSON, password, optionsJSON?) → {blob, key}
func vaultCreate(args []safejs.Value) (any, error) {
	v, err := vaultArg(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := passwordArg(args, 1)
	if err != nil {
		return nil, err
	}
	opt, err := optionsArg(args, 2)
	if err != nil {
		return nil, err
	}
	defer runtime.GC() // Argon2id just used tens of MiB that WASM memory can never give back
	blob, key, err := vault.Create(v, password, opt)
	if err != nil {
		return nil, err
	}
	return map[string]any{"blob": encode(blob), "key": encode(key[:])}, nil
}

// vaultUnlock(blob, password) → {vault: JSON, key}
func vaultUnlock(args []safejs.Value) (any, error) {
	blob, err := bytesArg(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := passwordArg(args, 1)
	if err != nil {
		return nil, err
	}
	defer runtime.GC()
	v, key, err := vault.Unlock(blob, password)
	if err != nil {
		return nil, err
	}
	text, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return map[string]any{"vault": string(text), "key": encode(key[:])}, nil
}

// vaultOpen(blob, key) → vault JSON
func vaultOpen(args []safejs.Value) (any, error) {
	blob, err := bytesArg(args, 0)
	if err != nil {
		return nil, err
	}
	key, err := keyArg(args, 1)
	if err != nil {
		return nil, err
	}
	v, err := vault.Open(blob, key)
	if err != nil {
		return nil, err
	}
	text, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(text), nil
}

// vaultReseal(blob, key, vaultJSON) → blob
func vaultReseal(args []safejs.Value) (any, error) {
	blob, err := bytesArg(args, 0)
	if err != nil {
		return nil, err
	}
	key, err := keyArg(args, 1)
	if err != nil {
		return nil, err
	}
	v, err := vaultArg(args, 2)
	if err != nil {
		return nil, err
	}
	out, err := vault.Reseal(blob, key, v, vault.Options{})
	if err != nil {
		return nil, err
	}
	return encode(out), nil
}

// vaultChangePassword(blob, key, newPassword, optionsJSON?) → blob
func vaultChangePassword(args []safejs.Value) (any, error) {
	blob, err := bytesArg(args, 0)
	if err != nil {
		return nil, err
	}
	key, err := keyArg(args, 1)
	if err != nil {
		return nil, err
	}
	password, err := passwordArg(args, 2)
	if err != nil {
		return nil, err
	}
	opt, err := optionsArg(args, 3)
	if err != nil {
		return nil, err
	}
	defer runtime.GC()
	out, err := vault.ChangePassword(blob, key, password, opt)
	if err != nil {
		return nil, err
	}
	return encode(out), nil
}

func encode(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func bytesArg(args []safejs.Value, i int) ([]byte, error) {
	s, err := argString(args, i)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, badArg(i, "base64")
	}
	return b, nil
}

func keyArg(args []safejs.Value, i int) (vault.DataKey, error) {
	var key vault.DataKey
	b, err := bytesArg(args, i)
	if err != nil {
		return key, err
	}
	if len(b) != len(key) {
		return key, badArg(i, "a 32-byte key")
	}
	copy(key[:], b)
	return key, nil
}

func passwordArg(args []safejs.Value, i int) ([]byte, error) {
	s, err := argString(args, i)
	if err != nil {
		return nil, err
	}
	if s == "" {
		return nil, invalid(errors.New("the password is empty"))
	}
	return []byte(s), nil
}

// vaultArg reads a vault as JSON, refusing unknown fields and invalid accounts: nothing the
// core would not have produced itself gets sealed.
func vaultArg(args []safejs.Value, i int) (*vault.Vault, error) {
	s, err := argString(args, i)
	if err != nil {
		return nil, err
	}
	var v vault.Vault
	if err := decodeStrict(s, &v); err != nil {
		return nil, invalid(fmt.Errorf("vault: %w", err))
	}
	for n, a := range v.Accounts {
		if err := a.Validate(); err != nil {
			return nil, invalid(fmt.Errorf("account %d: %w", n+1, err))
		}
	}
	return &v, nil
}

// optionsJSON is the optional last argument of the functions that run the KDF:
// {"kdf": {"memory": KiB, "time": passes, "threads": lanes}}. Absent means the defaults.
type optionsJSON struct {
	KDF *struct {
		Memory  uint32 `json:"memory"`
		Time    uint32 `json:"time"`
		Threads uint8  `json:"threads"`
	} `json:"kdf"`
}

func optionsArg(args []safejs.Value, i int) (vault.Options, error) {
	var opt vault.Options
	s, err := argOptionalString(args, i)
	if err != nil || s == "" {
		return opt, err
	}
	var o optionsJSON
	if err := decodeStrict(s, &o); err != nil {
		return opt, badArg(i, "options JSON")
	}
	if o.KDF != nil {
		opt.KDF = vault.KDFParams{Memory: o.KDF.Memory, Time: o.KDF.Time, Threads: o.KDF.Threads}
	}
	return opt, nil
}

func decodeStrict(s string, v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after JSON value")
	}
	return nil
}
