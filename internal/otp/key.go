// Package otp computes one-time codes (HOTP, TOTP and Steam Guard) and reads and writes
// otpauth:// URIs.
//
// The HMAC work is done by github.com/pquerna/otp; this package adds what an
// authenticator needs around it: a Key that carries every parameter explicitly, strict
// validation (nothing out of range is silently replaced by a default), Steam codes, and a
// lenient URI parser paired with a canonical writer.
package otp

// Type is the kind of one-time code.
type Type string

const (
	TOTP  Type = "totp"
	HOTP  Type = "hotp"
	Steam Type = "steam" // TOTP, HMAC-SHA1, 30 s, 5 characters from SteamAlphabet
)

// Algorithm is the HMAC hash.
type Algorithm string

const (
	SHA1   Algorithm = "SHA1"
	SHA256 Algorithm = "SHA256"
	SHA512 Algorithm = "SHA512"
)

// Key is everything needed to compute codes for one account. All fields are explicit:
// a Key from ParseURI has the defaults (SHA1, 6 digits, 30 s) filled in.
type Key struct {
	Type      Type
	Issuer    string
	Name      string // the account name, e.g. an e-mail address
	Secret    []byte // raw secret bytes (not base32)
	Algorithm Algorithm
	Digits    int    // 5 for Steam; 5–10 otherwise
	Period    int    // seconds, 1–3600; TOTP and Steam
	Counter   uint64 // HOTP only: the counter of the next code
}
