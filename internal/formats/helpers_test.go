package formats

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

func TestCollectAndNoneRead(t *testing.T) {
	read := func(s string) (vault.Account, string, error) {
		if strings.HasPrefix(s, "bad") {
			return vault.Account{}, "L" + s, errors.New("refused")
		}
		return vault.Account{Name: s}, "", nil
	}
	res := Collect([]string{"a", "bad1", "b", "bad2"}, read)
	if len(res.Accounts) != 2 || res.Accounts[1].Name != "b" {
		t.Errorf("accounts = %+v", res.Accounts)
	}
	want := []Problem{{Index: 2, Label: "Lbad1", Message: "refused"}, {Index: 4, Label: "Lbad2", Message: "refused"}}
	if len(res.Problems) != 2 || res.Problems[0] != want[0] || res.Problems[1] != want[1] {
		t.Errorf("problems = %+v", res.Problems)
	}
	if err := NoneRead(res, "x", "entries"); err != nil {
		t.Errorf("partly good: %v", err)
	}
	if err := NoneRead(Collect([]string{}, read), "x", "entries"); err != nil {
		t.Errorf("empty: %v", err)
	}
	err := NoneRead(Collect([]string{"bad1", "bad2"}, read), "x", "services")
	if err == nil || err.Error() != "x: none of the 2 services could be read (first: entry 1 (Lbad1): refused)" {
		t.Errorf("all bad: %v", err)
	}
}

func TestLabel(t *testing.T) {
	for _, tc := range [][3]string{{"I", "n", "I: n"}, {"I", "", "I"}, {"", "n", "n"}, {"", "", ""}} {
		if got := Label(tc[0], tc[1]); got != tc[2] {
			t.Errorf("Label(%q, %q) = %q", tc[0], tc[1], got)
		}
	}
}

func TestHasMembers(t *testing.T) {
	for _, tc := range []struct {
		data string
		want bool
	}{
		{` {"a":1,"b":null} `, true},
		{`{"a":1}`, false},
		{`{"a":1,"b":2`, false},
		{`[{"a":1,"b":2}]`, false},
		{``, false},
	} {
		if got := HasMembers([]byte(tc.data), "a", "b"); got != tc.want {
			t.Errorf("HasMembers(%q) = %v", tc.data, got)
		}
	}
}

func TestOpenGCM(t *testing.T) {
	key, nonce := make([]byte, 32), make([]byte, 12)
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(block)
	sealed := gcm.Seal(nil, nonce, []byte("plain"), nil)
	if got, err := OpenGCM(key, nonce, sealed); err != nil || string(got) != "plain" {
		t.Fatalf("OpenGCM = %q, %v", got, err)
	}
	sealed[0] ^= 1
	if _, err := OpenGCM(key, nonce, sealed); err == nil {
		t.Error("tampered ciphertext opened")
	}
	if _, err := OpenGCM(key, nonce[:8], sealed); err == nil { // must not panic either
		t.Error("short nonce accepted")
	}
	if _, err := OpenGCM(key[:7], nonce, sealed); err == nil {
		t.Error("bad key length accepted")
	}
	if err := WrongPassword("fmt"); !errors.Is(err, vault.ErrWrongPassword) || !strings.HasPrefix(err.Error(), "fmt: ") {
		t.Errorf("WrongPassword = %v", err)
	}
}

func TestTypeAndAlgorithm(t *testing.T) {
	for _, tc := range []struct {
		name string
		want otp.Type
	}{{"totp", otp.TOTP}, {"HOTP", otp.HOTP}, {"Steam", otp.Steam}, {"motp", ""}, {"", ""}} {
		got, err := Type(tc.name)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("Type(%q) = %q, %v", tc.name, got, err)
		}
	}
	for _, tc := range []struct {
		name string
		want otp.Algorithm
	}{{"sha1", otp.SHA1}, {"SHA256", otp.SHA256}, {"Sha512", otp.SHA512}, {"MD5", ""}, {"", ""}} {
		got, err := Algorithm(tc.name)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("Algorithm(%q) = %q, %v", tc.name, got, err)
		}
	}
}

// Problems carry a code the extension words plainly; the message stays the technical one.
func TestProblemCodes(t *testing.T) {
	_, secretErr := otp.ParseSecret("not base32 1")
	_, uriErr := otp.ParseURI("otpauth://totp/A:b")
	keyErr := (otp.Key{Type: otp.TOTP, Algorithm: "MD5", Secret: []byte{1}, Digits: 6, Period: 30}).Validate()
	tests := []struct {
		err  error
		code string
	}{
		{secretErr, CodeInvalidSecret},
		{fmt.Errorf("line 3: %w", secretErr), CodeInvalidSecret},
		{BadSecret("the secret is not valid base32"), CodeInvalidSecret},
		{uriErr, CodeInvalidURI},
		{keyErr, CodeInvalidKey},
		{errors.New("something else"), ""},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Fatalf("test error for %s is nil", tt.code)
		}
		p := ProblemOf(2, "A: b", tt.err)
		if p.Code != tt.code || p.Message != tt.err.Error() || p.Index != 2 || p.Label != "A: b" {
			t.Errorf("ProblemOf(%v) = %+v, want code %q", tt.err, p, tt.code)
		}
	}
}

// JSONObject reads a top-level object as encoding/json read it into a
// map[string]json.RawMessage: keys exactly as written (no case folding), the last of a
// repeated member, bad UTF-8 in a name as U+FFFD.
func TestJSONObjectMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"a":1,"A":{"x":[1,2]},"a":"last"}`,
		"{\"n\xff\":null,\"\\u00e9\":true, \"s\" : \"\\ud800\" }",
		` {} `,
		`{"a":1}x`,
		`{"a":1,}`,
		`[]`,
	} {
		var want map[string]json.RawMessage
		stdErr := json.Unmarshal([]byte(strings.TrimSpace(in)), &want)
		got, ok := JSONObject([]byte(in))
		if ok != (stdErr == nil) {
			t.Fatalf("JSONObject(%q): ok %v, encoding/json %v", in, ok, stdErr)
		}
		if len(got) != len(want) {
			t.Fatalf("JSONObject(%q) = %q, encoding/json %q", in, got, want)
		}
		for k, v := range want {
			if string(got[k]) != string(v) {
				t.Errorf("JSONObject(%q)[%q] = %q, encoding/json %q", in, k, got[k], v)
			}
		}
	}
}
