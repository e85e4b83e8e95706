package otp

import (
	"math/rand/v2"
	"testing"
	"time"
)

// A Sequence's codes are Key.Code's (pquerna/otp's) for every type, algorithm and length,
// for secrets shorter and longer than the hash's block (a longer one is hashed first by
// HMAC), and at counters around the ones real clocks and HOTP counters reach.
func TestSequenceSameAsCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	secretLens := []int{1, 10, 20, 32, 63, 64, 65, 128, 129, 200}
	for _, typ := range []Type{TOTP, HOTP, Steam} {
		for _, alg := range []Algorithm{SHA1, SHA256, SHA512} {
			for digits := MinDigits; digits <= MaxDigits; digits++ {
				if typ == Steam && (alg != SHA1 || digits != steamDigits) {
					continue
				}
				for _, n := range secretLens {
					k := Key{Type: typ, Algorithm: alg, Digits: digits, Period: 30, Secret: make([]byte, n)}
					for i := range k.Secret {
						k.Secret[i] = byte(rng.Uint32())
					}
					seq, err := NewSequence(k)
					if err != nil {
						t.Fatal(err)
					}
					top := maxTimeStep(k)
					counters := []uint64{0, 1, 9, 56_666_666, top - 1, top}
					for range 20 {
						c := rng.Uint64()
						if top < 1<<64-1 {
							c %= top + 1
						}
						counters = append(counters, c)
					}
					for _, c := range counters {
						want := codeAt(t, k, c)
						if got := string(seq.Append(nil, c)); got != want {
							t.Fatalf("%s %s %d digits, %d-byte secret, counter %d: got %s, want %s", typ, alg, digits, n, c, got, want)
						}
					}
				}
			}
		}
	}
}

// Append appends: what is already in the buffer stays, one code after another.
func TestSequenceAppends(t *testing.T) {
	k := Key{Type: TOTP, Secret: []byte("12345678901234567890"), Algorithm: SHA1, Digits: 8, Period: 30}
	seq, err := NewSequence(k)
	if err != nil {
		t.Fatal(err)
	}
	b := []byte("x")
	for _, step := range []uint64{1, 37037036, 37037037} { // RFC 6238: 59, 1111111109, 1111111111 s
		b = seq.Append(b, step)
	}
	if want := "x" + "94287082" + "07081804" + "14050471"; string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	if _, err := NewSequence(Key{Type: TOTP, Algorithm: SHA1, Digits: 6, Period: 30}); err == nil {
		t.Fatal("a key without a secret made a Sequence")
	}
}

func FuzzSequence(f *testing.F) {
	f.Add([]byte("12345678901234567890"), uint64(1), uint8(0), uint8(8))
	f.Add([]byte{0}, uint64(1<<40), uint8(5), uint8(5))
	f.Fuzz(func(t *testing.T, secret []byte, counter uint64, kind, digits uint8) {
		k := Key{Type: []Type{TOTP, HOTP, Steam}[kind%3], Algorithm: []Algorithm{SHA1, SHA256, SHA512}[kind/3%3],
			Digits: MinDigits + int(digits)%(MaxDigits-MinDigits+1), Period: 1 + int(digits)%MaxPeriod, Secret: secret}
		if k.Type == Steam {
			k.Algorithm, k.Digits, k.Period = SHA1, steamDigits, steamPeriod
		}
		seq, err := NewSequence(k)
		if err != nil {
			if _, codeErr := k.Code(time.Unix(0, 0)); codeErr == nil {
				t.Fatalf("NewSequence refused a key Code takes: %v", err)
			}
			return
		}
		if top := maxTimeStep(k); top < 1<<64-1 {
			counter %= top + 1
		}
		if got, want := string(seq.Append(nil, counter)), codeAt(t, k, counter); got != want {
			t.Fatalf("counter %d: got %s, want %s", counter, got, want)
		}
	})
}

// maxTimeStep is the largest counter codeAt can reach through Key.Code: any for HOTP, and
// for TOTP and Steam the last time step whose start a time.Time holds in Unix seconds.
func maxTimeStep(k Key) uint64 {
	if k.Type == HOTP {
		return 1<<64 - 1
	}
	return (1<<63 - 1) / uint64(k.Period)
}

// codeAt is Key.Code at an HOTP counter or at the start of a time step.
func codeAt(t testing.TB, k Key, counter uint64) string {
	t.Helper()
	at := time.Time{}
	if k.Type == HOTP {
		k.Counter = counter
	} else {
		at = time.Unix(int64(counter*uint64(k.Period)), 0)
	}
	code, err := k.Code(at)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
