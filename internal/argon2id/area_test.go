package argon2id

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
)

// The kept work area (KeepWorkArea). This file's tests run before argon2id_test.go's
// (files in name order), so TestMemoryFlatAcrossCalls sees a heap no other test's 64 MiB
// derivation has shaped yet, as the core's heap is before its first unlock.

// TestMemoryFlatAcrossCalls runs derivations at the vault's parameters, with the work area
// kept as the core keeps it, the way the background unlocks: each followed by objects that
// stay alive (a vault, a View) and by garbage (popup opens), then a collection. In
// WebAssembly the module's memory is its static data (the kept area among it) plus what
// the Go runtime holds, and it never shrinks; so what the runtime holds must stay where the
// same rounds leave it without a derivation. Two other ways fail that: a fresh 64 MiB slice
// per call (64 MiB more from the first call, and another 64 MiB from the second when small
// objects had moved into the first call's freed area), and one slice kept in the heap
// (live data, so the collector let garbage grow to about its size: ~90 MiB more).
func TestMemoryFlatAcrossCalls(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB derivations; skipped with -short")
	}
	setWorkArea(t, true)
	// One thread, as in WebAssembly: natively a collection running alongside the garbage
	// loop lets the heap overshoot by several MiB from run to run.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
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

// TestWorkAreaCleared: no password-derived block is left in the kept work area after a
// derivation.
func TestWorkAreaCleared(t *testing.T) {
	setWorkArea(t, true)
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
	setWorkArea(t, true)
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
	setWorkArea(t, true)
	password, salt := []byte("password"), []byte("somesaltsomesalt")
	got := IDKey(password, salt, 1, areaBlocks+4, 1, 32)
	want := argon2.IDKey(password, salt, 1, areaBlocks+4, 1, 32)
	if !bytes.Equal(got, want) {
		t.Errorf("above the work area:\n got %x\nwant %x", got, want)
	}
}
