package argon2id

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
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
	for _, c := range cases {
		got := IDKey(c.password, c.salt, c.time, c.memory, c.threads, c.keyLen)
		want := argon2.IDKey(c.password, c.salt, c.time, c.memory, c.threads, c.keyLen)
		if !bytes.Equal(got, want) {
			t.Errorf("%v, password %x, salt %x:\n got %x\nwant %x", c.params, c.password, c.salt, got, want)
		}
	}
}

// TestMatchesXCryptoAtDefaults compares the two at the vault's own parameters (64 MiB,
// t=3, p=4, 64-byte output), which the random cases above stay far below.
func TestMatchesXCryptoAtDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB twice; skipped with -short")
	}
	password, salt := []byte("correct horse battery staple"), []byte("0123456789abcdef")
	got := IDKey(password, salt, 3, 64*1024, 4, 64)
	want := argon2.IDKey(password, salt, 3, 64*1024, 4, 64)
	if !bytes.Equal(got, want) {
		t.Errorf("at the default parameters:\n got %x\nwant %x", got, want)
	}
}

// TestMemoryFlatAcrossCalls runs derivations at the vault's parameters the way the
// background unlocks: each followed by objects that stay alive (a vault, a View) and by
// garbage (popup opens), then a collection. In WebAssembly the module's memory is its
// static data (the work area among it) plus what the Go runtime holds, and it never
// shrinks; so what the runtime holds must stay where the same rounds leave it without a
// derivation. Two other ways fail that: a fresh 64 MiB slice per call (64 MiB more from the
// first call, and another 64 MiB from the second when small objects had moved into the
// first call's freed area), and one slice kept in the heap (live data, so the collector
// let garbage grow to about its size before collecting: ~90 MiB more).
func TestMemoryFlatAcrossCalls(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB derivations; skipped with -short")
	}
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	var live [][]byte
	round := func(derive bool) float64 {
		if derive {
			IDKey([]byte("correct horse battery staple"), []byte("0123456789abcdef"), 3, 64*1024, 4, 64)
		}
		live = live[:0]
		for range 100_000 {
			live = append(live, make([]byte, 64))
		}
		runtime.GC()
		for range 200 {
			garbage := make([][]byte, 1000)
			for i := range garbage {
				garbage[i] = make([]byte, 200)
			}
		}
		metrics.Read(sample)
		return float64(sample[0].Value.Uint64()) / (1 << 20)
	}
	base := round(false)
	t.Logf("without a derivation the runtime holds %.1f MiB", base)
	for i := 1; i <= 4; i++ {
		mib := round(true)
		t.Logf("after derivation %d: %.1f MiB", i, mib)
		if mib > base+16 {
			t.Errorf("after derivation %d the runtime holds %.1f MiB, %.1f MiB more than without one", i, mib, mib-base)
		}
	}
	runtime.KeepAlive(live)
}

// TestWorkAreaCleared: no password-derived block is left in the shared work area after a
// derivation.
func TestWorkAreaCleared(t *testing.T) {
	IDKey([]byte("password"), []byte("somesaltsomesalt"), 2, 4096, 4, 32)
	area.Lock()
	defer area.Unlock()
	for i := range area.b {
		if area.b[i] != (block{}) {
			t.Fatalf("block %d of the work area is not zero after a derivation", i)
		}
	}
}

// TestConcurrentCalls: derivations from several goroutines share the work area one at a
// time and each still matches x/crypto (run with -race natively).
func TestConcurrentCalls(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 3 {
				salt := []byte(fmt.Sprintf("salt-%d-%d-salt-salt", g, i))
				got := IDKey([]byte("password"), salt, 1, 256<<g, uint8(1+g), 32)
				want := argon2.IDKey([]byte("password"), salt, 1, 256<<g, uint8(1+g), 32)
				if !bytes.Equal(got, want) {
					t.Errorf("goroutine %d, call %d: got %x, want %x", g, i, got, want)
				}
			}
		})
	}
	wg.Wait()
}

// TestLargerThanWorkArea: parameters above the shared area (a file written with more
// memory) still derive x/crypto's output.
func TestLargerThanWorkArea(t *testing.T) {
	if testing.Short() {
		t.Skip("65 MiB twice; skipped with -short")
	}
	password, salt := []byte("password"), []byte("somesaltsomesalt")
	got := IDKey(password, salt, 1, areaBlocks+4, 1, 32)
	want := argon2.IDKey(password, salt, 1, areaBlocks+4, 1, 32)
	if !bytes.Equal(got, want) {
		t.Errorf("above the work area:\n got %x\nwant %x", got, want)
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
