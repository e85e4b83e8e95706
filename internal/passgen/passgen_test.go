package passgen

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
	"unicode"
)

var suggestionShape = regexp.MustCompile(`^[` + Alphabet + `]{4}(-[` + Alphabet + `]{4}){4}$`)

func TestGenerateShape(t *testing.T) {
	for i := range 200 {
		pw, err := Generate(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !suggestionShape.MatchString(pw) {
			t.Fatalf("suggestion %d has the wrong shape", i)
		}
		if len(pw) < 16 {
			t.Fatalf("suggestion shorter than 16 characters: %d", len(pw))
		}
		if strings.ContainsAny(pw, "0o1liI") {
			t.Fatalf("suggestion %d contains a look-alike character", i)
		}
	}
}

func TestSuggestionEntropy(t *testing.T) {
	if SuggestionBits < 80 {
		t.Fatalf("a suggestion carries %.1f bits, want at least 80", SuggestionBits)
	}
	if want := 20 * math.Log2(31); math.Abs(SuggestionBits-want) > 1e-9 || len(Alphabet) != 31 {
		t.Fatalf("SuggestionBits = %.2f with %d symbols, want %.2f with 31", SuggestionBits, len(Alphabet), want)
	}
}

func TestAlphabetHasNoDuplicatesOrLookalikes(t *testing.T) {
	seen := map[rune]bool{}
	for _, r := range Alphabet {
		if seen[r] {
			t.Fatalf("duplicate symbol %q", r)
		}
		seen[r] = true
	}
	for _, r := range "0o1liI" {
		if seen[r] {
			t.Fatalf("look-alike %q in the alphabet", r)
		}
	}
}

// Every symbol must be equally likely: a chi-squared test over many symbols drawn from a
// seeded source. With 30 degrees of freedom, 59.7 is the 0.1 % critical value.
func TestGenerateUniform(t *testing.T) {
	src := rand.NewChaCha8([32]byte{1, 2, 3})
	counts := map[rune]int{}
	total := 0
	for range 5000 {
		pw, err := Generate(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range strings.ReplaceAll(pw, "-", "") {
			counts[r]++
			total++
		}
	}
	exp := float64(total) / float64(len(Alphabet))
	var chi float64
	for _, r := range Alphabet {
		d := float64(counts[r]) - exp
		chi += d * d / exp
	}
	if chi > 59.7 {
		t.Fatalf("symbol counts are not uniform: chi² = %.1f (counts %v)", chi, counts)
	}
}

// Bytes at or above the rejection limit must be skipped, not folded onto the first symbols.
func TestGenerateRejectsBiasedBytes(t *testing.T) {
	limit := 256 - 256%len(Alphabet) // 248
	in := bytes.Repeat([]byte{byte(limit), 255}, 16)
	in = append(in, bytes.Repeat([]byte{0}, 32)...)
	pw, err := Generate(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := "aaaa-aaaa-aaaa-aaaa-aaaa"; pw != want {
		t.Fatalf("got %q, want %q", pw, want)
	}
}

func TestGenerateRandomnessError(t *testing.T) {
	boom := errors.New("no entropy")
	if _, err := Generate(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
	// A source that runs dry part way must fail, not return a short password.
	if _, err := Generate(bytes.NewReader(make([]byte, 10))); err == nil {
		t.Fatal("a short randomness source gave a password")
	}
}

func TestSuggestionsAreJudgedStrong(t *testing.T) {
	src := rand.NewChaCha8([32]byte{9})
	for range 2000 {
		pw, err := Generate(src)
		if err != nil {
			t.Fatal(err)
		}
		if e := Judge(pw); e.Verdict != Strong {
			t.Fatalf("suggestion judged %s (%.1f bits)", e.Verdict, e.Bits)
		}
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		pw   string
		want Verdict
	}{
		{"", Weak},
		{"password", Weak},
		{"Password123!", Weak},
		{"P@ssw0rd", Weak},
		{"qwertyuiop", Weak},
		{"iloveyou2024", Weak},
		{"Summer2024!!", Weak},
		{"aaaaaaaaaaaaaaaaaaaa", Weak},
		{"abcdefghijklmnop", Weak},
		{"12345678901234567890", Weak},
		{"abababababababababab", Weak},
		{"qwertyasdfghzxcvbn", Weak},
		{"Xk9#tQ2!", Weak}, // random but too short
		{"MonkeyDragonSunshine1", Weak},
		{"correct horse battery staple", Strong},
		{"k7mq-3xtp-vr9c-h2wd-a8ne", Strong},
		{"Tz8#qLm2$vWp", Fair},
		{"tc8qkx2vhpr4", Fair},
		{"gT5!rY9@kL3#mN7$", Strong},
	}
	for _, tt := range tests {
		t.Run(tt.pw, func(t *testing.T) {
			e := Judge(tt.pw)
			if e.Verdict != tt.want {
				t.Fatalf("Judge = %s (%.1f bits), want %s", e.Verdict, e.Bits, tt.want)
			}
			if e.Hint == "" {
				t.Fatal("empty hint")
			}
			if e.Reason == "" {
				t.Fatal("no reason")
			}
		})
	}
}

// Each rule has its own reason, so callers can word it for their form.
func TestJudgeReasons(t *testing.T) {
	for pw, want := range map[string]Reason{
		"":                         ReasonEmpty,
		"password":                 ReasonCommon,
		"Xk9#tQ2!":                 ReasonShort,
		"abababababababababab":     ReasonGuessable,
		"tc8qkx2vhpr4":             ReasonFair,
		"k7mq-3xtp-vr9c-h2wd-a8ne": ReasonStrong,
	} {
		if got := Judge(pw).Reason; got != want {
			t.Errorf("Judge(%q).Reason = %q, want %q", pw, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	if err := Check("Password123!"); !errors.Is(err, ErrTooWeak) {
		t.Fatalf("Check(weak) = %v, want ErrTooWeak", err)
	}
	if err := Check("Password123!"); strings.Contains(err.Error(), "Password123!") {
		t.Fatal("the error repeats the password")
	}
	if err := Check("k7mq-3xtp-vr9c-h2wd-a8ne"); err != nil {
		t.Fatalf("Check(strong) = %v", err)
	}
}

// Adding a random character never lowers the estimate by much, and the estimate is never
// negative or NaN.
func TestBitsWellBehaved(t *testing.T) {
	src := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		n := src.IntN(30)
		var b strings.Builder
		for range n {
			b.WriteRune(rune(32 + src.IntN(95)))
		}
		pw := b.String()
		bits := Bits(pw)
		if math.IsNaN(bits) || bits < 0 {
			t.Fatalf("Bits = %v for a %d-character password", bits, n)
		}
	}
}

func ExampleGenerate() {
	pw, err := Generate(nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(pw), Judge(pw).Verdict)
	// Output: 24 strong
}

func FuzzJudge(f *testing.F) {
	for _, s := range []string{"", "password", "k7mq-3xtp-vr9c-h2wd-a8ne", "19992000", "ñandú€", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		e := Judge(pw)
		if math.IsNaN(e.Bits) || e.Bits < 0 {
			t.Fatalf("bits = %v", e.Bits)
		}
		switch e.Hint {
		case hintEmpty, hintCommon, hintShort, hintGuessable, hintFair, hintStrong:
		default:
			t.Fatalf("hint %q is not one of the fixed sentences", e.Hint)
		}
		switch e.Verdict {
		case Weak, Fair, Strong:
		default:
			t.Fatalf("verdict %q", e.Verdict)
		}
	})
}

// The ASCII class test in the strength judge is unicode.IsPrint's answer below 128.
func TestPrintableASCIIIsUnicodeIsPrint(t *testing.T) {
	for r := rune(0); r < 128; r++ {
		if got := r >= ' ' && r <= '~'; got != unicode.IsPrint(r) {
			t.Errorf("%q: %v, unicode.IsPrint %v", r, got, unicode.IsPrint(r))
		}
	}
}
