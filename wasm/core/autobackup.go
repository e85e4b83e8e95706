//go:build js && wasm

package main

import (
	"errors"
	"runtime"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/passgen"
	"codeward.dev/internal/seal"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
)

// Automatic backups: Argon2id runs once when the user sets the backup password
// (backupKeyDerive); the result, kept by the background inside the sealed vault, writes
// every later file (backupWriteKeyed) with a fresh nonce and no KDF run.

func init() {
	bridge.Register("backupKeyDerive", backupKeyDerive)
	bridge.Register("backupWriteKeyed", backupWriteKeyed)
}

// keyJSON is how a derived key crosses the boundary and sits in the vault's settings:
// written (encode, in the order of the fields) and read (decodeKeyJSON) by hand as
// encoding/json would from the tags, strictly; bytes as base64.
type keyJSON struct {
	Memory  uint32 `json:"memory"`
	Time    uint32 `json:"time"`
	Threads uint8  `json:"threads"`
	Salt    string `json:"salt"`
	Key     string `json:"key"`
	Check   string `json:"check"`
}

var keyNames = []string{"memory", "time", "threads", "salt", "key", "check"}

func (j *keyJSON) encode() string {
	b := append([]byte(nil), `{"memory":`...)
	b = strictjson.AppendUint(b, uint64(j.Memory))
	b = append(b, `,"time":`...)
	b = strictjson.AppendUint(b, uint64(j.Time))
	b = append(b, `,"threads":`...)
	b = strictjson.AppendUint(b, uint64(j.Threads))
	b = append(b, `,"salt":`...)
	b = strictjson.AppendString(b, j.Salt)
	b = append(b, `,"key":`...)
	b = strictjson.AppendString(b, j.Key)
	b = append(b, `,"check":`...)
	b = strictjson.AppendString(b, j.Check)
	return string(append(b, '}'))
}

func decodeKeyJSON(s string) (keyJSON, error) {
	var j keyJSON
	d := strictjson.NewDecoder([]byte(s))
	d.Object(keyNames, func(i int, _ string) {
		switch i {
		case 0:
			j.Memory = uint32(d.Uint(32))
		case 1:
			j.Time = uint32(d.Uint(32))
		case 2:
			j.Threads = uint8(d.Uint(8))
		case 3:
			j.Salt = d.String()
		case 4:
			j.Key = d.String()
		case 5:
			j.Check = d.String()
		}
	})
	return j, d.End()
}

// backupKeyDerive(password) → the derived key as JSON text (default Argon2id parameters).
// Weak passwords are refused, as for backupWrite.
func backupKeyDerive(args []safejs.Value) (any, error) {
	password, err := bridge.Password(args, 0)
	if err != nil {
		return nil, err
	}
	if err := passgen.Check(string(password)); err != nil {
		return nil, bridge.Invalid(err)
	}
	defer runtime.GC() // what the KDF allocated beyond the kept work area (see main), and the file
	k, err := backup.DeriveKey(password, backup.Options{})
	if err != nil {
		return nil, err
	}
	defer k.Clear()
	return keyReply(k)
}

// keyReply writes a derived key as keyJSON text, the one shape both derivations return.
func keyReply(k *backup.Key) (any, error) {
	j := keyJSON{
		Memory: k.KDF.Memory, Time: k.KDF.Time, Threads: k.KDF.Threads,
		Salt: seal.EncodeBase64(k.Salt), Key: seal.EncodeBase64(k.Key[:]), Check: seal.EncodeBase64(k.Check[:]),
	}
	return j.encode(), nil
}

// backupWriteKeyed(accountsJSON, keyJSON) → the backup file's text.
func backupWriteKeyed(args []safejs.Value) (any, error) {
	accounts, err := bridge.Accounts(args, 0)
	if err != nil {
		return nil, err
	}
	s, err := bridge.String(args, 1)
	if err != nil {
		return nil, err
	}
	k, err := parseKey(s)
	if err != nil {
		return nil, bridge.Invalid(err)
	}
	defer k.Clear()
	file, err := backup.WriteWithKey(accounts, k, backup.Options{})
	if err != nil {
		return nil, err
	}
	return string(file), nil
}

func parseKey(s string) (*backup.Key, error) {
	j, err := decodeKeyJSON(s)
	if err != nil {
		return nil, errors.New("the automatic backup key is malformed")
	}
	salt, err1 := seal.DecodeBase64(j.Salt)
	key, err2 := seal.DecodeBase64(j.Key)
	check, err3 := seal.DecodeBase64(j.Check)
	if err1 != nil || err2 != nil || err3 != nil || len(key) != seal.KeySize || len(check) != seal.CheckSize {
		return nil, errors.New("the automatic backup key is malformed")
	}
	k := &backup.Key{KDF: vault.KDFParams{Memory: j.Memory, Time: j.Time, Threads: j.Threads}, Salt: salt}
	copy(k.Key[:], key)
	copy(k.Check[:], check)
	clear(key)
	return k, k.Valid()
}
