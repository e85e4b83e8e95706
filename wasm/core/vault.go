//go:build js && wasm

package main

import (
	"fmt"
	"runtime"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
)

// Sealed blobs and data keys cross the boundary as standard base64 strings: that is what
// extension storage holds, and strings need no copying helpers on either side.

func init() {
	bridge.Register("vaultCreate", vaultCreate)
	bridge.Register("vaultUnlock", vaultUnlock)
	bridge.Register("vaultOpen", vaultOpen)
	bridge.Register("vaultReseal", vaultReseal)
	bridge.Register("vaultChangePassword", vaultChangePassword)
}

// vaultCreate(vaultJSON, password, optionsJSON?) → {blob, key}
func vaultCreate(args []safejs.Value) (any, error) {
	v, err := vaultArg(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := bridge.Password(args, 1)
	if err != nil {
		return nil, err
	}
	opt, err := optionsArg(args, 2)
	if err != nil {
		return nil, err
	}
	defer runtime.GC() // the call's garbage, before WASM memory grows for it (it never shrinks)
	blob, key, err := vault.Create(v, password, opt)
	if err != nil {
		return nil, err
	}
	return map[string]any{"blob": bridge.Base64(blob), "key": bridge.Base64(key[:])}, nil
}

// vaultUnlock(blob, password) → {vault: JSON, key}
func vaultUnlock(args []safejs.Value) (any, error) {
	blob, err := blobArg(args, 0)
	if err != nil {
		return nil, err
	}
	password, err := bridge.Password(args, 1)
	if err != nil {
		return nil, err
	}
	// Collect before as well as after: what earlier calls left (a View's codes) is garbage
	// by now, and the unlock's large objects (the vault, its JSON) can then take its place
	// instead of growing WebAssembly memory, which never shrinks.
	runtime.GC()
	defer runtime.GC()
	v, key, err := vault.Unlock(blob, password)
	if err != nil {
		return nil, err
	}
	text, err := v.EncodeJSON()
	if err != nil {
		return nil, err
	}
	return map[string]any{"vault": string(text), "key": bridge.Base64(key[:])}, nil
}

// vaultOpen(blob, key) → vault JSON
func vaultOpen(args []safejs.Value) (any, error) {
	blob, err := blobArg(args, 0)
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
	text, err := v.EncodeJSON()
	if err != nil {
		return nil, err
	}
	return string(text), nil
}

// vaultReseal(blob, key, vaultJSON) → blob
func vaultReseal(args []safejs.Value) (any, error) {
	blob, err := blobArg(args, 0)
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
	return bridge.Base64(out), nil
}

// vaultChangePassword(blob, key, newPassword, optionsJSON?) → {blob, key}: the vault sealed
// under a new data key for the new password, and that key (the old one opens nothing new).
func vaultChangePassword(args []safejs.Value) (any, error) {
	blob, err := blobArg(args, 0)
	if err != nil {
		return nil, err
	}
	key, err := keyArg(args, 1)
	if err != nil {
		return nil, err
	}
	password, err := bridge.Password(args, 2)
	if err != nil {
		return nil, err
	}
	opt, err := optionsArg(args, 3)
	if err != nil {
		return nil, err
	}
	defer runtime.GC()
	out, newKey, err := vault.ChangePassword(blob, key, password, opt)
	if err != nil {
		return nil, err
	}
	return map[string]any{"blob": bridge.Base64(out), "key": bridge.Base64(newKey[:])}, nil
}

// blobArg reads a sealed vault as stored. It comes from storage, where it can be damaged:
// anything but a base64 string is the vault's damage (vault.ErrCorrupt, so that callers
// fall back to the previous copy), not a caller's mistake.
func blobArg(args []safejs.Value, i int) ([]byte, error) {
	if i >= len(args) || args[i].Type() != safejs.TypeString {
		return nil, fmt.Errorf("%w: the stored vault record holds no sealed vault", vault.ErrCorrupt)
	}
	b, err := bridge.Bytes(args, i)
	if err != nil {
		return nil, fmt.Errorf("%w: the stored vault is not base64", vault.ErrCorrupt)
	}
	return b, nil
}

func keyArg(args []safejs.Value, i int) (vault.DataKey, error) {
	var key vault.DataKey
	b, err := bridge.Bytes(args, i)
	if err != nil {
		return key, err
	}
	if len(b) != len(key) {
		return key, bridge.BadArg(i, "a 32-byte key")
	}
	copy(key[:], b)
	return key, nil
}

// vaultArg reads a vault as JSON, refusing unknown fields and invalid accounts: nothing the
// core would not have produced itself gets sealed. Length bounds are checked where accounts
// enter (validated, imports, restores), not here, so a vault holding an account from before
// them can still be written.
func vaultArg(args []safejs.Value, i int) (*vault.Vault, error) {
	s, err := bridge.String(args, i)
	if err != nil {
		return nil, err
	}
	v, err := vault.DecodeJSON([]byte(s))
	if err != nil {
		return nil, bridge.Invalid(fmt.Errorf("vault: %w", err))
	}
	for n, a := range v.Accounts {
		if err := a.ValidateStored(); err != nil {
			return nil, bridge.Invalid(fmt.Errorf("account %d: %w", n+1, err))
		}
	}
	return v, nil
}

// The optional last argument of the functions that run the KDF:
// {"kdf": {"memory": KiB, "time": passes, "threads": lanes}}. Absent (or a null kdf)
// means the defaults; the numbers must fit uint32, uint32 and uint8.
var (
	optionsNames = []string{"kdf"}
	kdfNames     = []string{"memory", "time", "threads"}
)

func optionsArg(args []safejs.Value, i int) (vault.Options, error) {
	var opt vault.Options
	s, err := bridge.OptionalString(args, i)
	if err != nil || s == "" {
		return opt, err
	}
	d := strictjson.NewDecoder([]byte(s))
	d.Object(optionsNames, func(int, string) {
		if d.Null() {
			return
		}
		var p vault.KDFParams
		d.Object(kdfNames, func(i int, _ string) {
			switch i {
			case 0:
				p.Memory = uint32(d.Uint(32))
			case 1:
				p.Time = uint32(d.Uint(32))
			case 2:
				p.Threads = uint8(d.Uint(8))
			}
		})
		opt.KDF = p
	})
	if err := d.End(); err != nil {
		return vault.Options{}, bridge.BadArg(i, "options JSON")
	}
	return opt, nil
}
