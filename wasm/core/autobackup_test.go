//go:build js && wasm

package main

import (
	"encoding/json"
	"testing"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/seal"
	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
)

// A key derived once writes files the password alone opens, each with its own nonce.
func TestBackupKeyDeriveAndWrite(t *testing.T) {
	r := invoke(t, "backupKeyDerive", bkPassword)
	if !r.OK {
		t.Fatalf("backupKeyDerive: %s %s", r.Code, r.Msg)
	}
	keyText := str(t, r.Value)
	var k keyJSON
	if err := json.Unmarshal([]byte(keyText), &k); err != nil {
		t.Fatal(err)
	}
	d := vault.DefaultKDF
	if k.Memory != d.Memory || k.Time != d.Time || k.Threads != d.Threads {
		t.Errorf("derived with %+v, want the default %+v", k, d)
	}
	var nonces []string
	var files []string
	for i := 0; i < 2; i++ {
		w := invoke(t, "backupWriteKeyed", "["+rfcAccount+"]", keyText)
		if !w.OK {
			t.Fatalf("backupWriteKeyed: %s %s", w.Code, w.Msg)
		}
		file := str(t, w.Value)
		var env struct {
			Nonce string
			KDF   struct{ Salt string }
		}
		if err := json.Unmarshal([]byte(file), &env); err != nil {
			t.Fatal(err)
		}
		if env.KDF.Salt != k.Salt {
			t.Errorf("file %d has salt %s, the key %s", i, env.KDF.Salt, k.Salt)
		}
		nonces = append(nonces, env.Nonce)
		files = append(files, file)
	}
	if nonces[0] == nonces[1] {
		t.Fatal("two files with one nonce")
	}
	b, err := backup.Read([]byte(files[1]), []byte(bkPassword))
	if err != nil || len(b.Accounts) != 1 || b.Accounts[0].ID != "rfc" {
		t.Fatalf("Read: %v %+v", err, b)
	}
}

func TestBackupKeyRefusals(t *testing.T) {
	if r := invoke(t, "backupKeyDerive", "short"); r.OK || r.Code != bridge.CodeInvalid {
		t.Errorf("weak password: %+v", r)
	}
	fast, err := backup.DeriveKey([]byte(bkPassword), backup.Options{KDF: vault.KDFParams{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	good := keyJSON{Memory: 64, Time: 1, Threads: 1, Salt: seal.EncodeBase64(fast.Salt), Key: seal.EncodeBase64(fast.Key[:]), Check: seal.EncodeBase64(fast.Check[:])}
	enc := func(k keyJSON) string { b, _ := json.Marshal(k); return string(b) }
	if r := invoke(t, "backupWriteKeyed", "["+rfcAccount+"]", enc(good)); !r.OK {
		t.Fatalf("good key: %s %s", r.Code, r.Msg)
	}
	shortKey := good
	shortKey.Key = "AAAA"
	badKDF := good
	badKDF.Time = 99
	for name, s := range map[string]string{"not json": "{", "short key": enc(shortKey), "kdf out of bounds": enc(badKDF), "extra field": `{"memory":64,"x":1}`} {
		if r := invoke(t, "backupWriteKeyed", "["+rfcAccount+"]", s); r.OK {
			t.Errorf("%s: accepted", name)
		}
	}
}
