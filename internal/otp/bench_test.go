package otp

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkCodes1000 computes one code for each of 1,000 accounts of mixed kinds, which
// is what the popup does when it opens. It reports ns per 1,000 codes and codes per second.
func BenchmarkCodes1000(b *testing.B) {
	keys := benchKeys()
	at := time.Unix(1672531200, 0)
	b.ResetTimer()
	for b.Loop() {
		for _, k := range keys {
			if _, err := k.Code(at); err != nil {
				b.Fatal(err)
			}
		}
	}
	perBatch := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perBatch, "ns/1000codes")
	b.ReportMetric(1000/(perBatch/1e9), "codes/s")
	b.ReportMetric(0, "ns/op") // the per-1,000 figure above is the op
}

// BenchmarkSequence21x1000 computes 21 consecutive codes for each of 1,000 accounts, what
// the View holds per account at 1,000 accounts, keying each account's HMAC once.
func BenchmarkSequence21x1000(b *testing.B) {
	keys := benchKeys()
	var buf []byte
	for b.Loop() {
		for _, k := range keys {
			seq, err := NewSequence(k)
			if err != nil {
				b.Fatal(err)
			}
			buf = buf[:0]
			for step := range uint64(21) {
				buf = seq.Append(buf, 56_000_000+step)
			}
		}
	}
	perCode := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 21000
	b.ReportMetric(perCode, "ns/code")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkCode21x1000 is the same work through Key.Code, one code at a time.
func BenchmarkCode21x1000(b *testing.B) {
	keys := benchKeys()
	for b.Loop() {
		for _, k := range keys {
			for step := range int64(21) {
				if _, err := k.Code(time.Unix((56_000_000+step)*int64(k.Period), 0)); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	perCode := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 21000
	b.ReportMetric(perCode, "ns/code")
	b.ReportMetric(0, "ns/op")
}

// benchKeys is 1,000 accounts of mixed kinds: 10 % HOTP, 10 % Steam, the rest TOTP over
// the three algorithms and 6–8 digits.
func benchKeys() []Key {
	keys := make([]Key, 1000)
	algs := []Algorithm{SHA1, SHA256, SHA512}
	for i := range keys {
		k := Key{Type: TOTP, Name: fmt.Sprint("account", i), Secret: []byte(fmt.Sprintf("secret-%015d", i)),
			Algorithm: algs[i%3], Digits: 6 + i%3, Period: 30}
		switch i % 10 {
		case 8:
			k.Type, k.Counter, k.Period = HOTP, uint64(i), 0
		case 9:
			k.Type, k.Algorithm, k.Digits = Steam, SHA1, 5
		}
		keys[i] = k
	}
	return keys
}
