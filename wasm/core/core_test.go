//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
	"codeward.dev/wasm/bridge"
	"codeward.dev/wasm/bridge/bridgetest"
)

var (
	invoke = bridgetest.Invoke
	str    = bridgetest.Str
	field  = bridgetest.Field
)

// The bridge package tests the helper itself (panics, codes, argument readers); these are
// the core functions' own refusals.
func TestArgumentErrors(t *testing.T) {
	tests := []struct {
		name, fn string
		args     []any
		code     string
	}{
		{"missing argument", "parseURI", nil, bridge.CodeBadArgument},
		{"number for string", "parseURI", []any{42}, bridge.CodeBadArgument},
		{"bad uri", "parseURI", []any{"https://example.com/"}, bridge.CodeInvalidURI},
		{"uri with a bad secret", "parseURI", []any{"otpauth://totp/A:b?secret=JBSWY3DP1HPK3PXP"}, bridge.CodeInvalidSecret},
		{"secret not base32", "validateAccount", []any{`{"id":"a","type":"totp","name":"n","secret":"not base32 1","algorithm":"SHA1","digits":6,"period":30}`}, bridge.CodeInvalidSecret},
		{"fractional time", "codes", []any{"[]", 1.5, 1}, bridge.CodeBadArgument},
		{"negative time", "codes", []any{"[]", -30, 1}, bridge.CodeBadArgument},
		{"too many steps", "codes", []any{"[]", 0, maxSteps + 1}, bridge.CodeBadArgument},
		{"unknown account field", "validateAccount", []any{`{"id":"a","bogus":1}`}, bridge.CodeInvalid},
		{"short key", "vaultOpen", []any{"AAAA", "AAAA"}, bridge.CodeBadArgument},
		// A stored blob that is not base64 is damage (the caller tries the previous copy).
		{"blob not base64", "vaultOpen", []any{"%%%", strings.Repeat("A", 44)}, bridge.CodeCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := invoke(t, tt.fn, tt.args...)
			if r.OK || r.Code != tt.code {
				t.Fatalf("got ok=%v code=%q (%s), want code %q", r.OK, r.Code, r.Msg, tt.code)
			}
		})
	}
	if r := invoke(t, "newID"); !r.OK || str(t, r.Value) == "" {
		t.Fatalf("newID: %+v", r)
	}
}

// RFC 6238 appendix B, SHA-1, 8 digits.
const rfcAccount = `{"id":"rfc","type":"totp","name":"rfc","secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","algorithm":"SHA1","digits":8,"period":30,"order":0,"created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}`

func TestCodes(t *testing.T) {
	hotp := `{"id":"h","type":"hotp","name":"h","secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","algorithm":"SHA1","digits":6,"counter":1,"order":1,"created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}`
	bad := `{"id":"bad","type":"totp","name":"b","secret":"GEZDGNBVGY3TQOJQ","algorithm":"MD5","digits":6,"period":30,"order":2,"created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}`
	r := invoke(t, "codes", "["+rfcAccount+","+hotp+","+bad+"]", 59, 2)
	if !r.OK {
		t.Fatalf("codes: %s %s", r.Code, r.Msg)
	}
	var got []codeResult
	if err := json.Unmarshal([]byte(str(t, r.Value)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d results, want 3", len(got))
	}
	// Steps 1 and 2 of the RFC secret: T=59 → 94287082; T=60..89 → RFC 4226 count 2 (8 digits).
	if g := got[0]; g.ID != "rfc" || g.Step != 1 || g.Period != 30 || g.Codes != "94287082"+"37359152" {
		t.Errorf("totp: %+v", g)
	}
	// RFC 4226 appendix D, count 1.
	if g := got[1]; g.ID != "h" || g.Codes != "287082" {
		t.Errorf("hotp: %+v", g)
	}
	if g := got[2]; g.ID != "bad" || g.Error == nil || g.Error.Code != bridge.CodeInvalid || g.Codes != "" {
		t.Errorf("bad account: %+v", g)
	}
}

// TestReplyJSONMatchesEncodingJSON: the replies written by hand are what encoding/json
// writes for the same values (every omitempty member present and absent, escaping).
func TestReplyJSONMatchesEncodingJSON(t *testing.T) {
	results := []codeResult{
		{ID: "t", Step: 59, Period: 30, Codes: "12"},
		{ID: "h<&>", Codes: "287082"},
		{ID: "", Error: &errorEntry{Code: "invalid", Message: "a \"quoted\" \u2028 message"}},
		{ID: "empty codes", Codes: ""},
	}
	for _, list := range [][]codeResult{results, {}} {
		want, _ := json.Marshal(list)
		if got := codesJSON(list); got != string(want) {
			t.Errorf("codesJSON = %s\nencoding/json: %s", got, want)
		}
	}
	k := keyJSON{Memory: 65536, Time: 3, Threads: 4, Salt: "c2FsdA==", Key: "a2V5", Check: "Y2hlY2s="}
	want, _ := json.Marshal(k)
	if got := k.encode(); got != string(want) {
		t.Errorf("keyJSON = %s\nencoding/json: %s", got, want)
	}
	if back, err := decodeKeyJSON(string(want)); err != nil || back != k {
		t.Errorf("decodeKeyJSON = %+v, %v", back, err)
	}
	for _, bad := range []string{`{"memory":4294967296}`, `{"threads":256}`, `{"Memory":1}`, `{"salt":"a","salt":"b"}`} {
		if _, err := decodeKeyJSON(bad); err == nil {
			t.Errorf("decodeKeyJSON(%s) accepted", bad)
		}
	}
}

func TestParseAndFormatURI(t *testing.T) {
	r := invoke(t, "parseURI", "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example")
	if !r.OK {
		t.Fatalf("parseURI: %s %s", r.Code, r.Msg)
	}
	var a struct {
		Type, Issuer, Name, Secret, Algorithm string
		Digits, Period                        int
	}
	text := str(t, r.Value)
	if err := json.Unmarshal([]byte(text), &a); err != nil {
		t.Fatal(err)
	}
	if a.Type != "totp" || a.Issuer != "Example" || a.Name != "alice@example.com" || a.Secret != "JBSWY3DPEHPK3PXP" || a.Algorithm != "SHA1" || a.Digits != 6 || a.Period != 30 {
		t.Fatalf("parsed %+v", a)
	}
	f := invoke(t, "formatURI", text)
	if !f.OK || !strings.HasPrefix(str(t, f.Value), "otpauth://totp/") {
		t.Fatalf("formatURI: %+v", f)
	}
}

func TestValidateAccountNormalizesSecret(t *testing.T) {
	in := strings.Replace(rfcAccount, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", 1)
	r := invoke(t, "validateAccount", in)
	if !r.OK {
		t.Fatalf("validateAccount: %s %s", r.Code, r.Msg)
	}
	if !strings.Contains(str(t, r.Value), `"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"`) {
		t.Fatalf("secret not normalized")
	}
	bad := strings.Replace(rfcAccount, `"digits":8`, `"digits":4`, 1)
	if r := invoke(t, "validateAccount", bad); r.OK || r.Code != bridge.CodeInvalid {
		t.Fatalf("4 digits accepted: %+v", r)
	}
}

func TestVaultRoundTrip(t *testing.T) {
	opts := `{"kdf":{"memory":8192,"time":1,"threads":1}}`
	v := `{"accounts":[` + rfcAccount + `],"settings":{"autoLockMinutes":15}}`
	c := invoke(t, "vaultCreate", v, "correct horse", opts)
	if !c.OK {
		t.Fatalf("vaultCreate: %s %s", c.Code, c.Msg)
	}
	bv, _ := c.Value.Get("blob")
	kv, _ := c.Value.Get("key")
	blob, key := str(t, bv), str(t, kv)

	if r := invoke(t, "vaultUnlock", blob, "wrong horse"); r.OK || r.Code != bridge.CodeWrongPassword {
		t.Fatalf("wrong password: %+v", r)
	}
	u := invoke(t, "vaultUnlock", blob, "correct horse")
	if !u.OK {
		t.Fatalf("vaultUnlock: %s %s", u.Code, u.Msg)
	}
	uk, _ := u.Value.Get("key")
	if str(t, uk) != key {
		t.Fatal("unlock returned another data key")
	}

	v2 := `{"accounts":[],"settings":{"autoLockMinutes":5}}`
	rs := invoke(t, "vaultReseal", blob, key, v2)
	if !rs.OK {
		t.Fatalf("vaultReseal: %s %s", rs.Code, rs.Msg)
	}
	o := invoke(t, "vaultOpen", str(t, rs.Value), key)
	if !o.OK || !strings.Contains(str(t, o.Value), `"autoLockMinutes":5`) {
		t.Fatalf("vaultOpen after reseal: %+v", o)
	}

	cp := invoke(t, "vaultChangePassword", str(t, rs.Value), key, "new horse", opts)
	if !cp.OK {
		t.Fatalf("vaultChangePassword: %s %s", cp.Code, cp.Msg)
	}
	cpBlob, _ := cp.Value.Get("blob")
	cpKey, _ := cp.Value.Get("key")
	newBlob, newKey := str(t, cpBlob), str(t, cpKey)
	if newKey == key || len(newKey) != 44 {
		t.Fatalf("vaultChangePassword did not return a new 32-byte key")
	}
	if r := invoke(t, "vaultUnlock", newBlob, "correct horse"); r.OK || r.Code != bridge.CodeWrongPassword {
		t.Fatalf("old password after change: %+v", r)
	}
	if r := invoke(t, "vaultOpen", newBlob, key); r.OK {
		t.Fatal("the old data key opens the blob after a password change")
	}
	r := invoke(t, "vaultUnlock", newBlob, "new horse")
	if !r.OK {
		t.Fatalf("new password: %+v", r)
	}
	if k, _ := r.Value.Get("key"); str(t, k) != newKey {
		t.Fatal("the new password unlocks another key than vaultChangePassword returned")
	}

	// A stored blob that is not even base64, or not a string, is the vault's damage
	// ("corrupt", so the caller tries the previous copy), never an argument error.
	for name, bad := range map[string]any{"not base64": "vault!" + newBlob, "missing": nil, "a number": 7} {
		for _, fn := range []string{"vaultUnlock", "vaultOpen", "vaultReseal", "vaultChangePassword"} {
			second := any(newKey)
			if fn == "vaultUnlock" {
				second = "new horse"
			}
			r := invoke(t, fn, bad, second, v2, "new horse")
			if r.OK || r.Code != bridge.CodeCorrupt || strings.Contains(r.Msg, "argument") {
				t.Errorf("%s with a blob that is %s: %s %q, want corrupt", fn, name, r.Code, r.Msg)
			}
		}
	}

	damaged := []byte(str(t, cpBlob))
	damaged[len(damaged)/2] ^= 1
	if r := invoke(t, "vaultOpen", string(damaged), newKey); r.OK {
		t.Fatal("damaged blob opened")
	}
}

// BenchmarkCodes5000x21 is the View's codes at 5,000 accounts: the codes() call the
// background makes on every unlock and change, 21 time steps each.
func BenchmarkCodes5000x21(b *testing.B) {
	accounts, err := vault.EncodeAccounts(vaulttest.Many(5000))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if r := invoke(b, "codes", string(accounts), 1_780_000_000, 21); !r.OK {
			b.Fatal(r.Code, r.Msg)
		}
	}
}
