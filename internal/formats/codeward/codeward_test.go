package codeward

import (
	"errors"
	"testing"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/vault"
)

var cheap = vault.KDFParams{Memory: 8, Time: 1, Threads: 1}

func TestRoundTrip(t *testing.T) {
	f, ok := formats.Lookup("codeward")
	if !ok || f.Importer == nil || f.Exporter == nil || !f.Exporter.NeedsPassword() {
		t.Fatalf("codeward format not registered as an encrypted import/export format: %+v", f)
	}
	want := formatstest.All()
	exp := Exporter{}.WithKDF(cheap)
	data, err := exp.Export(want, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if !(Importer{}).Detect(data) || !(Importer{}).Encrypted(data) {
		t.Fatal("an exported backup is not detected as an encrypted Codeward backup")
	}
	if got, err := formats.Detect(data); err != nil || got.Name != "codeward" {
		t.Fatalf("registry detects %q (%v)", got.Name, err)
	}
	res, err := Importer{}.Import(data, []byte("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems: %v", res.Problems)
	}
	formatstest.Compare(t, res.Accounts, want)
	ids := map[string]bool{}
	for _, a := range res.Accounts {
		if a.ID == "" || ids[a.ID] {
			t.Errorf("account %s:%s has a missing or repeated id %q", a.Issuer, a.Name, a.ID)
		}
		ids[a.ID] = true
	}
	if want[0].ID != "" {
		t.Error("Export changed the caller's accounts")
	}

	if _, err := (Importer{}).Import(data, []byte("wrong")); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := (Importer{}).Import(data, nil); !errors.Is(err, formats.ErrPasswordRequired) {
		t.Errorf("no password: %v", err)
	}
	if _, err := exp.Export(want, nil); !errors.Is(err, formats.ErrPasswordRequired) {
		t.Errorf("export without a password: %v", err)
	}
	if _, err := (Importer{}).Import(data[:len(data)/2], []byte("correct horse")); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("truncated: %v", err)
	}
}

func TestEmptyBackup(t *testing.T) {
	data, err := Exporter{}.WithKDF(cheap).Export(nil, []byte("pw"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Importer{}.Import(data, []byte("pw"))
	if err != nil || len(res.Accounts) != 0 || len(res.Problems) != 0 {
		t.Errorf("empty backup: %+v, %v", res, err)
	}
}

func TestDetectOthers(t *testing.T) {
	for _, s := range []string{"", "{}", `{"version": 1, "header": {}}`, "otpauth://totp/a?secret=AAAA", "\x00\x00\x00"} {
		if (Importer{}).Detect([]byte(s)) {
			t.Errorf("Detect(%q) = true", s)
		}
	}
}
