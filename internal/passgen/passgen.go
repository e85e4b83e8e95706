// Package passgen suggests backup passwords and estimates how strong a typed one is.
//
// A suggestion is five groups of four characters joined by dashes, such as
// "k7mq-3xtp-vr9c-h2wd-a8ne": lower-case letters and digits only, without the characters
// people mistake for one another (0/o, 1/l/i), so it can be read off a screen or a sheet of
// paper and typed on any keyboard. Twenty symbols from a 31-symbol alphabet carry
// 20·log2(31) ≈ 99 bits; the dashes carry none.
//
// Estimate is a deliberately simple, conservative heuristic: it charges full entropy only
// for characters that are neither part of a common password word, a repeat, a keyboard or
// alphabet run, nor a year. It exists to refuse clearly weak passwords and to give a hint
// while typing, not to certify a password.
package passgen

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Alphabet is the set of symbols a suggestion is drawn from.
const Alphabet = "abcdefghjkmnpqrstuvwxyz23456789"

const (
	groups    = 5
	groupSize = 4
)

// SuggestionBits is the entropy of one Generate result.
var SuggestionBits = float64(groups*groupSize) * math.Log2(float64(len(Alphabet)))

// Generate returns a new suggestion drawn uniformly with r (nil means crypto/rand).
func Generate(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b strings.Builder
	// Rejection sampling keeps every symbol equally likely: bytes at or above the largest
	// multiple of len(Alphabet) would favour the first symbols.
	limit := byte(256 - 256%len(Alphabet))
	buf := make([]byte, 32)
	n := 0
	for n < groups*groupSize {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("passgen: reading randomness: %w", err)
		}
		for _, c := range buf {
			if c >= limit || n == groups*groupSize {
				continue
			}
			if n > 0 && n%groupSize == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(Alphabet[int(c)%len(Alphabet)])
			n++
		}
	}
	return b.String(), nil
}

// Verdict is the coarse judgement shown to a person.
type Verdict string

const (
	Weak   Verdict = "weak"   // refused
	Fair   Verdict = "fair"   // accepted; a longer one is better
	Strong Verdict = "strong" // accepted
)

// Thresholds in estimated bits. A backup file can be attacked offline for as long as the
// attacker likes, so the bar is well above what an online login needs; the Argon2id cost
// of each guess is a margin on top, not a reason to lower it.
const (
	MinBits    = 60
	StrongBits = 80
	MinLength  = 12
)

// ErrTooWeak is returned by Check for a password that Estimate judges Weak.
var ErrTooWeak = errors.New("the password is too weak")

// Estimate is the result of judging a password.
type Estimate struct {
	Bits    float64 `json:"bits"`
	Verdict Verdict `json:"verdict"`
	Hint    string  `json:"hint"` // one plain sentence for the person typing; never contains the password
	// Reason names the rule behind the verdict, so that callers can word it for their own
	// form (the hints speak of a backup password and its Generate button).
	Reason Reason `json:"reason"`
}

// Reason is why a password got its verdict.
type Reason string

const (
	ReasonEmpty     Reason = "empty"     // Weak: nothing typed
	ReasonCommon    Reason = "common"    // Weak: one of the most common passwords
	ReasonShort     Reason = "short"     // Weak: fewer than MinLength characters
	ReasonGuessable Reason = "guessable" // Weak: common words, repeats, runs, years
	ReasonFair      Reason = "fair"      // Fair
	ReasonStrong    Reason = "strong"    // Strong
)

// Check returns ErrTooWeak (wrapped with the hint) when pw should be refused.
func Check(pw string) error {
	e := Judge(pw)
	if e.Verdict == Weak {
		return fmt.Errorf("%w: %s", ErrTooWeak, e.Hint)
	}
	return nil
}

// The hints are fixed sentences, so none can ever echo the password.
var (
	hintEmpty     = "Enter a backup password, or press Generate."
	hintCommon    = "This is one of the most common choices; it would be guessed at once."
	hintShort     = fmt.Sprintf("Too short: use at least %d characters, or press Generate.", MinLength)
	hintGuessable = "Too easy to guess: avoid common words, repeats and runs like abc or 123, or press Generate."
	hintFair      = "Acceptable; a few more random characters or words would make it strong."
	hintStrong    = "Strong."
)

// Judge estimates pw and explains the verdict.
func Judge(pw string) Estimate {
	bits := Bits(pw)
	n := utf8.RuneCountInString(pw)
	e := Estimate{Bits: math.Round(bits*10) / 10}
	switch {
	case n == 0:
		e.Verdict, e.Hint, e.Reason = Weak, hintEmpty, ReasonEmpty
	case isCommon(pw):
		e.Verdict, e.Hint, e.Reason = Weak, hintCommon, ReasonCommon
	case n < MinLength:
		e.Verdict, e.Hint, e.Reason = Weak, hintShort, ReasonShort
	case bits < MinBits:
		e.Verdict, e.Hint, e.Reason = Weak, hintGuessable, ReasonGuessable
	case bits < StrongBits:
		e.Verdict, e.Hint, e.Reason = Fair, hintFair, ReasonFair
	default:
		e.Verdict, e.Hint, e.Reason = Strong, hintStrong, ReasonStrong
	}
	return e
}

// Bits is the heuristic entropy estimate of pw in bits.
func Bits(pw string) float64 {
	if isCommon(pw) {
		return 10
	}
	perChar := math.Log2(float64(poolSize(pw)))
	lower := []rune(strings.ToLower(pw))
	var bits float64
	for i := 0; i < len(lower); {
		if w := commonWordAt(lower, i); w > 0 {
			// A dictionary attack tries the list and its capitalised forms.
			bits += math.Log2(float64(len(commonWords))) + 1
			i += w
			continue
		}
		if y := yearAt(lower, i); y > 0 {
			bits += 7 // ~130 plausible years
			i += y
			continue
		}
		if i > 0 && predictable(lower[i-1], lower[i]) {
			bits += 1.5
			i++
			continue
		}
		bits += perChar
		i++
	}
	// Few distinct symbols repeated in a pattern ("abab…", "1212…") are far weaker than
	// their length suggests: beyond the first use of each symbol, a character can carry no
	// more than a choice among the symbols already used.
	if d := distinct(lower); d > 0 && d < len(lower) {
		bits = math.Min(bits, float64(d)*perChar+float64(len(lower)-d)*math.Log2(float64(d)))
	}
	return bits
}

// poolSize is the size of the alphabet an attacker must assume from the classes present.
func poolSize(pw string) int {
	var lower, upper, digit, symbol, other bool
	for _, r := range pw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case r >= ' ' && r <= '~': // printable ASCII (unicode.IsPrint below 128, without its tables)
			symbol = true
		default:
			other = true
		}
	}
	n := 0
	for _, c := range []struct {
		on   bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {symbol, 33}, {other, 100}} {
		if c.on {
			n += c.size
		}
	}
	return max(n, 2)
}

// keyboardRows holds the runs people type by sliding a finger along the keyboard.
var keyboardRows = []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "azertyuiop"}

// predictable reports whether cur follows prev as a repeat, an alphabet or digit run, or a
// keyboard-row neighbour.
func predictable(prev, cur rune) bool {
	if cur == prev || cur == prev+1 || cur == prev-1 {
		return true
	}
	for _, row := range keyboardRows {
		if i := strings.IndexRune(row, prev); i >= 0 {
			if (i+1 < len(row) && rune(row[i+1]) == cur) || (i > 0 && rune(row[i-1]) == cur) {
				return true
			}
		}
	}
	return false
}

func yearAt(s []rune, i int) int {
	if i+4 > len(s) {
		return 0
	}
	y := string(s[i : i+4])
	if (strings.HasPrefix(y, "19") || strings.HasPrefix(y, "20")) && isDigits(y) {
		return 4
	}
	return 0
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func distinct(s []rune) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// commonWordAt returns the length of the longest common word starting at s[i], or 0.
func commonWordAt(s []rune, i int) int {
	best := 0
	for _, w := range commonWords {
		n := len(w) // the list is ASCII
		if n > best && i+n <= len(s) && string(s[i:i+n]) == w {
			best = n
		}
	}
	return best
}

// isCommon reports whether pw, ignoring case and trailing digits and punctuation, is a
// common password or a common word.
func isCommon(pw string) bool {
	core := strings.TrimRightFunc(strings.ToLower(pw), func(r rune) bool { return !unicode.IsLetter(r) })
	if core == "" {
		core = strings.ToLower(pw)
	}
	for _, w := range commonPasswords {
		if core == w || strings.ToLower(pw) == w {
			return true
		}
	}
	for _, w := range commonWords {
		if core == w {
			return true
		}
	}
	return false
}

// commonPasswords are whole passwords from published leak top lists that no heuristic would
// otherwise flag as short and simple.
var commonPasswords = []string{
	"123456789012", "1234567890", "1q2w3e4r5t6y", "1qaz2wsx3edc", "qwertyuiop", "zaq12wsx",
	"passw0rd", "p@ssw0rd", "p@ssword", "trustno1", "correcthorsebatterystaple",
}

// commonWords are base words that dominate leaked passwords (each at least four letters).
var commonWords = []string{
	"password", "passwort", "qwerty", "azerty", "qwertz", "asdf", "zxcv", "abcd", "admin", "administrator",
	"welcome", "letmein", "login", "master", "secret", "dragon", "monkey", "shadow", "sunshine",
	"princess", "football", "baseball", "soccer", "hockey", "batman", "superman", "starwars",
	"iloveyou", "love", "lovely", "hello", "freedom", "whatever", "trustno", "ninja", "mustang",
	"michael", "jordan", "jennifer", "charlie", "thomas", "daniel", "andrew", "jessica", "michelle",
	"summer", "winter", "spring", "autumn", "monday", "friday", "january", "august", "october",
	"december", "computer", "internet", "google", "facebook", "apple", "samsung", "backup",
	"codeward", "access", "flower", "cookie", "cheese", "pepper", "orange", "banana",
	"chocolate", "killer", "hunter", "ranger", "tigger", "buster", "harley", "hannah",
	"ashley", "nicole", "matrix", "pokemon", "minecraft", "blink", "qazwsx", "test", "guest",
	"user", "changeme", "default", "family", "happy", "angel", "baby", "qwer", "pass", "word",
}
