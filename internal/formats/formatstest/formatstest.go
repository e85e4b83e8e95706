// Package formatstest holds what the format packages' tests share: the canonical test
// accounts every peer fixture holds (the Aegis project's VaultEntries V1–V8), a comparison
// of the fields that make a code, and the location of the peer fixtures.
//
// The peer fixtures are files other apps really wrote. They live outside the repository in
// ../shared/peers (relative to the module root) and are read at test time only; tests skip
// with a message when the folder is absent.
package formatstest

import (
	"bytes"
	"encoding/base32"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

var vectors = map[string]vault.Account{
	"V1": {Type: otp.TOTP, Issuer: "Deno", Name: "Mason", Secret: "4SJHB4GSD43FZBAI7C2HLRJGPQ", Algorithm: otp.SHA1, Digits: 6, Period: 30},
	"V2": {Type: otp.TOTP, Issuer: "SPDX", Name: "James", Secret: "5OM4WOOGPLQEF6UGN3CPEOOLWU", Algorithm: otp.SHA256, Digits: 7, Period: 20},
	"V3": {Type: otp.TOTP, Issuer: "Airbnb", Name: "Elijah", Secret: "7ELGJSGXNCCTV3O6LKJWYFV2RA", Algorithm: otp.SHA512, Digits: 8, Period: 50},
	"V4": {Type: otp.HOTP, Issuer: "Issuu", Name: "James", Secret: "YOOMIXWS5GN6RTBPUFFWKTW5M4", Algorithm: otp.SHA1, Digits: 6, Counter: 1},
	"V5": {Type: otp.HOTP, Issuer: "Air Canada", Name: "Benjamin", Secret: "KUVJJOM753IHTNDSZVCNKL7GII", Algorithm: otp.SHA256, Digits: 7, Counter: 50},
	"V6": {Type: otp.HOTP, Issuer: "WWE", Name: "Mason", Secret: "5VAML3X35THCEBVRLV24CGBKOY", Algorithm: otp.SHA512, Digits: 8, Counter: 10300},
	"V7": {Type: otp.Steam, Issuer: "Boeing", Name: "Sophia", Secret: "JRZCL47CMXVOQMNPZR2F7J4RGI", Algorithm: otp.SHA1, Digits: 5, Period: 30},
	"V8": {Type: otp.TOTP, Issuer: "Battle.net", Name: "US-2211-2050-3346", Secret: "BMGRXPGFARQQF4GMT25JATL2VYLAHDBI", Algorithm: otp.SHA1, Digits: 8, Period: 30},
}

// Vector returns a copy of the canonical account id ("V1" … "V8"); it panics on an
// unknown id, which is a mistake in a test table.
func Vector(id string) vault.Account {
	a, ok := vectors[id]
	if !ok {
		panic("formatstest: no vector " + id)
	}
	return a
}

// Vectors returns copies of the given canonical accounts, in that order.
func Vectors(ids ...string) []vault.Account {
	out := make([]vault.Account, len(ids))
	for i, id := range ids {
		out[i] = Vector(id)
	}
	return out
}

// All returns V1–V7, the accounts every full fixture holds, in the fixtures' order.
func All() []vault.Account { return Vectors("V1", "V2", "V3", "V4", "V5", "V6", "V7") }

// AsTOTP returns a as the TOTP account an app without HOTP/Steam support stores: same
// secret, algorithm and digits, period 30 when a had none.
func AsTOTP(a vault.Account) vault.Account {
	a.Type = otp.TOTP
	a.Counter = 0
	if a.Period == 0 {
		a.Period = 30
	}
	return a
}

// AsPlainTOTP returns a as an app that knows only SHA1, 6 digits and 30 s stores it.
func AsPlainTOTP(a vault.Account) vault.Account {
	a = AsTOTP(a)
	a.Algorithm, a.Digits, a.Period = otp.SHA1, 6, 30
	return a
}

// Map applies f to each account.
func Map(as []vault.Account, f func(vault.Account) vault.Account) []vault.Account {
	out := make([]vault.Account, len(as))
	for i, a := range as {
		out[i] = f(a)
	}
	return out
}

// Diff describes how got differs from want in the fields that make a code (type, issuer,
// name, secret, algorithm, digits, period, counter), or returns "" when they agree. Secrets
// are compared as bytes, so padding and case do not matter. Period is ignored for HOTP and
// Counter for TOTP and Steam.
func Diff(got, want vault.Account) string {
	var d []string
	if got.Type != want.Type {
		d = append(d, fmt.Sprintf("type %q, want %q", got.Type, want.Type))
	}
	if got.Issuer != want.Issuer {
		d = append(d, fmt.Sprintf("issuer %q, want %q", got.Issuer, want.Issuer))
	}
	if got.Name != want.Name {
		d = append(d, fmt.Sprintf("name %q, want %q", got.Name, want.Name))
	}
	gs, gerr := decodeSecret(got.Secret)
	ws, werr := decodeSecret(want.Secret)
	if gerr != nil || werr != nil || !bytes.Equal(gs, ws) {
		d = append(d, fmt.Sprintf("secret %q, want %q", got.Secret, want.Secret))
	}
	if got.Algorithm != want.Algorithm {
		d = append(d, fmt.Sprintf("algorithm %q, want %q", got.Algorithm, want.Algorithm))
	}
	if got.Digits != want.Digits {
		d = append(d, fmt.Sprintf("digits %d, want %d", got.Digits, want.Digits))
	}
	if want.Type != otp.HOTP && got.Period != want.Period {
		d = append(d, fmt.Sprintf("period %d, want %d", got.Period, want.Period))
	}
	if (want.Type == otp.HOTP || got.Type == otp.HOTP) && got.Counter != want.Counter {
		d = append(d, fmt.Sprintf("counter %d, want %d", got.Counter, want.Counter))
	}
	return strings.Join(d, "; ")
}

func decodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.TrimRight(s, "="))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}

// Compare fails t for every account of got that differs from want (same order).
func Compare(t testing.TB, got, want []vault.Account) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d accounts, want %d", len(got), len(want))
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if d := Diff(got[i], want[i]); d != "" {
			t.Errorf("account %d (%s:%s): %s", i+1, want[i].Issuer, want[i].Name, d)
		}
	}
	for i := len(want); i < len(got); i++ {
		t.Errorf("extra account %d: %s:%s", i+1, got[i].Issuer, got[i].Name)
	}
}

// ModuleRoot returns the directory of the go.mod above the working directory.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// PeersDir returns ../shared/peers/sub relative to the module root, and skips the test when
// that folder is absent (the fixtures are not part of the repository).
func PeersDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(ModuleRoot(t)), "shared", "peers", sub)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Skipf("peer fixtures not found at %s: they live outside the repository", dir)
	}
	return dir
}

// ReadPeer reads one peer fixture, skipping the test when the fixtures are absent.
func ReadPeer(t testing.TB, sub, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(PeersDir(t, sub), name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Valid fails t unless every account would be accepted into a vault (the vault assigns
// the ID an importer leaves empty).
func Valid(t testing.TB, accounts []vault.Account) {
	t.Helper()
	for i, a := range accounts {
		if a.ID == "" {
			a.ID = "import"
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("account %d is invalid: %v", i+1, err)
		}
	}
}
