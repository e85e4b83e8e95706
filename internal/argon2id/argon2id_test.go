package argon2id

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/argon2"
)

// TestRFC9106 is the Argon2id test vector of RFC 9106 section 5.3, which uses a secret and
// associated data (IDKey leaves both empty, so it goes through deriveKey).
func TestRFC9106(t *testing.T) {
	got := deriveKey(
		bytes.Repeat([]byte{0x01}, 32),
		bytes.Repeat([]byte{0x02}, 16),
		bytes.Repeat([]byte{0x03}, 8),
		bytes.Repeat([]byte{0x04}, 12),
		3, 32, 4, 32)
	const want = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
	if hex.EncodeToString(got) != want {
		t.Errorf("tag = %x, want %s", got, want)
	}
}

type params struct {
	time, memory uint32
	threads      uint8
	keyLen       uint32
}

func (p params) String() string {
	return fmt.Sprintf("t=%d m=%d p=%d len=%d", p.time, p.memory, p.threads, p.keyLen)
}

// TestMatchesXCrypto checks IDKey against x/crypto's argon2.IDKey, which the CLI uses
// natively: a vault written by one must open with the other.
func TestMatchesXCrypto(t *testing.T) {
	cases := []struct {
		password, salt []byte
		params
	}{
		// Edges: memory below 8·p and not a multiple of 4·p (both round), one segment of one
		// block past the address block size, long outputs (H′ with several BLAKE2b calls),
		// empty password and salt.
		{[]byte("password"), []byte("somesaltsomesalt"), params{1, 1, 4, 32}},
		{[]byte("password"), []byte("somesaltsomesalt"), params{2, 8*3 + 5, 3, 32}},
		{[]byte("password"), []byte("somesaltsomesalt"), params{1, 4 * 129, 1, 32}},
		{[]byte("password"), []byte("somesaltsomesalt"), params{1, 64, 1, 65}},
		{[]byte("password"), []byte("somesaltsomesalt"), params{1, 64, 2, 96}},
		{[]byte("password"), []byte("somesaltsomesalt"), params{1, 64, 2, 97}},
		{[]byte("password"), []byte("somesaltsomesalt"), params{1, 64, 2, 1000}},
		{[]byte("password"), []byte("somesaltsomesalt"), params{1, 64, 1, 1}},
		{nil, nil, params{1, 16, 2, 16}},
	}
	// Random cases from a fixed seed, so a failure can be replayed.
	rng := rand.New(rand.NewPCG(1, 2))
	n := 60
	if testing.Short() {
		n = 15
	}
	for range n {
		p := params{
			time:    1 + rng.Uint32N(3),
			threads: uint8(1 + rng.IntN(4)),
			keyLen:  4 + rng.Uint32N(61),
		}
		p.memory = 8*uint32(p.threads) + rng.Uint32N(2048-8*uint32(p.threads)+1)
		password := make([]byte, rng.IntN(40))
		salt := make([]byte, 8+rng.IntN(57))
		for _, b := range [][]byte{password, salt} {
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
		}
		cases = append(cases, struct {
			password, salt []byte
			params
		}{password, salt, p})
	}
	for _, keep := range []bool{false, true} {
		setWorkArea(t, keep)
		for _, c := range cases {
			got := IDKey(c.password, c.salt, c.time, c.memory, c.threads, c.keyLen)
			want := argon2.IDKey(c.password, c.salt, c.time, c.memory, c.threads, c.keyLen)
			if !bytes.Equal(got, want) {
				t.Errorf("kept work area %v, %v, password %x, salt %x:\n got %x\nwant %x", keep, c.params, c.password, c.salt, got, want)
			}
		}
	}
}

// setWorkArea keeps the shared work area (KeepWorkArea) or, with keep false, makes every
// derivation allocate its own, until the test ends.
func setWorkArea(t *testing.T, keep bool) {
	area.Lock()
	old := area.b
	area.b = nil
	area.Unlock()
	if keep {
		KeepWorkArea()
	}
	t.Cleanup(func() {
		area.Lock()
		area.b = old
		area.Unlock()
	})
}

// TestMatchesXCryptoAtDefaults compares the two at the vault's own parameters (64 MiB,
// t=3, p=4, 64-byte output), which the random cases above stay far below.
func TestMatchesXCryptoAtDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB twice; skipped with -short")
	}
	setWorkArea(t, true)
	password, salt := []byte("correct horse battery staple"), []byte("0123456789abcdef")
	got := IDKey(password, salt, 3, 64*1024, 4, 64)
	want := argon2.IDKey(password, salt, 3, 64*1024, 4, 64)
	if !bytes.Equal(got, want) {
		t.Errorf("at the default parameters:\n got %x\nwant %x", got, want)
	}
}

func TestPanics(t *testing.T) {
	for _, p := range []params{
		{0, 64, 1, 32},
		{1, 64, 0, 32},
		{1, 64, 1, 0},
	} {
		t.Run(p.String(), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			IDKey([]byte("pw"), []byte("somesaltsomesalt"), p.time, p.memory, p.threads, p.keyLen)
		})
	}
}

// The two benchmarks run the same derivation (the vault's default parameters) through this
// package and through x/crypto, for comparison under GOOS=js GOARCH=wasm, where this package
// is used.
func BenchmarkIDKeyDefault(b *testing.B) {
	salt := make([]byte, 16)
	for b.Loop() {
		IDKey([]byte("correct horse battery staple"), salt, 3, 64*1024, 4, 64)
	}
}

func BenchmarkXCryptoIDKeyDefault(b *testing.B) {
	salt := make([]byte, 16)
	for b.Loop() {
		argon2.IDKey([]byte("correct horse battery staple"), salt, 3, 64*1024, 4, 64)
	}
}
