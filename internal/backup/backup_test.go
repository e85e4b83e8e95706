package backup

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

var (
	pw      = []byte("correct horse battery staple")
	created = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
)

func opts(seed byte) Options {
	return Options{KDF: vaulttest.FastKDF, Rand: vaulttest.Rand(seed), Now: func() time.Time { return created }}
}

func mustWrite(t testing.TB, accounts []vault.Account) []byte {
	t.Helper()
	data, err := Write(accounts, pw, opts(1))
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return data
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name     string
		accounts []vault.Account
	}{
		{"sample", vaulttest.Accounts()},
		{"none", nil},
		{"many", vaulttest.Many(100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := mustWrite(t, tc.accounts)
			if !Detect(data) {
				t.Error("Detect does not recognise a written backup")
			}
			b, err := Read(data, pw)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			want := tc.accounts
			if want == nil {
				want = []vault.Account{}
			}
			if !b.Created.Equal(created) || !reflect.DeepEqual(b.Accounts, want) {
				t.Errorf("Read = %+v\nwant %v %+v", b, created, want)
			}
		})
	}
}

func TestCreatedIsUTC(t *testing.T) {
	local := time.Date(2026, 11, 27, 11, 0, 0, 500, time.FixedZone("CET", 3600))
	data, err := Write(nil, pw, Options{KDF: vaulttest.FastKDF, Now: func() time.Time { return local }})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(data, pw)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Created.Equal(local) || b.Created.Location() != time.UTC {
		t.Errorf("Created = %v, want %v in UTC", b.Created, local)
	}
}

// A person who opens the file sees what it is, and nothing of the accounts.
func TestSelfDescribingAndOpaque(t *testing.T) {
	data := mustWrite(t, vaulttest.Accounts())
	var e map[string]any
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if e["format"] != "codeward-backup" || e["version"] != 1.0 || e["note"] != Note || e["cipher"] != "xchacha20-poly1305" {
		t.Errorf("envelope does not describe itself: %v", e)
	}
	if !strings.HasPrefix(string(data), "{\n  \"format\": \"codeward-backup\",\n  \"version\": 1,") {
		t.Errorf("format and version must come first:\n%.80s", data)
	}
	for _, a := range vaulttest.Accounts() {
		for _, s := range []string{a.Name, a.Issuer, a.Secret, a.ID} {
			if s != "" && len(s) > 2 && bytes.Contains(data, []byte(s)) {
				t.Errorf("backup shows %q in the clear", s)
			}
		}
	}
}

func TestWrongPassword(t *testing.T) {
	data := mustWrite(t, vaulttest.Accounts())
	for _, p := range [][]byte{[]byte("correct horse battery stapl"), []byte("Correct horse battery staple"), nil} {
		if _, err := Read(data, p); !errors.Is(err, vault.ErrWrongPassword) {
			t.Errorf("Read(%q) = %v, want ErrWrongPassword", p, err)
		}
	}
}

func TestWriteRejects(t *testing.T) {
	nonUTF8 := vaulttest.Accounts()
	nonUTF8[1].Name = "Jos\xe9" // Latin-1, not UTF-8
	dup := vaulttest.Accounts()
	dup[1].ID = dup[0].ID
	noID := vaulttest.Accounts()
	noID[0].ID = ""
	hotpPeriod := vaulttest.Accounts()
	hotpPeriod[2].Period = 30
	for _, tc := range []struct {
		name     string
		accounts []vault.Account
		pw       []byte
		kdf      vault.KDFParams
		want     error
	}{
		{"non-UTF-8 name", nonUTF8, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"duplicate id", dup, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"missing id", noID, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"period on HOTP", hotpPeriod, pw, vaulttest.FastKDF, vault.ErrInvalid},
		{"empty password", nil, []byte{}, vaulttest.FastKDF, vault.ErrInvalid},
		{"memory 4 GiB", nil, pw, vault.KDFParams{Memory: 4 << 20, Time: 1, Threads: 1}, vault.ErrKDFParams},
		{"time 11", nil, pw, vault.KDFParams{Memory: 64, Time: 11, Threads: 1}, vault.ErrKDFParams},
		{"partly zero", nil, pw, vault.KDFParams{Memory: 64}, vault.ErrKDFParams},
		// Within the vault's bounds, beyond what a reader accepts from a file.
		{"memory 1 GiB", nil, pw, vault.KDFParams{Memory: 1 << 20, Time: 1, Threads: 1}, vault.ErrKDFParams},
		{"128 MiB × 9 passes", nil, pw, vault.KDFParams{Memory: 128 << 10, Time: 9, Threads: 1}, vault.ErrKDFParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Write(tc.accounts, tc.pw, Options{KDF: tc.kdf})
			if !errors.Is(err, tc.want) {
				t.Errorf("Write = %v, want %v", err, tc.want)
			}
		})
	}
}

func kdf(m map[string]any) map[string]any { return m["kdf"].(map[string]any) }

// sealPayload writes a backup around an arbitrary payload, for payload-level cases.
func sealPayload(t testing.TB, payload string) []byte {
	t.Helper()
	data := mustWrite(t, nil)
	h, nonce, _, err := parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return resealWith(t, h, nonce, []byte(payload))
}

func TestReadRejects(t *testing.T) {
	data := mustWrite(t, vaulttest.Accounts())
	if _, err := Read(vaulttest.Edit(t, data, func(map[string]any) {}), pw); err != nil {
		t.Fatalf("re-encoding alone must not break the file: %v", err)
	}
	other, err := Write(vaulttest.Accounts()[:2], pw, opts(2))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, vault.ErrCorrupt},
		{"whitespace", []byte(" \n"), vault.ErrCorrupt},
		{"50 MB of zeros", make([]byte, 50<<20), vault.ErrCorrupt},
		{"one byte over 16 MiB", append(bytes.Repeat([]byte(" "), MaxSize+1-len(data)), data...), vault.ErrCorrupt},
		{"not JSON", []byte("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"), vault.ErrCorrupt},
		{"a vault", []byte(`{"format":"codeward-vault","version":1}`), vault.ErrCorrupt},
		{"an Aegis export", []byte(`{"version":1,"header":{"slots":null,"params":null},"db":{}}`), vault.ErrCorrupt},
		{"trailing data", append(append([]byte{}, data...), "x"...), vault.ErrCorrupt},
		{"version 2", vaulttest.Edit(t, data, func(m map[string]any) { m["version"] = 2 }), vault.ErrUnsupportedVersion},
		{"version 0", vaulttest.Edit(t, data, func(m map[string]any) { m["version"] = 0 }), vault.ErrUnsupportedVersion},
		{"version missing", vaulttest.Edit(t, data, func(m map[string]any) { delete(m, "version") }), vault.ErrCorrupt},
		{"version 1.5", vaulttest.Edit(t, data, func(m map[string]any) { m["version"] = 1.5 }), vault.ErrCorrupt},
		{"unknown member", vaulttest.Edit(t, data, func(m map[string]any) { m["comment"] = "x" }), vault.ErrCorrupt},
		{"member in other case", bytes.Replace(data, []byte(`"cipher"`), []byte(`"Cipher"`), 1), vault.ErrCorrupt},
		{"duplicate member", bytes.Replace(data, []byte(`"version": 1,`), []byte(`"version": 1, "version": 1,`), 1), vault.ErrCorrupt},
		{"unknown kdf", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["name"] = "scrypt" }), vault.ErrCorrupt},
		{"unknown cipher", vaulttest.Edit(t, data, func(m map[string]any) { m["cipher"] = "aes-256-gcm" }), vault.ErrCorrupt},
		{"note changed", vaulttest.Edit(t, data, func(m map[string]any) { m["note"] = "Send this file to support." }), vault.ErrCorrupt},
		{"note missing", vaulttest.Edit(t, data, func(m map[string]any) { delete(m, "note") }), vault.ErrCorrupt},
		{"note null", vaulttest.Edit(t, data, func(m map[string]any) { m["note"] = nil }), vault.ErrCorrupt},
		{"note with line break", vaulttest.Edit(t, data, func(m map[string]any) { m["note"] = "a\nb" }), vault.ErrCorrupt},
		{"note too long", vaulttest.Edit(t, data, func(m map[string]any) { m["note"] = strings.Repeat("n", 1025) }), vault.ErrCorrupt},
		{"short nonce", vaulttest.Edit(t, data, func(m map[string]any) { m["nonce"] = "AAAAAAAAAAAAAAAA" }), vault.ErrCorrupt},
		{"short check", vaulttest.Edit(t, data, func(m map[string]any) { m["check"] = "AAAA" }), vault.ErrCorrupt},
		{"ciphertext from another backup", vaulttest.Edit(t, data, func(m map[string]any) {
			o := edit2(t, other)
			m["ciphertext"], m["nonce"] = o["ciphertext"], o["nonce"]
		}), vault.ErrCorrupt},
		{"ciphertext cut short", vaulttest.Edit(t, data, func(m map[string]any) {
			c := m["ciphertext"].(string)
			m["ciphertext"] = c[:len(c)/2/4*4]
		}), vault.ErrCorrupt},
		{"ciphertext empty", vaulttest.Edit(t, data, func(m map[string]any) { m["ciphertext"] = "" }), vault.ErrCorrupt},
		{"salt changed", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["salt"] = "AAAAAAAAAAAAAAAAAAAAAA==" }), vault.ErrWrongPassword},
		{"memory 4 GiB", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"] = 4 << 20 }), vault.ErrKDFParams},
		{"memory 1 GiB + 1 KiB", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"] = 1<<20 + 1 }), vault.ErrKDFParams},
		// The largest cost the vault accepts is too much for a file from elsewhere.
		{"memory 1 GiB, t=10, p=16", vaulttest.Edit(t, data, func(m map[string]any) {
			kdf(m)["memory"], kdf(m)["time"], kdf(m)["threads"] = 1<<20, 10, 16
		}), vault.ErrKDFParams},
		{"memory 256 MiB + 1 KiB", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"] = 256<<10 + 1 }), vault.ErrKDFParams},
		{"256 MiB × 5 passes", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"], kdf(m)["time"] = 256<<10, 5 }), vault.ErrKDFParams},
		{"128 MiB × 9 passes", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"], kdf(m)["time"] = 128<<10, 9 }), vault.ErrKDFParams},
		{"memory 2^64-1", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"] = uint64(1<<64 - 1) }), vault.ErrKDFParams},
		{"memory 7", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["memory"] = 7 }), vault.ErrKDFParams},
		{"time 0", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["time"] = 0 }), vault.ErrKDFParams},
		{"time 2^32", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["time"] = 1 << 32 }), vault.ErrKDFParams},
		{"threads 17", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["threads"] = 17 }), vault.ErrKDFParams},
		{"threads 0", vaulttest.Edit(t, data, func(m map[string]any) { kdf(m)["threads"] = 0 }), vault.ErrKDFParams},
		{"payload version 2", sealPayload(t, `{"version":2,"created":"2026-11-27T10:00:00Z","accounts":[]}`), vault.ErrUnsupportedVersion},
		{"payload without version", sealPayload(t, `{"created":"2026-11-27T10:00:00Z","accounts":[]}`), vault.ErrCorrupt},
		{"payload unknown member", sealPayload(t, `{"version":1,"created":"2026-11-27T10:00:00Z","accounts":[],"x":1}`), vault.ErrCorrupt},
		{"payload unknown account member", sealPayload(t, `{"version":1,"created":"2026-11-27T10:00:00Z","accounts":[{"id":"a","colour":"red"}]}`), vault.ErrCorrupt},
		{"payload without accounts", sealPayload(t, `{"version":1,"created":"2026-11-27T10:00:00Z"}`), vault.ErrCorrupt},
		{"payload accounts null", sealPayload(t, `{"version":1,"created":"2026-11-27T10:00:00Z","accounts":null}`), vault.ErrCorrupt},
		{"payload without created", sealPayload(t, `{"version":1,"accounts":[]}`), vault.ErrCorrupt},
		{"payload bad created", sealPayload(t, `{"version":1,"created":"yesterday","accounts":[]}`), vault.ErrCorrupt},
		{"payload non-UTF-8 name", sealPayload(t, "{\"version\":1,\"created\":\"2026-11-27T10:00:00Z\",\"accounts\":[{\"id\":\"a\",\"name\":\"Jos\xe9\"}]}"), vault.ErrCorrupt},
		{"payload not JSON", sealPayload(t, `hello`), vault.ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Read(tc.data, pw)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tc.want) {
				t.Errorf("Read = %v, want %v", err, tc.want)
			}
			if errors.Is(err, vault.ErrKDFParams) {
				// Refused before Argon2 allocates: only the JSON decoding of a few KiB.
				if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
					t.Errorf("rejecting KDF parameters allocated %d bytes", n)
				}
			}
		})
	}
}

func edit2(t testing.TB, data []byte) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Read returns accounts as stored; semantic checks are the caller's, per entry.
func TestReadKeepsInvalidAccounts(t *testing.T) {
	data := sealPayload(t, `{"version":1,"created":"2026-11-27T10:00:00Z","accounts":[{"id":"","type":"motp","name":"x","secret":"??","algorithm":"MD5","digits":3,"order":0,"created":"0001-01-01T00:00:00Z","updated":"0001-01-01T00:00:00Z"}]}`)
	b, err := Read(data, pw)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Accounts) != 1 || b.Accounts[0].Validate() == nil {
		t.Errorf("Read = %+v", b)
	}
}

func smallFile(t testing.TB) []byte {
	return mustWrite(t, vaulttest.Accounts()[:1])
}

func TestTruncated(t *testing.T) {
	data := smallFile(t)
	// The final newline is insignificant whitespace; every shorter prefix must fail.
	for n := 0; n < len(data)-1; n++ {
		if _, err := Read(data[:n], pw); err == nil || !vaulttest.IsSentinel(err) {
			t.Fatalf("Read of %d/%d bytes: %v", n, len(data), err)
		}
	}
}

func TestBitFlips(t *testing.T) {
	data := smallFile(t)
	buf := make([]byte, len(data))
	counts := map[string]int{}
	for i := range data {
		for bit := 0; bit < 8; bit++ {
			copy(buf, data)
			buf[i] ^= 1 << bit
			_, err := Read(buf, pw)
			if err == nil || !vaulttest.IsSentinel(err) {
				t.Fatalf("Read with byte %d bit %d flipped (%q→%q): %v", i, bit, data[i], buf[i], err)
			}
			switch {
			case errors.Is(err, vault.ErrWrongPassword):
				counts["wrong password"]++
			case errors.Is(err, vault.ErrCorrupt):
				counts["damaged"]++
			default:
				counts["other"]++
			}
		}
	}
	// Damage reads as a wrong password only in the salt, check value and KDF numbers.
	t.Logf("%d bytes × 8 flips: %v", len(data), counts)
	if counts["wrong password"] > counts["damaged"]/4 {
		t.Errorf("too much damage reported as a wrong password: %v", counts)
	}
}

func TestDetect(t *testing.T) {
	data := smallFile(t)
	for _, tc := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"backup", data, true},
		{"compact", vaulttest.Edit(t, data, func(map[string]any) {}), false}, // encoding/json sorts members: format is not first
		{"first bytes only", data[:40], true},
		{"vault", []byte(`{"format": "codeward-vault", "version": 1}`), false},
		{"otpauth", []byte("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"), false},
		{"empty", nil, false},
		{"zeros", make([]byte, 1<<20), false},
		{"aegis", []byte(`{"version": 1, "header": {}, "db": {}}`), false},
	} {
		if got := Detect(tc.in); got != tc.want {
			t.Errorf("Detect(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Files written with one derived key share salt, parameters and check, never a nonce, and
// each opens with the password alone.
func TestWriteWithKey(t *testing.T) {
	k, err := DeriveKey(pw, Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	var nonces [][]byte
	for i := 0; i < 3; i++ {
		data, err := WriteWithKey(vaulttest.Accounts()[:i+1], k, Options{})
		if err != nil {
			t.Fatal(err)
		}
		h, nonce, _, err := parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(h.salt, k.Salt) || !bytes.Equal(h.check, k.Check[:]) || h.kdf != k.KDF {
			t.Errorf("file %d: header does not repeat the key's salt, check and parameters", i)
		}
		for _, n := range nonces {
			if bytes.Equal(n, nonce) {
				t.Fatalf("file %d reuses a nonce", i)
			}
		}
		nonces = append(nonces, nonce)
		b, err := Read(data, pw)
		if err != nil {
			t.Fatalf("file %d: Read: %v", i, err)
		}
		if len(b.Accounts) != i+1 {
			t.Errorf("file %d: %d accounts, want %d", i, len(b.Accounts), i+1)
		}
		if _, err := Read(data, []byte("not the password")); !errors.Is(err, vault.ErrWrongPassword) {
			t.Errorf("file %d with another password: %v", i, err)
		}
	}
}

func TestWriteWithKeyRefusesBadKeys(t *testing.T) {
	good, err := DeriveKey(pw, Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string]*Key{
		"nil":        nil,
		"short salt": {KDF: good.KDF, Salt: good.Salt[:8]},
		"zero kdf":   {Salt: good.Salt},
	} {
		if _, err := WriteWithKey(nil, k, Options{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := DeriveKey(nil, Options{KDF: vaulttest.FastKDF}); !errors.Is(err, vault.ErrInvalid) {
		t.Errorf("empty password: %v", err)
	}
}
