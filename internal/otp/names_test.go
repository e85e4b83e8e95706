package otp

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Issuer and name are bounded in characters (not bytes): 200 of "é" pass, 201 do not, and
// the message says which field and the limit. Codes do not depend on the bound.
func TestNameLengthBounds(t *testing.T) {
	base := Key{Type: TOTP, Secret: []byte("12345678901234567890"), Algorithm: SHA1, Digits: 6, Period: 30}
	ok := base
	ok.Issuer, ok.Name = strings.Repeat("é", MaxIssuerLen), strings.Repeat("名", MaxNameLen)
	if err := ok.Validate(); err != nil {
		t.Fatalf("names at the bound: %v", err)
	}
	for _, tc := range []struct {
		field string
		edit  func(*Key)
		want  string
	}{
		{"issuer", func(k *Key) { k.Issuer = strings.Repeat("é", MaxIssuerLen+1) }, "the issuer has 201 characters (at most 200)"},
		{"name", func(k *Key) { k.Name = strings.Repeat("x", 10000) }, "the account name has 10000 characters (at most 200)"},
	} {
		k := base
		tc.edit(&k)
		err := k.Validate()
		if !errors.Is(err, ErrInvalidKey) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("long %s: %v, want %q", tc.field, err, tc.want)
		}
		// An account stored before the bound still shows codes.
		if _, err := k.Code(time.Unix(59, 0)); err != nil {
			t.Errorf("long %s: Code = %v", tc.field, err)
		}
		// Every URI path refuses it.
		if _, err := ParseURI(k.URI()); err == nil {
			t.Errorf("long %s: ParseURI accepted it", tc.field)
		}
	}
}
