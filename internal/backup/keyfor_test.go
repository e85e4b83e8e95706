package backup

import (
	"errors"
	"reflect"
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

// KeyFor (the costly step, run elsewhere) and ReadWithKey (no KDF) together read what Read
// reads; a key that is not the file's is a wrong password, whatever its origin.
func TestKeyForAndReadWithKey(t *testing.T) {
	data := mustWrite(t, vaulttest.Accounts())
	want, err := Read(data, pw)
	if err != nil {
		t.Fatal(err)
	}
	k, err := KeyFor(data, pw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadWithKey(data, k)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("ReadWithKey read something else than Read")
	}
	if _, err := KeyFor(data, []byte("not it")); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("KeyFor with a wrong password: %v", err)
	}
	other, err := Write(nil, pw, opts(2)) // same password, another salt
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(k *Key){
		"another file's key": func(k *Key) { *k = *mustKeyFor(t, other) },
		"another key":        func(k *Key) { k.Key[0] ^= 1 },
		"another check":      func(k *Key) { k.Check[0] ^= 1 },
		"other parameters":   func(k *Key) { k.KDF.Time++ },
	} {
		bad := *mustKeyFor(t, data)
		bad.Salt = append([]byte(nil), bad.Salt...)
		edit(&bad)
		if _, err := ReadWithKey(data, &bad); err == nil {
			t.Errorf("%s opened the file", name)
		}
	}
	if _, err := ReadWithKey(data, nil); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("no key: %v", err)
	}
	// A file asking for too much is refused before the KDF runs, by KeyFor as by Read.
	costly := vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"], kdf(m)["time"] = 1<<20, 10 })
	if _, err := KeyFor(costly, pw); !errors.Is(err, vault.ErrKDFParams) {
		t.Errorf("KeyFor of a 1 GiB file: %v", err)
	}
}

func mustKeyFor(t *testing.T, data []byte) *Key {
	t.Helper()
	k, err := KeyFor(data, pw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
