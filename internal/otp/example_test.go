package otp_test

import (
	"fmt"
	"time"

	"codeward.dev/internal/otp"
)

func ExampleParseURI() {
	k, err := otp.ParseURI("otpauth://totp/ACME%20Co:%20alice@example.com?secret=jbsw-y3dp-ehpk-3pxp&algorithm=sha256&digits=8")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(k.Issuer, "|", k.Name, "|", k.Algorithm, k.Digits, k.Period)
	fmt.Println(k.URI())
	// Output:
	// ACME Co | alice@example.com | SHA256 8 30
	// otpauth://totp/ACME%20Co:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=30
}

func ExampleParseURI_errors() {
	for _, u := range []string{
		"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=12",
		"otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP",
		"otpauth://totp/a?secret=not%20base32!",
	} {
		_, err := otp.ParseURI(u)
		fmt.Println(err)
	}
	// Output:
	// invalid otpauth URI: invalid key: 12 digits is out of range 5–10
	// invalid otpauth URI: hotp needs a counter
	// invalid otpauth URI: invalid secret: not base32
}

func ExampleKey_Code() {
	k, _ := otp.ParseURI("otpauth://totp/ACME:alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ")
	code, _ := k.Code(time.Unix(1672531200, 0))
	fmt.Println(code)

	steam := otp.Key{Type: otp.Steam, Algorithm: otp.SHA1, Digits: 5, Period: 30}
	steam.Secret, _ = otp.ParseSecret("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ")
	code, _ = steam.Code(time.Unix(1672531200, 0))
	fmt.Println(code)
	// Output:
	// 547265
	// 7W6CJ
}
