// Package otp computes one-time codes (HOTP, TOTP and Steam Guard) and reads and writes
// otpauth:// URIs.
//
// Key.Code computes a code with github.com/pquerna/otp; this package adds what an
// authenticator needs around it: a Key that carries every parameter explicitly, strict
// validation (nothing out of range is silently replaced by a default), Steam codes, a
// lenient URI parser paired with a canonical writer, and Sequence, which computes many
// consecutive codes of one key with one keyed HMAC (the extension's View holds minutes of
// codes for every account) and gives Key.Code's codes, as its tests check.
//
// # Reading URIs
//
// ParseURI accepts what real exports contain: the issuer as a label prefix and/or as the
// issuer parameter (the parameter wins), the prefix separated by ':' or %3A with optional
// spaces after it, percent-encoding everywhere and '+' for a space in the query (in the
// label '+' stays a plus, as in e-mail addresses), base32 secrets in any case, padded or
// not, grouped by spaces or dashes, algorithm names in any case (also SHA-256), omitted
// parameters (SHA1, 6 digits, 30 s; Steam: SHA1, 5, 30 s), otpauth://steam/… as well as
// encoder=steam, and parameters it does not know (image, color, …), which it ignores.
// It refuses, with an error that never quotes the URI or the secret: another scheme or
// type, a missing, empty or invalid secret, digits outside 5–10, a period outside
// 1–3600 s, an HOTP URI without a counter, an unknown algorithm or encoder, a parameter
// given twice, and an issuer or name that is not UTF-8 or contains control characters.
//
// # The canonical form
//
// Key.URI writes every Key one way:
//
//	otpauth://TYPE/LABEL?secret=SECRET[&issuer=ISSUER]&algorithm=ALG&digits=N&(period=P|counter=C)[&encoder=steam]
//
// where:
//   - TYPE is totp or hotp; Steam is written as totp with encoder=steam, which more apps
//     read than otpauth://steam.
//   - LABEL is ISSUER:NAME, or NAME when there is no issuer (":NAME" if the name itself
//     contains a colon, so that it is not taken for an issuer).
//   - ISSUER and NAME are percent-encoded byte by byte with upper-case hex, leaving only
//     A–Z a–z 0–9 - . _ ~ and @ as they are (a space is %20, a colon %3A).
//   - SECRET is base32, upper case, without padding; ALG is SHA1, SHA256 or SHA512.
//   - Every parameter is written, defaults included, in the order shown; issuer is left
//     out only when empty; period is written for TOTP and Steam, counter for HOTP.
//
// For every URI that ParseURI accepts, ParseURI(k.URI()) returns the same Key and URI
// is stable; names and issuers are trimmed of surrounding spaces when read.
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
