package otp

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// RFC 4226 appendix D: HOTP, SHA1, 6 digits.
func TestHOTPRFC4226(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for counter, code := range want {
		k := Key{Type: HOTP, Secret: []byte("12345678901234567890"), Algorithm: SHA1, Digits: 6, Counter: uint64(counter)}
		got, err := k.Code(time.Time{})
		if err != nil {
			t.Fatalf("counter %d: %v", counter, err)
		}
		if got != code {
			t.Errorf("counter %d: got %s, want %s", counter, got, code)
		}
	}
}

// RFC 6238 appendix B: TOTP, 8 digits, 30 s, a key of the hash's size for each algorithm.
func TestTOTPRFC6238(t *testing.T) {
	seeds := map[Algorithm]string{
		SHA1:   "12345678901234567890",
		SHA256: "12345678901234567890123456789012",
		SHA512: "1234567890123456789012345678901234567890123456789012345678901234",
	}
	tests := []struct {
		unix int64
		alg  Algorithm
		code string
	}{
		{59, SHA1, "94287082"},
		{59, SHA256, "46119246"},
		{59, SHA512, "90693936"},
		{1111111109, SHA1, "07081804"},
		{1111111109, SHA256, "68084774"},
		{1111111109, SHA512, "25091201"},
		{1111111111, SHA1, "14050471"},
		{1111111111, SHA256, "67062674"},
		{1111111111, SHA512, "99943326"},
		{1234567890, SHA1, "89005924"},
		{1234567890, SHA256, "91819424"},
		{1234567890, SHA512, "93441116"},
		{2000000000, SHA1, "69279037"},
		{2000000000, SHA256, "90698825"},
		{2000000000, SHA512, "38618901"},
		{20000000000, SHA1, "65353130"},
		{20000000000, SHA256, "77737706"},
		{20000000000, SHA512, "47863826"},
	}
	for _, tt := range tests {
		k := Key{Type: TOTP, Secret: []byte(seeds[tt.alg]), Algorithm: tt.alg, Digits: 8, Period: 30}
		got, err := k.Code(time.Unix(tt.unix, 0))
		if err != nil {
			t.Fatalf("%s at %d: %v", tt.alg, tt.unix, err)
		}
		if got != tt.code {
			t.Errorf("%s at %d: got %s, want %s", tt.alg, tt.unix, got, tt.code)
		}
	}
}

func mustSecret(t *testing.T, s string) []byte {
	t.Helper()
	b, err := ParseSecret(s)
	if err != nil {
		t.Fatalf("ParseSecret: %v", err)
	}
	return b
}

// Vectors from other authenticators' test suites, at 2023-01-01T00:00:00Z.
func TestCodeVectors(t *testing.T) {
	at := time.Unix(1672531200, 0)
	tests := []struct {
		name   string
		typ    Type
		secret string
		alg    Algorithm
		digits int
		period int
		ctr    uint64
		code   string
	}{
		{"steam issue vector", Steam, "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ", SHA1, 5, 30, 0, "7W6CJ"},
		{"steam", Steam, "JRZCL47CMXVOQMNPZR2F7J4RGI", SHA1, 5, 30, 0, "B2MYW"},
		{"totp sha1 6/30", TOTP, "4SJHB4GSD43FZBAI7C2HLRJGPQ", SHA1, 6, 30, 0, "547265"},
		{"totp sha256 7/20", TOTP, "5OM4WOOGPLQEF6UGN3CPEOOLWU", SHA256, 7, 20, 0, "8897402"},
		{"totp sha512 8/50", TOTP, "7ELGJSGXNCCTV3O6LKJWYFV2RA", SHA512, 8, 50, 0, "35899575"},
		{"hotp sha1 6 counter 1", HOTP, "YOOMIXWS5GN6RTBPUFFWKTW5M4", SHA1, 6, 0, 1, "253717"},
		{"hotp sha256 7 counter 50", HOTP, "KUVJJOM753IHTNDSZVCNKL7GII", SHA256, 7, 0, 50, "4444976"},
		{"hotp sha512 8 counter 10300", HOTP, "5VAML3X35THCEBVRLV24CGBKOY", SHA512, 8, 0, 10300, "24622277"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := Key{Type: tt.typ, Secret: mustSecret(t, tt.secret), Algorithm: tt.alg, Digits: tt.digits, Period: tt.period, Counter: tt.ctr}
			got, err := k.Code(at)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.code {
				t.Errorf("got %s, want %s", got, tt.code)
			}
		})
	}
}

// Every digit count from 5 to 10 is the RFC 4226 truncated value modulo 10^digits,
// zero-padded: checked against the 10-digit code, which is the whole 31-bit value.
func TestCodeDigits(t *testing.T) {
	secret := []byte("12345678901234567890")
	for counter := uint64(0); counter < 10; counter++ {
		k := Key{Type: HOTP, Secret: secret, Algorithm: SHA1, Digits: 10, Counter: counter}
		full, err := k.Code(time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(full) != 10 {
			t.Fatalf("10-digit code %q has length %d", full, len(full))
		}
		for d := MinDigits; d <= MaxDigits; d++ {
			k.Digits = d
			got, err := k.Code(time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if want := full[10-d:]; got != want {
				t.Errorf("counter %d, %d digits: got %s, want %s", counter, d, got, want)
			}
		}
	}
	// RFC 4226 appendix D lists the truncated decimal values; counter 0 is 1284755224.
	k := Key{Type: HOTP, Secret: secret, Algorithm: SHA1, Digits: 10}
	if got, _ := k.Code(time.Time{}); got != "1284755224" {
		t.Errorf("10 digits at counter 0: got %s, want 1284755224", got)
	}
}

func TestSteamAlphabet(t *testing.T) {
	k := Key{Type: Steam, Secret: mustSecret(t, "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"), Algorithm: SHA1, Digits: 5, Period: 30}
	for i := int64(0); i < 200; i++ {
		code, err := k.Code(time.Unix(1672531200+30*i, 0))
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != 5 || strings.Trim(code, SteamAlphabet) != "" {
			t.Fatalf("steam code %q is not 5 characters of the alphabet", code)
		}
	}
}

func TestPeriodBoundaries(t *testing.T) {
	k := Key{Type: TOTP, Secret: []byte("12345678901234567890"), Algorithm: SHA1, Digits: 8, Period: 30}
	// RFC 6238: 59 is in window 1, 60 starts window 2.
	a, _ := k.Code(time.Unix(59, 0))
	b, _ := k.Code(time.Unix(60, 0))
	c, _ := k.Code(time.Unix(89, 999))
	if a == b || b != c {
		t.Errorf("window boundaries wrong: 59→%s 60→%s 89→%s", a, b, c)
	}
	// Period 1 and 3600 are both allowed and use t/period as the counter.
	for _, p := range []int{1, 3600} {
		k.Period = p
		got, err := k.Code(time.Unix(int64(p)*5, 0))
		if err != nil {
			t.Fatal(err)
		}
		h := Key{Type: HOTP, Secret: k.Secret, Algorithm: SHA1, Digits: 8, Counter: 5}
		want, _ := h.Code(time.Time{})
		if got != want {
			t.Errorf("period %d: got %s, want the HOTP code at counter 5 %s", p, got, want)
		}
	}
}

func TestCodeBeforeEpoch(t *testing.T) {
	k := Key{Type: TOTP, Secret: []byte("x"), Algorithm: SHA1, Digits: 6, Period: 30}
	if _, err := k.Code(time.Unix(-1, 0)); !errors.Is(err, ErrBeforeEpoch) {
		t.Errorf("got %v, want ErrBeforeEpoch", err)
	}
}

func TestValidate(t *testing.T) {
	good := Key{Type: TOTP, Issuer: "ACME", Name: "a@b.c", Secret: []byte("x"), Algorithm: SHA1, Digits: 6, Period: 30}
	tests := []struct {
		name string
		edit func(*Key)
		ok   bool
	}{
		{"good", func(k *Key) {}, true},
		{"5 digits", func(k *Key) { k.Digits = 5 }, true},
		{"10 digits", func(k *Key) { k.Digits = 10 }, true},
		{"4 digits", func(k *Key) { k.Digits = 4 }, false},
		{"11 digits", func(k *Key) { k.Digits = 11 }, false},
		{"0 digits", func(k *Key) { k.Digits = 0 }, false},
		{"period 1", func(k *Key) { k.Period = 1 }, true},
		{"period 3600", func(k *Key) { k.Period = 3600 }, true},
		{"period 0", func(k *Key) { k.Period = 0 }, false},
		{"period 3601", func(k *Key) { k.Period = 3601 }, false},
		{"period negative", func(k *Key) { k.Period = -30 }, false},
		{"hotp ignores period", func(k *Key) { k.Type = HOTP; k.Period = 0 }, true},
		{"empty secret", func(k *Key) { k.Secret = nil }, false},
		{"unknown type", func(k *Key) { k.Type = "motp" }, false},
		{"empty type", func(k *Key) { k.Type = "" }, false},
		{"unknown algorithm", func(k *Key) { k.Algorithm = "MD5" }, false},
		{"lower-case algorithm", func(k *Key) { k.Algorithm = "sha1" }, false},
		{"steam", func(k *Key) { k.Type = Steam; k.Digits = 5 }, true},
		{"steam 6 digits", func(k *Key) { k.Type = Steam }, false},
		{"steam sha256", func(k *Key) { k.Type = Steam; k.Digits = 5; k.Algorithm = SHA256 }, false},
		{"steam 60 s", func(k *Key) { k.Type = Steam; k.Digits = 5; k.Period = 60 }, false},
		{"name not utf-8", func(k *Key) { k.Name = "a\xffb" }, false},
		{"issuer not utf-8", func(k *Key) { k.Issuer = "\xc3" }, false},
		{"name with newline", func(k *Key) { k.Name = "a\nb" }, false},
		{"unicode name", func(k *Key) { k.Name = "José 🚀 東京" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := good
			tt.edit(&k)
			err := k.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalidKey) {
					t.Errorf("error %v does not wrap ErrInvalidKey", err)
				}
				if _, cerr := k.Code(time.Unix(1e9, 0)); cerr == nil {
					t.Error("Code succeeded on an invalid key")
				}
			}
		})
	}
}

func TestParseSecret(t *testing.T) {
	want := []byte("Hello!\xde\xad\xbe\xef")
	canonical := EncodeSecret(want)
	if canonical != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("EncodeSecret = %s", canonical)
	}
	good := []string{
		"JBSWY3DPEHPK3PXP",
		"jbswy3dpehpk3pxp",
		"JBSW Y3DP EHPK 3PXP",
		"jbsw-y3dp-ehpk-3pxp",
		" JBSWY3DPEHPK3PXP\t",
		"JBSWY3DPEHPK3PXP====",
	}
	for _, s := range good {
		got, err := ParseSecret(s)
		if err != nil || string(got) != string(want) {
			t.Errorf("ParseSecret(%q) = %x, %v", s, got, err)
		}
	}
	// Padded input of a length that needs padding.
	if got, err := ParseSecret("MFRGG==="); err != nil || string(got) != "abc" {
		t.Errorf("ParseSecret(padded) = %q, %v", got, err)
	}
	bad := []string{"", "   ", "====", "-", "JBSWY3DP1", "JBSWY3DPEHPK3PX8", "A", "ABC", "ABCDEF", "JBSW=Y3DP", "JBSWY3DPÉ"}
	for _, s := range bad {
		got, err := ParseSecret(s)
		if err == nil {
			t.Errorf("ParseSecret(%q) = %x, want an error", s, got)
			continue
		}
		if !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("ParseSecret(%q): %v does not wrap ErrInvalidSecret", s, err)
		}
		if len(s) >= 4 && strings.Contains(err.Error(), strings.TrimSpace(s)) {
			t.Errorf("error %q echoes the secret", err)
		}
	}
}
