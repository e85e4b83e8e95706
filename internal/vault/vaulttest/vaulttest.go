// Package vaulttest provides what the vault and backup tests share: deterministic
// randomness, cheap KDF parameters, accounts that exercise every field, envelope editing
// and golden-file checks.
package vaulttest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// FastKDF keeps Argon2id to well under a millisecond so tests and fuzzing are not
// dominated by it.
var FastKDF = vault.KDFParams{Memory: 64, Time: 1, Threads: 1}

// Rand returns a deterministic reader of pseudo-random bytes.
func Rand(seed byte) io.Reader {
	var s [32]byte
	s[0] = seed
	return rand.NewChaCha8(s)
}

var t0 = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// Accounts returns a fixed set covering every type, algorithm and optional field,
// unicode text and punctuation.
func Accounts() []vault.Account {
	return []vault.Account{
		{ID: "a1", Type: otp.TOTP, Issuer: "Example", Name: "alice@example.com", Secret: "JBSWY3DPEHPK3PXP",
			Algorithm: otp.SHA1, Digits: 6, Period: 30, Sites: []string{"example.com"}, Order: 0, Created: t0, Updated: t0},
		{ID: "a2", Type: otp.TOTP, Issuer: "Zürich Bank — Ünïcödé 日本", Name: "José Müller (work) #2", Secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
			Algorithm: otp.SHA256, Digits: 8, Period: 60, Note: "recovery codes in the safe\nsecond line", Order: 1, Created: t0, Updated: t0.Add(time.Hour)},
		{ID: "a3", Type: otp.HOTP, Issuer: "Counter Co.", Name: "bob", Secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA",
			Algorithm: otp.SHA512, Digits: 7, Counter: 18446744073709551615, Order: 2, Created: t0, Updated: t0},
		{ID: "a4", Type: otp.Steam, Issuer: "Steam", Name: "gamer", Secret: "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ",
			Algorithm: otp.SHA1, Digits: 5, Period: 30, Sites: []string{"steampowered.com", "steamcommunity.com"}, Order: 3, Created: t0, Updated: t0},
		{ID: "a5", Type: otp.TOTP, Name: "no issuer, 10 digits, period 1", Secret: "MFRGGZDFMZTWQ2LK",
			Algorithm: otp.SHA1, Digits: 10, Period: 1, Sites: []string{"127.0.0.1:8080", "localhost:3000"}, Order: 4, Created: t0, Updated: t0},
	}
}

// Many returns n valid accounts with random secrets, as a large vault holds.
func Many(n int) []vault.Account {
	r := rand.New(rand.NewPCG(1, 2))
	algs := []otp.Algorithm{otp.SHA1, otp.SHA256, otp.SHA512}
	out := make([]vault.Account, n)
	for i := range out {
		secret := make([]byte, 20)
		for j := range secret {
			secret[j] = byte(r.UintN(256))
		}
		out[i] = vault.Account{
			ID:        fmt.Sprintf("acct-%04d", i),
			Type:      otp.TOTP,
			Issuer:    fmt.Sprintf("Service %d", i),
			Name:      fmt.Sprintf("user%d@example.com", i),
			Secret:    otp.EncodeSecret(secret),
			Algorithm: algs[i%3],
			Digits:    6 + i%3,
			Period:    30,
			Sites:     []string{fmt.Sprintf("service%d.example", i)},
			Note:      "",
			Order:     i,
			Created:   t0,
			Updated:   t0,
		}
	}
	return out
}

// Edit decodes data as generic JSON (numbers kept exact), applies f and re-encodes it.
// The layout changes, the meaning does not, so only f's change can make a reader fail.
func Edit(t testing.TB, data []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Golden writes files (path → content) when update is set; otherwise it checks that
// each committed file still equals what its generator produces, byte for byte.
func Golden(t testing.TB, files map[string][]byte, update bool) {
	t.Helper()
	for path, want := range files {
		if update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (regenerate with go test -run TestGenerateVectors -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what its generator writes now", path)
		}
	}
}

// IsSentinel reports whether err wraps one of the errors the vault and backup readers
// promise to fail with; anything else from them is a bug.
func IsSentinel(err error) bool {
	for _, s := range []error{vault.ErrWrongPassword, vault.ErrCorrupt, vault.ErrUnsupportedVersion, vault.ErrKDFParams} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
