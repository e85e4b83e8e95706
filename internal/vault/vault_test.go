package vault_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

var pw = []byte("correct horse battery staple")

func opts(seed byte) vault.Options {
	return vault.Options{KDF: vaulttest.FastKDF, Rand: vaulttest.Rand(seed)}
}

func sample() *vault.Vault {
	return &vault.Vault{
		Accounts: vaulttest.Accounts(),
		Settings: vault.RawJSON(`{"autoLockMinutes":15,"autofill":true}`),
	}
}

func mustCreate(t testing.TB, v *vault.Vault) ([]byte, vault.DataKey) {
	t.Helper()
	blob, key, err := vault.Create(v, pw, opts(1))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return blob, key
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    *vault.Vault
	}{
		{"sample", sample()},
		{"empty", &vault.Vault{}},
		{"no settings", &vault.Vault{Accounts: vaulttest.Accounts()}},
		{"many", &vault.Vault{Accounts: vaulttest.Many(50)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			blob, key := mustCreate(t, tc.v)
			want := *tc.v
			if want.Accounts == nil {
				want.Accounts = []vault.Account{}
			}
			got, gotKey, err := vault.Unlock(blob, pw)
			if err != nil {
				t.Fatalf("Unlock: %v", err)
			}
			if gotKey != key {
				t.Error("Unlock returned another data key than Create")
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("Unlock = %+v\nwant %+v", *got, want)
			}
			got, err = vault.Open(blob, key)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("Open = %+v\nwant %+v", *got, want)
			}
		})
	}
}

func TestDefaultKDF(t *testing.T) {
	blob, key, err := vault.Create(sample(), pw, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Slots []struct {
			KDF struct{ Memory, Time, Threads int }
		}
	}
	if err := json.Unmarshal(blob, &e); err != nil {
		t.Fatal(err)
	}
	if k := e.Slots[0].KDF; k.Memory != 65536 || k.Time != 3 || k.Threads != 4 {
		t.Errorf("default KDF written as %+v", k)
	}
	if _, k2, err := vault.Unlock(blob, pw); err != nil || k2 != key {
		t.Fatalf("Unlock with default KDF: %v", err)
	}
}

func TestWrongPassword(t *testing.T) {
	blob, _ := mustCreate(t, sample())
	for _, p := range [][]byte{[]byte("correct horse battery stapl"), []byte("Correct horse battery staple"), {}, nil} {
		if _, _, err := vault.Unlock(blob, p); !errors.Is(err, vault.ErrWrongPassword) {
			t.Errorf("Unlock(%q) error = %v, want ErrWrongPassword", p, err)
		}
	}
	var other vault.DataKey
	other[0] = 1
	if _, err := vault.Open(blob, other); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("Open with another key: %v, want ErrCorrupt", err)
	}
}

func TestReseal(t *testing.T) {
	blob, key := mustCreate(t, sample())
	v := sample()
	v.Accounts = v.Accounts[1:]
	v.Accounts[0].Name = "renamed"
	v.Settings = vault.RawJSON(`{"autofill":false}`)
	blob2, err := vault.Reseal(blob, key, v, vault.Options{Rand: vaulttest.Rand(2)})
	if err != nil {
		t.Fatal(err)
	}
	if slots(t, blob) != slots(t, blob2) {
		t.Error("Reseal changed the key slots")
	}
	got, key2, err := vault.Unlock(blob2, pw)
	if err != nil {
		t.Fatalf("Unlock after Reseal with the old password: %v", err)
	}
	if key2 != key || !reflect.DeepEqual(got, v) {
		t.Errorf("after Reseal: %+v, want %+v", got, v)
	}
	// The old blob still opens as it was (Reseal returns a new blob, it does not patch).
	if old, err := vault.Open(blob, key); err != nil || len(old.Accounts) != len(sample().Accounts) {
		t.Errorf("old blob after Reseal: %v", err)
	}

	var wrong vault.DataKey
	if _, err := vault.Reseal(blob, wrong, v, vault.Options{}); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("Reseal with a foreign key: %v, want ErrCorrupt", err)
	}
	bad := sample()
	bad.Accounts[1].ID = bad.Accounts[0].ID
	if _, err := vault.Reseal(blob, key, bad, vault.Options{}); !errors.Is(err, vault.ErrInvalid) {
		t.Errorf("Reseal with duplicate ids: %v, want ErrInvalid", err)
	}
}

// slots returns the envelope's slots member, re-encoded for comparison.
func slots(t *testing.T, blob []byte) string {
	t.Helper()
	var e struct{ Slots json.RawMessage }
	if err := json.Unmarshal(blob, &e); err != nil {
		t.Fatal(err)
	}
	return string(e.Slots)
}

func TestChangePassword(t *testing.T) {
	blob, key := mustCreate(t, sample())
	newPW := []byte("new password ✓")
	blob2, key2, err := vault.ChangePassword(blob, key, newPW, opts(3))
	if err != nil {
		t.Fatal(err)
	}
	if slots(t, blob) == slots(t, blob2) {
		t.Error("ChangePassword kept the old slot")
	}
	if _, _, err := vault.Unlock(blob2, pw); !errors.Is(err, vault.ErrWrongPassword) {
		t.Errorf("old password after change: %v, want ErrWrongPassword", err)
	}
	got, unlocked, err := vault.Unlock(blob2, newPW)
	if err != nil {
		t.Fatal(err)
	}
	if unlocked != key2 {
		t.Error("the new password unlocks another key than ChangePassword returned")
	}
	if !reflect.DeepEqual(got, sample()) {
		t.Error("ChangePassword changed the content")
	}
	// A later Reseal with the new key keeps the new password slot.
	blob3, err := vault.Reseal(blob2, key2, &vault.Vault{}, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := vault.Unlock(blob3, newPW); err != nil {
		t.Errorf("Unlock after ChangePassword and Reseal: %v", err)
	}

	if _, _, err := vault.ChangePassword(blob, key, nil, opts(3)); !errors.Is(err, vault.ErrInvalid) {
		t.Errorf("empty new password: %v", err)
	}
	var wrong vault.DataKey
	if _, _, err := vault.ChangePassword(blob, wrong, newPW, opts(3)); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("ChangePassword with a foreign key: %v", err)
	}
}

// The data key rotates with the password: a copy of an old generation (which browser
// storage files may keep) plus the old password yields a key that opens nothing written
// after the change, and the old key cannot reseal the new blob.
func TestChangePasswordRotatesKey(t *testing.T) {
	oldBlob, oldKey := mustCreate(t, sample())
	newPW := []byte("another password entirely")
	blob2, newKey, err := vault.ChangePassword(oldBlob, oldKey, newPW, opts(4))
	if err != nil {
		t.Fatal(err)
	}
	if newKey == oldKey {
		t.Fatal("ChangePassword kept the data key")
	}
	after := sample()
	after.Accounts = after.Accounts[:1]
	blob3, err := vault.Reseal(blob2, newKey, after, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// What an attacker holding the old password and an old file gets.
	_, leaked, err := vault.Unlock(oldBlob, pw)
	if err != nil || leaked != oldKey {
		t.Fatalf("old file with old password: %v", err)
	}
	for name, b := range map[string][]byte{"changed": blob2, "changed and resealed": blob3} {
		if _, err := vault.Open(b, leaked); !errors.Is(err, vault.ErrCorrupt) {
			t.Errorf("%s blob opened with the old data key: %v", name, err)
		}
		if _, err := vault.Reseal(b, leaked, sample(), vault.Options{}); err == nil {
			t.Errorf("%s blob resealed with the old data key", name)
		}
		if _, _, err := vault.Unlock(b, pw); !errors.Is(err, vault.ErrWrongPassword) {
			t.Errorf("%s blob with the old password: %v", name, err)
		}
	}
	// Two changes to the same password still give different keys.
	_, k1, err := vault.ChangePassword(blob2, newKey, newPW, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	_, k2, err := vault.ChangePassword(blob2, newKey, newPW, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	if k1 == k2 || k1 == newKey {
		t.Error("data keys repeat across password changes")
	}
}

func TestCreateRejects(t *testing.T) {
	nonUTF8 := sample()
	nonUTF8.Accounts[0].Name = "al\xffice"
	badIssuer := sample()
	badIssuer.Accounts[1].Issuer = "\xc3\x28"
	dupID := sample()
	dupID.Accounts[2].ID = "a1"
	arraySettings := sample()
	arraySettings.Settings = vault.RawJSON(`[1,2]`)
	nullSettings := sample()
	nullSettings.Settings = vault.RawJSON(`null`)
	brokenSettings := sample()
	brokenSettings.Settings = vault.RawJSON(`{"a":`)
	for _, tc := range []struct {
		name string
		v    *vault.Vault
		pw   []byte
		kdf  vault.KDFParams
		want error
	}{
		{"non-UTF-8 name", nonUTF8, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"non-UTF-8 issuer", badIssuer, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"duplicate id", dupID, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"settings array", arraySettings, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"settings null", nullSettings, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"settings broken", brokenSettings, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"nil vault", nil, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"empty password", sample(), nil, vaulttest.FastKDF, vault.ErrInvalid},
		{"memory 4 GiB", sample(), pw, vault.KDFParams{Memory: 4 << 20, Time: 1, Threads: 1}, vault.ErrKDFParams},
		{"time 0", sample(), pw, vault.KDFParams{Memory: 64, Time: 0, Threads: 1}, vault.ErrKDFParams},
		{"threads 0", sample(), pw, vault.KDFParams{Memory: 64, Time: 1}, vault.ErrKDFParams},
		{"memory below 8 per thread", sample(), pw, vault.KDFParams{Memory: 31, Time: 1, Threads: 4}, vault.ErrKDFParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := vault.Create(tc.v, tc.pw, vault.Options{KDF: tc.kdf})
			if !errors.Is(err, tc.want) {
				t.Errorf("Create error = %v, want %v", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "JBSWY3DP") {
				t.Errorf("error message contains a secret: %v", err)
			}
		})
	}
}

func slot0(m map[string]any) map[string]any {
	return m["slots"].([]any)[0].(map[string]any)
}

func kdf0(m map[string]any) map[string]any {
	return slot0(m)["kdf"].(map[string]any)
}

func TestOpenRejects(t *testing.T) {
	blob, key := mustCreate(t, sample())
	if _, _, err := vault.Unlock(vaulttest.Edit(t, blob, func(map[string]any) {}), pw); err != nil {
		t.Fatalf("re-encoding alone must not break the blob: %v", err)
	}
	other, _, err := vault.Create(sample(), pw, opts(9))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		blob []byte
		want error
	}{
		{"empty", nil, vault.ErrCorrupt},
		{"50 MB of zeros", make([]byte, 50<<20), vault.ErrCorrupt},
		{"just over the size limit", append(bytes.Repeat([]byte(" "), vault.MaxBlobSize), blob...), vault.ErrCorrupt},
		{"not JSON", []byte("codeward"), vault.ErrCorrupt},
		{"JSON array", []byte("[]"), vault.ErrCorrupt},
		{"trailing data", append(append([]byte{}, blob...), "{}"...), vault.ErrCorrupt},
		{"other format", vaulttest.Edit(t, blob, func(m map[string]any) { m["format"] = "codeward-backup" }), vault.ErrCorrupt},
		{"format missing", vaulttest.Edit(t, blob, func(m map[string]any) { delete(m, "format") }), vault.ErrCorrupt},
		{"version 2", vaulttest.Edit(t, blob, func(m map[string]any) { m["version"] = 2 }), vault.ErrUnsupportedVersion},
		{"version 0", vaulttest.Edit(t, blob, func(m map[string]any) { m["version"] = 0 }), vault.ErrUnsupportedVersion},
		{"version missing", vaulttest.Edit(t, blob, func(m map[string]any) { delete(m, "version") }), vault.ErrCorrupt},
		{"version string", vaulttest.Edit(t, blob, func(m map[string]any) { m["version"] = "1" }), vault.ErrCorrupt},
		{"unknown member", vaulttest.Edit(t, blob, func(m map[string]any) { m["extra"] = 1 }), vault.ErrCorrupt},
		{"member in other case", bytes.Replace(blob, []byte(`"payload"`), []byte(`"Payload"`), 1), vault.ErrCorrupt},
		{"duplicate member", bytes.Replace(blob, []byte(`"version": 1,`), []byte(`"version": 1, "version": 1,`), 1), vault.ErrCorrupt},
		{"no slots", vaulttest.Edit(t, blob, func(m map[string]any) { m["slots"] = []any{} }), vault.ErrCorrupt},
		{"two slots", vaulttest.Edit(t, blob, func(m map[string]any) { m["slots"] = []any{slot0(m), slot0(m)} }), vault.ErrCorrupt},
		{"unknown slot type", vaulttest.Edit(t, blob, func(m map[string]any) { slot0(m)["type"] = "passkey" }), vault.ErrCorrupt},
		{"unknown kdf", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["name"] = "scrypt" }), vault.ErrCorrupt},
		{"short salt", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["salt"] = "AAAAAAAAAAAAAAAAAAAA" }), vault.ErrCorrupt},
		{"salt not base64", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["salt"] = "!!!!AAAAAAAAAAAAAAAAAA==" }), vault.ErrCorrupt},
		{"non-canonical base64", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["salt"] = "AAAAAAAAAAAAAAAAAAAAAB==" }), vault.ErrCorrupt},
		{"base64 with line break", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["salt"] = "AAAAAAAAAAAA\nAAAAAAAAAA==" }), vault.ErrCorrupt},
		{"slot from another vault", vaulttest.Edit(t, blob, func(m map[string]any) {
			m["slots"] = edit2(t, other)["slots"]
		}), vault.ErrCorrupt},
		{"payload from another vault", vaulttest.Edit(t, blob, func(m map[string]any) {
			o := edit2(t, other)
			m["payload"], m["nonce"] = o["payload"], o["nonce"]
		}), vault.ErrCorrupt},
		{"payload truncated", vaulttest.Edit(t, blob, func(m map[string]any) {
			p := m["payload"].(string)
			m["payload"] = p[:len(p)-8] + "AAAA"
		}), vault.ErrCorrupt},
		{"changed threads", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["threads"] = 2 }), vault.ErrWrongPassword},
		{"memory 4 GiB", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["memory"] = 4 << 20 }), vault.ErrKDFParams},
		{"memory 2^64-1", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["memory"] = uint64(1<<64 - 1) }), vault.ErrKDFParams},
		{"memory 2^70", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["memory"] = json.Number("1180591620717411303424") }), vault.ErrCorrupt},
		{"memory negative", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["memory"] = -1 }), vault.ErrCorrupt},
		{"memory missing", vaulttest.Edit(t, blob, func(m map[string]any) { delete(kdf0(m), "memory") }), vault.ErrKDFParams},
		{"time 11", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["time"] = 11 }), vault.ErrKDFParams},
		{"time 0", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["time"] = 0 }), vault.ErrKDFParams},
		{"threads 17", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["threads"] = 17 }), vault.ErrKDFParams},
		{"threads 256", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["threads"] = 256 }), vault.ErrKDFParams},
		{"threads 0", vaulttest.Edit(t, blob, func(m map[string]any) { kdf0(m)["threads"] = 0 }), vault.ErrKDFParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, err := vault.Unlock(tc.blob, pw)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tc.want) {
				t.Errorf("Unlock error = %v, want %v", err, tc.want)
			}
			if errors.Is(err, vault.ErrKDFParams) {
				// Fail fast: bounds are checked before Argon2 allocates its memory. The
				// threshold leaves room for JSON decoding of a few-KiB blob.
				if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
					t.Errorf("rejecting KDF parameters allocated %d bytes", n)
				}
			}
			if tc.want != vault.ErrWrongPassword {
				if _, err := vault.Open(tc.blob, key); !errors.Is(err, tc.want) {
					t.Errorf("Open error = %v, want %v", err, tc.want)
				}
			}
		})
	}
}

func edit2(t testing.TB, blob []byte) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(blob, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func smallBlob(t testing.TB) ([]byte, vault.DataKey) {
	blob, key, err := vault.Create(&vault.Vault{Accounts: vaulttest.Accounts()[:1]}, pw, opts(4))
	if err != nil {
		t.Fatal(err)
	}
	return blob, key
}

func TestTruncated(t *testing.T) {
	blob, key := smallBlob(t)
	// The trailing newline is insignificant whitespace; every shorter prefix must fail.
	for n := 0; n < len(blob)-1; n++ {
		if _, _, err := vault.Unlock(blob[:n], pw); err == nil || !vaulttest.IsSentinel(err) {
			t.Fatalf("Unlock of %d/%d bytes: %v", n, len(blob), err)
		}
		if _, err := vault.Open(blob[:n], key); err == nil || !vaulttest.IsSentinel(err) {
			t.Fatalf("Open of %d/%d bytes: %v", n, len(blob), err)
		}
	}
}

func TestBitFlips(t *testing.T) {
	blob, key := smallBlob(t)
	buf := make([]byte, len(blob))
	for i := range blob {
		for bit := 0; bit < 8; bit++ {
			copy(buf, blob)
			buf[i] ^= 1 << bit
			if _, _, err := vault.Unlock(buf, pw); err == nil || !vaulttest.IsSentinel(err) {
				t.Fatalf("Unlock with byte %d bit %d flipped (%q→%q): %v", i, bit, blob[i], buf[i], err)
			}
			if _, err := vault.Open(buf, key); err == nil || !vaulttest.IsSentinel(err) {
				t.Fatalf("Open with byte %d bit %d flipped (%q→%q): %v", i, bit, blob[i], buf[i], err)
			}
		}
	}
}

func TestSettingsStoredCompact(t *testing.T) {
	v := &vault.Vault{Settings: vault.RawJSON("{ \"autoLockMinutes\" : 5 }")}
	blob, key := mustCreate(t, v)
	got, err := vault.Open(blob, key)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Settings) != `{"autoLockMinutes":5}` {
		t.Errorf("settings = %s", got.Settings)
	}
}

func TestDeterministicWithInjectedRand(t *testing.T) {
	a, _, err := vault.Create(sample(), pw, opts(7))
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := vault.Create(sample(), pw, opts(7))
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := vault.Create(sample(), pw, opts(8))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("Create must depend only on its inputs and Options.Rand")
	}
}
