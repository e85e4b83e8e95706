package otp

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseURI(t *testing.T) {
	hello := []byte("Hello!\xde\xad\xbe\xef") // JBSWY3DPEHPK3PXP
	totp := func(issuer, name string) Key {
		return Key{Type: TOTP, Issuer: issuer, Name: name, Secret: hello, Algorithm: SHA1, Digits: 6, Period: 30}
	}
	tests := []struct {
		name string
		uri  string
		want Key
	}{
		{"defaults omitted", "otpauth://totp/alice@example.com?secret=JBSWY3DPEHPK3PXP", totp("", "alice@example.com")},
		{"issuer in label", "otpauth://totp/ACME:alice@example.com?secret=JBSWY3DPEHPK3PXP", totp("ACME", "alice@example.com")},
		{"issuer param only", "otpauth://totp/alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME", totp("ACME", "alice@example.com")},
		{"issuer both", "otpauth://totp/ACME:alice?issuer=ACME&secret=JBSWY3DPEHPK3PXP", totp("ACME", "alice")},
		{"issuer param wins", "otpauth://totp/Old%20Name:alice?issuer=ACME%20Co&secret=JBSWY3DPEHPK3PXP", totp("ACME Co", "alice")},
		{"encoded colon", "otpauth://totp/ACME%3Aalice?secret=JBSWY3DPEHPK3PXP", totp("ACME", "alice")},
		{"colon and space", "otpauth://totp/ACME:%20alice?secret=JBSWY3DPEHPK3PXP", totp("ACME", "alice")},
		{"encoded colon and space", "otpauth://totp/ACME%3A%20alice?secret=JBSWY3DPEHPK3PXP", totp("ACME", "alice")},
		{"raw space in label", "otpauth://totp/Big Corp: alice?secret=JBSWY3DPEHPK3PXP", totp("Big Corp", "alice")},
		{"plus in label is a plus", "otpauth://totp/ACME:a+b@x.com?secret=JBSWY3DPEHPK3PXP", totp("ACME", "a+b@x.com")},
		{"plus in query is a space", "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&issuer=Big+Corp", totp("Big Corp", "alice")},
		{"percent in query", "otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&issuer=Caf%C3%A9%20%26%20Co", totp("Café & Co", "alice")},
		{"issuer with colon", "otpauth://totp/A%3AB:alice?secret=JBSWY3DPEHPK3PXP&issuer=A%3AB", totp("A:B", "alice")},
		{"name with colon", "otpauth://totp/ACME:a:b?secret=JBSWY3DPEHPK3PXP&issuer=ACME", totp("ACME", "a:b")},
		{"empty prefix keeps colon in name", "otpauth://totp/:a:b?secret=JBSWY3DPEHPK3PXP", totp("", "a:b")},
		{"empty issuer param", "otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=", totp("ACME", "alice")},
		{"no label", "otpauth://totp/?secret=JBSWY3DPEHPK3PXP&issuer=ACME", totp("ACME", "")},
		{"no slash", "otpauth://totp?secret=JBSWY3DPEHPK3PXP", totp("", "")},
		{"unicode", "otpauth://totp/%E6%9D%B1%E4%BA%AC:Jos%C3%A9?secret=JBSWY3DPEHPK3PXP", totp("東京", "José")},
		{"lower-case secret", "otpauth://totp/a?secret=jbswy3dpehpk3pxp", totp("", "a")},
		{"padded secret", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP%3D%3D%3D%3D", totp("", "a")},
		{"spaced secret", "otpauth://totp/a?secret=JBSW+Y3DP%20EHPK+3PXP", totp("", "a")},
		{"dashed secret", "otpauth://totp/a?secret=jbsw-y3dp-ehpk-3pxp", totp("", "a")},
		{"upper-case scheme and type", "OTPAUTH://TOTP/a?secret=JBSWY3DPEHPK3PXP", totp("", "a")},
		{"surrounding spaces", "  otpauth://totp/a?secret=JBSWY3DPEHPK3PXP \r\n", totp("", "a")},
		{"unknown params ignored", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fx%2Fy.png&color=red", totp("", "a")},
		{"explicit defaults", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30", totp("", "a")},
		{"all set", "otpauth://totp/ACME:a?secret=JBSWY3DPEHPK3PXP&algorithm=sha512&digits=8&period=60",
			Key{Type: TOTP, Issuer: "ACME", Name: "a", Secret: hello, Algorithm: SHA512, Digits: 8, Period: 60}},
		{"sha-256 spelling", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=SHA-256&digits=7&period=20",
			Key{Type: TOTP, Name: "a", Secret: hello, Algorithm: SHA256, Digits: 7, Period: 20}},
		{"digits 5 and period 1", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=5&period=1",
			Key{Type: TOTP, Name: "a", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 1}},
		{"digits 10 and period 3600", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=10&period=3600",
			Key{Type: TOTP, Name: "a", Secret: hello, Algorithm: SHA1, Digits: 10, Period: 3600}},
		{"hotp", "otpauth://hotp/ACME:a?secret=JBSWY3DPEHPK3PXP&counter=42",
			Key{Type: HOTP, Issuer: "ACME", Name: "a", Secret: hello, Algorithm: SHA1, Digits: 6, Counter: 42}},
		{"hotp counter 0", "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=0",
			Key{Type: HOTP, Name: "a", Secret: hello, Algorithm: SHA1, Digits: 6}},
		{"hotp max counter, period ignored", "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615&period=30",
			Key{Type: HOTP, Name: "a", Secret: hello, Algorithm: SHA1, Digits: 6, Counter: 18446744073709551615}},
		{"steam type", "otpauth://steam/Steam:gabe?secret=JBSWY3DPEHPK3PXP",
			Key{Type: Steam, Issuer: "Steam", Name: "gabe", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 30}},
		{"steam encoder", "otpauth://totp/Steam:gabe?secret=JBSWY3DPEHPK3PXP&issuer=Steam&encoder=steam",
			Key{Type: Steam, Issuer: "Steam", Name: "gabe", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 30}},
		{"steam explicit", "otpauth://steam/Steam:gabe?secret=JBSWY3DPEHPK3PXP&issuer=Steam&algorithm=SHA1&digits=5&period=30",
			Key{Type: Steam, Issuer: "Steam", Name: "gabe", Secret: hello, Algorithm: SHA1, Digits: 5, Period: 30}},
		{"totp ignores counter", "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&counter=7", totp("", "a")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseURI(tt.uri)
			if err != nil {
				t.Fatalf("ParseURI: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
			again, err := ParseURI(got.URI())
			if err != nil {
				t.Fatalf("ParseURI(URI()): %v", err)
			}
			if !reflect.DeepEqual(again, got) {
				t.Fatalf("round trip changed the key:\n%+v\n%+v", got, again)
			}
		})
	}
}

func TestParseURIErrors(t *testing.T) {
	const s = "secret=JBSWY3DPEHPK3PXP"
	tests := []struct {
		name, uri string
		is        error
	}{
		{"empty", "", ErrInvalidURI},
		{"other scheme", "https://totp/a?" + s, ErrInvalidURI},
		{"no scheme", "totp/a?" + s, ErrInvalidURI},
		{"unknown type", "otpauth://motp/a?" + s, ErrInvalidURI},
		{"empty type", "otpauth:///a?" + s, ErrInvalidURI},
		{"missing secret", "otpauth://totp/a?issuer=ACME", ErrInvalidURI},
		{"empty secret", "otpauth://totp/a?secret=", ErrInvalidSecret},
		{"secret of spaces", "otpauth://totp/a?secret=+++", ErrInvalidSecret},
		{"invalid base32", "otpauth://totp/a?secret=JBSWY3DPEHPK3PX1", ErrInvalidSecret},
		{"bad base32 length", "otpauth://totp/a?secret=JBSWY3DPE", ErrInvalidSecret},
		{"digits 4", "otpauth://totp/a?" + s + "&digits=4", ErrInvalidKey},
		{"digits 11", "otpauth://totp/a?" + s + "&digits=11", ErrInvalidKey},
		{"digits 0", "otpauth://totp/a?" + s + "&digits=0", ErrInvalidKey},
		{"digits huge", "otpauth://totp/a?" + s + "&digits=99999999999999999999999", ErrInvalidURI},
		{"digits negative", "otpauth://totp/a?" + s + "&digits=-6", ErrInvalidURI},
		{"digits plus", "otpauth://totp/a?" + s + "&digits=%2B6", ErrInvalidURI},
		{"digits text", "otpauth://totp/a?" + s + "&digits=six", ErrInvalidURI},
		{"digits empty", "otpauth://totp/a?" + s + "&digits=", ErrInvalidURI},
		{"period 0", "otpauth://totp/a?" + s + "&period=0", ErrInvalidKey},
		{"period 3601", "otpauth://totp/a?" + s + "&period=3601", ErrInvalidKey},
		{"period fraction", "otpauth://totp/a?" + s + "&period=30.5", ErrInvalidURI},
		{"unknown algorithm", "otpauth://totp/a?" + s + "&algorithm=MD5", ErrInvalidURI},
		{"empty algorithm", "otpauth://totp/a?" + s + "&algorithm=", ErrInvalidURI},
		{"hotp without counter", "otpauth://hotp/a?" + s, ErrInvalidURI},
		{"hotp empty counter", "otpauth://hotp/a?" + s + "&counter=", ErrInvalidURI},
		{"hotp negative counter", "otpauth://hotp/a?" + s + "&counter=-1", ErrInvalidURI},
		{"hotp counter overflow", "otpauth://hotp/a?" + s + "&counter=18446744073709551616", ErrInvalidURI},
		{"hotp steam encoder", "otpauth://hotp/a?" + s + "&counter=1&encoder=steam", ErrInvalidURI},
		{"unknown encoder", "otpauth://totp/a?" + s + "&encoder=yandex", ErrInvalidURI},
		{"steam 6 digits", "otpauth://steam/a?" + s + "&digits=6", ErrInvalidKey},
		{"steam sha256", "otpauth://totp/a?" + s + "&encoder=steam&algorithm=SHA256", ErrInvalidKey},
		{"duplicate secret", "otpauth://totp/a?" + s + "&" + s, ErrInvalidURI},
		{"duplicate in other case", "otpauth://totp/a?" + s + "&Secret=JBSWY3DPEHPK3PXP", ErrInvalidURI},
		{"bad label escape", "otpauth://totp/a%zz?" + s, ErrInvalidURI},
		{"bad query escape", "otpauth://totp/a?" + s + "&issuer=%zz", ErrInvalidURI},
		{"label not utf-8", "otpauth://totp/ACME:%FF?" + s, ErrInvalidKey},
		{"issuer not utf-8", "otpauth://totp/a?" + s + "&issuer=%C3", ErrInvalidKey},
		{"control character", "otpauth://totp/a%0Ab?" + s, ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseURI(tt.uri)
			if err == nil {
				t.Fatalf("ParseURI succeeded: %+v", k)
			}
			if !errors.Is(err, ErrInvalidURI) || !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap ErrInvalidURI and %v", err, tt.is)
			}
			if strings.Contains(err.Error(), "JBSWY3DP") || strings.Contains(err.Error(), "otpauth://t") {
				t.Errorf("error %q leaks the secret or the URI", err)
			}
		})
	}
}

func TestURICanonical(t *testing.T) {
	secret := []byte("Hello!\xde\xad\xbe\xef")
	tests := []struct {
		key  Key
		want string
	}{
		{Key{Type: TOTP, Issuer: "ACME Co", Name: "alice@example.com", Secret: secret, Algorithm: SHA1, Digits: 6, Period: 30},
			"otpauth://totp/ACME%20Co:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30"},
		{Key{Type: TOTP, Name: "bob", Secret: secret, Algorithm: SHA256, Digits: 8, Period: 60},
			"otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256&digits=8&period=60"},
		{Key{Type: TOTP, Name: "a:b", Secret: secret, Algorithm: SHA1, Digits: 6, Period: 30},
			"otpauth://totp/:a%3Ab?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30"},
		{Key{Type: HOTP, Issuer: "Café", Name: "x+y/z?#&=%", Secret: secret, Algorithm: SHA512, Digits: 7, Counter: 9},
			"otpauth://hotp/Caf%C3%A9:x%2By%2Fz%3F%23%26%3D%25?secret=JBSWY3DPEHPK3PXP&issuer=Caf%C3%A9&algorithm=SHA512&digits=7&counter=9"},
		{Key{Type: Steam, Issuer: "Steam", Name: "gabe", Secret: secret, Algorithm: SHA1, Digits: 5, Period: 30},
			"otpauth://totp/Steam:gabe?secret=JBSWY3DPEHPK3PXP&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam"},
	}
	for _, tt := range tests {
		if got := tt.key.URI(); got != tt.want {
			t.Errorf("URI()\n got %s\nwant %s", got, tt.want)
		}
		back, err := ParseURI(tt.want)
		if err != nil {
			t.Fatalf("ParseURI(canonical): %v", err)
		}
		if !reflect.DeepEqual(back, tt.key) {
			t.Errorf("canonical URI parses to %+v, want %+v", back, tt.key)
		}
	}
}
