package vault_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"reflect"
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

var update = flag.Bool("update", false, "rewrite testdata (vectors and fuzz seeds) from the generators")

// The committed vector pins the sealed form: a change that makes it unreadable is a
// format change and needs a new version.
const (
	vectorFile     = "testdata/v1-basic.vault.json"
	vectorExpected = "testdata/v1-basic.expected.json"
	vectorPassword = "codeward test vector"
)

func vectorVault() *vault.Vault {
	return &vault.Vault{Accounts: vaulttest.Accounts(), Settings: vault.RawJSON(`{"autoLockMinutes":15}`)}
}

// TestGenerateVectors rewrites testdata when run with -update; otherwise it checks that the
// generator still produces the committed files byte for byte.
func TestGenerateVectors(t *testing.T) {
	blob, _, err := vault.Create(vectorVault(), []byte(vectorPassword), vault.Options{KDF: vaulttest.FastKDF, Rand: vaulttest.Rand(42)})
	if err != nil {
		t.Fatal(err)
	}
	expected, err := json.MarshalIndent(vectorVault(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	small, _, err := vault.Create(&vault.Vault{Accounts: vaulttest.Accounts()[:1]}, []byte(fuzzPassword), vault.Options{KDF: vaulttest.FastKDF, Rand: vaulttest.Rand(fuzzSeed)})
	if err != nil {
		t.Fatal(err)
	}
	empty, _, err := vault.Create(&vault.Vault{}, []byte(fuzzPassword), vault.Options{KDF: vaulttest.FastKDF, Rand: vaulttest.Rand(fuzzSeed)})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		vectorFile:                                blob,
		vectorExpected:                            append(expected, '\n'),
		"testdata/fuzz/FuzzVaultOpen/small":       fuzzFile(small),
		"testdata/fuzz/FuzzVaultOpen/empty":       fuzzFile(empty),
		"testdata/fuzz/FuzzVaultOpen/bad-version": fuzzFile(bytes.Replace(small, []byte(`"version": 1`), []byte(`"version": 2`), 1)),
	}
	vaulttest.Golden(t, files, *update)
}

func fuzzFile(b []byte) []byte { return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", b) }

func TestVector(t *testing.T) {
	blob, err := os.ReadFile(vectorFile)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := os.ReadFile(vectorExpected)
	if err != nil {
		t.Fatal(err)
	}
	var want vault.Vault
	if err := json.Unmarshal(exp, &want); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, want.Settings); err != nil {
		t.Fatal(err)
	}
	want.Settings = compact.Bytes()
	got, _, err := vault.Unlock(blob, []byte(vectorPassword))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("vector opened as %+v\nwant %+v", got, want)
	}
	if _, _, err := vault.Unlock(blob, []byte("not the password")); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
}

const (
	fuzzPassword = "fuzz"
	fuzzSeed     = 5
)

// expensive reports whether blob asks for more Argon2id work than fuzzing should spend
// per input (the bounds themselves allow up to 1 GiB and 10 passes).
func expensive(blob []byte) bool {
	var e struct {
		Slots []struct {
			KDF struct{ Memory, Time, Threads float64 }
		}
	}
	if json.Unmarshal(blob, &e) != nil {
		return false
	}
	for _, s := range e.Slots {
		if s.KDF.Memory > 1024 || s.KDF.Time > 2 || s.KDF.Threads > 2 {
			return true
		}
	}
	return false
}

// FuzzVaultOpen: Unlock and Open never panic and fail only with a sentinel; whatever
// unlocks reseals to an equal vault.
func FuzzVaultOpen(f *testing.F) {
	blob, key, err := vault.Create(sample(), []byte(fuzzPassword), vault.Options{KDF: vaulttest.FastKDF, Rand: vaulttest.Rand(fuzzSeed)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(blob)
	f.Fuzz(func(t *testing.T, blob []byte) {
		if _, err := vault.Open(blob, key); err != nil && !vaulttest.IsSentinel(err) {
			t.Fatalf("Open: unexpected error %v", err)
		}
		if expensive(blob) {
			return // valid but costly parameters would turn fuzzing into Argon2 benchmarking
		}
		v, k, err := vault.Unlock(blob, []byte(fuzzPassword))
		if err != nil {
			if !vaulttest.IsSentinel(err) {
				t.Fatalf("Unlock: unexpected error %v", err)
			}
			return
		}
		b2, err := vault.Reseal(blob, k, v, vault.Options{})
		if errors.Is(err, vault.ErrInvalid) {
			return // readable but not writable content is not produced by this package
		}
		if err != nil {
			t.Fatalf("Reseal: %v", err)
		}
		v2, err := vault.Open(b2, k)
		if err != nil {
			t.Fatalf("Open after Reseal: %v", err)
		}
		if !reflect.DeepEqual(v, v2) {
			t.Fatalf("Reseal changed the vault: %+v → %+v", v, v2)
		}
	})
}
