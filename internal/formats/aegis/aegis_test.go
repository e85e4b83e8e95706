package aegis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"golang.org/x/crypto/scrypt"
	"math/rand"
	"strings"
	"testing"

	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/vault"
)

// tiny keeps the tests' scrypt runs fast; real exports use DefaultScrypt.
var tiny = Exporter{Scrypt: ScryptParams{N: 16, R: 8, P: 1}, Rand: rand.New(rand.NewSource(1))}

func TestPeerFixtures(t *testing.T) {
	for _, tc := range []struct {
		file     string
		password []byte
	}{
		{"aegis_plain.json", nil},
		{"aegis_encrypted.json", []byte("test")},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := formatstest.ReadPeer(t, "aegis", tc.file)
			formatstest.CheckImport(t, Importer{}, data, tc.password, formatstest.All())
		})
	}
}

func TestRoundTrip(t *testing.T) {
	want := formatstest.All()
	want[0].Note = "a note"
	for _, pw := range [][]byte{nil, []byte("pässwörd")} {
		out, err := tiny.Export(want, pw)
		if err != nil {
			t.Fatal(err)
		}
		imp := Importer{}
		if !imp.Detect(out) || imp.Encrypted(out) != (pw != nil) {
			t.Fatalf("own export not detected as expected (password %v)", pw != nil)
		}
		res, err := imp.Import(out, pw)
		if err != nil {
			t.Fatal(err)
		}
		formatstest.Compare(t, res.Accounts, want)
		if res.Accounts[0].Note != "a note" {
			t.Errorf("note lost: %q", res.Accounts[0].Note)
		}
		if pw != nil {
			if _, err := imp.Import(out, []byte("pässword")); !errors.Is(err, vault.ErrWrongPassword) {
				t.Errorf("wrong password: %v", err)
			}
		}
	}
}

// mutate decodes an exported vault, lets f change it and encodes it again.
func mutate(t *testing.T, data []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func slot0(m map[string]any) map[string]any {
	return m["header"].(map[string]any)["slots"].([]any)[0].(map[string]any)
}

func TestBadFiles(t *testing.T) {
	pw := []byte("pw")
	enc, err := tiny.Export(formatstest.All(), pw)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"huge N", mutate(t, enc, func(m map[string]any) { slot0(m)["n"] = 1 << 30 }), vault.ErrKDFParams},
		{"N not a power of two", mutate(t, enc, func(m map[string]any) { slot0(m)["n"] = 1000 }), vault.ErrKDFParams},
		{"huge p", mutate(t, enc, func(m map[string]any) { slot0(m)["p"] = 1 << 20 }), vault.ErrKDFParams},
		{"huge r", mutate(t, enc, func(m map[string]any) { slot0(m)["r"] = 1 << 24 }), vault.ErrKDFParams},
		{"db flipped", mutate(t, enc, func(m map[string]any) {
			db := []byte(m["db"].(string))
			if db[5] == 'A' {
				db[5] = 'B'
			} else {
				db[5] = 'A'
			}
			m["db"] = string(db)
		}), ErrCorrupt},
		{"biometric only", mutate(t, enc, func(m map[string]any) { slot0(m)["type"] = 2 }), ErrCorrupt},
		{"version 2", mutate(t, enc, func(m map[string]any) { m["version"] = 2 }), ErrCorrupt},
		{"bad nonce", mutate(t, enc, func(m map[string]any) {
			m["header"].(map[string]any)["params"].(map[string]any)["nonce"] = "00"
		}), ErrCorrupt},
		{"not json", []byte("{"), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := (Importer{}).Import(tc.data, pw)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "pw") {
				t.Errorf("error mentions the password: %v", err)
			}
		})
	}
}

func TestEntryProblems(t *testing.T) {
	plain, err := tiny.Export(formatstest.Vectors("V1", "V4"), nil)
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(e map[string]any)) []byte {
		return mutate(t, plain, func(m map[string]any) {
			f(m["db"].(map[string]any)["entries"].([]any)[1].(map[string]any))
		})
	}
	info := func(e map[string]any) map[string]any { return e["info"].(map[string]any) }
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"yandex", edit(func(e map[string]any) { e["type"] = "yandex" })},
		{"hotp without counter", edit(func(e map[string]any) { delete(info(e), "counter") })},
		{"bad secret", edit(func(e map[string]any) { info(e)["secret"] = "1!" })},
		{"md5", edit(func(e map[string]any) { info(e)["algo"] = "MD5" })},
		{"no digits", edit(func(e map[string]any) { delete(info(e), "digits") })},
		{"digits 11", edit(func(e map[string]any) { info(e)["digits"] = 11 })},
		{"not an object", mutate(t, plain, func(m map[string]any) { m["db"].(map[string]any)["entries"].([]any)[1] = 7 })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := (Importer{}).Import(tc.data, nil)
			if err != nil {
				t.Fatal(err)
			}
			formatstest.Compare(t, res.Accounts, formatstest.Vectors("V1"))
			formatstest.CheckProblem(t, res, 2, "YOOMIX")
		})
	}
	// Every entry bad: an error, not an empty success.
	bad := mutate(t, plain, func(m map[string]any) {
		for _, e := range m["db"].(map[string]any)["entries"].([]any) {
			e.(map[string]any)["type"] = "motp"
		}
	})
	if _, err := (Importer{}).Import(bad, nil); err == nil {
		t.Error("a vault of only bad entries imported without error")
	}
}

// TestLegacySlot builds a slot the way Aegis did before issue #95 was fixed (key derived
// from Java's padded encoder buffer) and checks that only an unrepaired slot falls back.
func TestLegacySlot(t *testing.T) {
	password := []byte(strings.Repeat("long password ", 5)) // 70 chars: buffer 77 bytes
	if got := len(javaLegacyBytes(password)); got != 77 {
		t.Fatalf("legacy buffer = %d bytes, want 77", got)
	}
	legacy := tiny
	legacy.Rand = rand.New(rand.NewSource(2))
	data, err := legacy.Export(formatstest.All(), javaLegacyBytes(password))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		repaired any
		ok       bool
	}{{false, true}, {nil, true}, {true, false}} {
		d := mutate(t, data, func(m map[string]any) {
			if tc.repaired == nil {
				delete(slot0(m), "repaired")
			} else {
				slot0(m)["repaired"] = tc.repaired
			}
		})
		res, err := (Importer{}).Import(d, password)
		if tc.ok {
			if err != nil {
				t.Errorf("repaired=%v: %v", tc.repaired, err)
				continue
			}
			formatstest.Compare(t, res.Accounts, formatstest.All())
		} else if !errors.Is(err, vault.ErrWrongPassword) {
			t.Errorf("repaired=%v: err = %v, want wrong password", tc.repaired, err)
		}
	}
}

func TestJavaLegacyBytes(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want int
	}{
		{"", 0}, {"test", 4}, {"0123456789", 11}, {"ü", 3}, // 1 char: n=1, grows to 3
		{"ääää", 9}, // 4 chars: n=4, 8 bytes → 9
		{"😀", 5},    // 2 UTF-16 units: n=2, 4 bytes → 5
	} {
		got := javaLegacyBytes([]byte(tc.pw))
		if len(got) != tc.want || !bytes.HasPrefix(got, []byte(tc.pw)) {
			t.Errorf("%q: %d bytes, want %d", tc.pw, len(got), tc.want)
		}
	}
}

func FuzzImport(f *testing.F) {
	plain, _ := tiny.Export(formatstest.Vectors("V1", "V4", "V7"), nil)
	enc, _ := tiny.Export(formatstest.Vectors("V2"), []byte("x"))
	f.Add(plain, []byte(nil))
	f.Add(enc, []byte("x"))
	f.Add([]byte(`{"version":1,"header":{"slots":null,"params":null},"db":{"version":1,"entries":[{}]}}`), []byte(nil))
	f.Fuzz(func(t *testing.T, data, pw []byte) {
		imp := Importer{}
		if !imp.Detect(data) || costly(data) {
			return
		}
		formatstest.Fuzz(t, imp, data, pw)
	})
}

// costly reports whether data asks for more scrypt work than a fuzz run should spend on
// one input (the bounds themselves are tested in TestBadFiles).
func costly(data []byte) bool {
	var f file
	if json.Unmarshal(data, &f) != nil {
		return false
	}
	for _, s := range f.Header.Slots {
		if int64(s.N)*int64(s.R)*int64(s.P) > 1<<12 {
			return true
		}
	}
	return false
}

// A file may carry any number of password slots, each a full scrypt run: Import tries the
// first few only and says so.
func TestManyPasswordSlots(t *testing.T) {
	pw := []byte("pässwörd")
	enc, err := tiny.Export(formatstest.All(), pw)
	if err != nil {
		t.Fatal(err)
	}
	withSlots := func(n, good int) []byte {
		return mutate(t, enc, func(m map[string]any) {
			h := m["header"].(map[string]any)
			right := h["slots"].([]any)[0].(map[string]any)
			var slots []any
			for i := range n {
				s := map[string]any{}
				for k, v := range right {
					s[k] = v
				}
				if i != good {
					s["salt"] = fmt.Sprintf("%064x", i+1) // derives another key: fails as a wrong password
				}
				s["repaired"] = false // as old Aegis wrote them: a long password gets a second try
				slots = append(slots, s)
			}
			h["slots"] = slots
		})
	}
	if _, err := (Importer{}).Import(withSlots(maxPasswordSlots, maxPasswordSlots-1), pw); err != nil {
		t.Errorf("the right password in slot %d of %d: %v", maxPasswordSlots, maxPasswordSlots, err)
	}
	runs := 0
	scryptKey = func(pw, salt []byte, n, r, p, l int) ([]byte, error) {
		runs++
		return scrypt.Key(pw, salt, n, r, p, l)
	}
	t.Cleanup(func() { scryptKey = scrypt.Key })
	// A password long enough for the legacy retry: every slot would take two runs.
	long := []byte(strings.Repeat("ü", 40))
	if _, err := (Importer{}).Import(withSlots(100, -1), long); !errors.Is(err, vault.ErrWrongPassword) {
		t.Fatalf("100 legacy slots: %v", err)
	}
	if runs != maxScryptRuns {
		t.Errorf("%d scrypt runs for one import of 100 legacy slots, want the budget of %d", runs, maxScryptRuns)
	}
	_, err = (Importer{}).Import(withSlots(10000, maxPasswordSlots), pw)
	if !errors.Is(err, vault.ErrWrongPassword) {
		t.Fatalf("10,000 slots, the right one 5th: %v, want a wrong password", err)
	}
	if want := fmt.Sprintf("first %d of its 10000 password slots", maxPasswordSlots); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}
