package formats

import (
	"fmt"
	"strings"

	"codeward.dev/internal/otp"
)

// Type reads an OTP type written by name, in any case ("totp", "HOTP", "Steam"). Other
// types (mOTP, Yandex, ...) are an error rather than a guess: turning HOTP into TOTP would
// lose the account.
func Type(name string) (otp.Type, error) {
	switch t := otp.Type(strings.ToLower(name)); t {
	case otp.TOTP, otp.HOTP, otp.Steam:
		return t, nil
	}
	return "", fmt.Errorf("type %q is not supported", name)
}

// Algorithm reads an HMAC algorithm written by name, in any case ("SHA1", "sha256"). An
// empty name is an error too; formats that leave SHA1 out say so at the call.
func Algorithm(name string) (otp.Algorithm, error) {
	switch a := otp.Algorithm(strings.ToUpper(name)); a {
	case otp.SHA1, otp.SHA256, otp.SHA512:
		return a, nil
	}
	return "", fmt.Errorf("algorithm %q is not supported", name)
}
