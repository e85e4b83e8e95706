package otp

import (
	"reflect"
	"testing"
	"time"
)

// FuzzParseURI checks that ParseURI never panics, that whatever it accepts can produce a
// code, and that parse → URI → parse is stable. Seeds are in testdata/fuzz/FuzzParseURI.
func FuzzParseURI(f *testing.F) {
	f.Add("otpauth://totp/ACME:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseURI(s)
		if err != nil {
			return
		}
		if _, err := k.Code(time.Unix(1672531200, 0)); err != nil {
			t.Fatalf("parsed key cannot make a code: %v", err)
		}
		u := k.URI()
		k2, err := ParseURI(u)
		if err != nil {
			t.Fatalf("canonical URI does not parse: %v", err)
		}
		if !reflect.DeepEqual(k, k2) {
			t.Fatalf("parse → URI → parse changed the key:\n%+v\n%+v", k, k2)
		}
		if u2 := k2.URI(); u2 != u {
			t.Fatalf("canonical form is not stable:\n%s\n%s", u, u2)
		}
	})
}
