// Package argon2id is Argon2id (RFC 9106) written for Go's WebAssembly code generator.
//
// It exists because the extension's unlock runs Argon2id in the browser's WebAssembly, where
// golang.org/x/crypto/argon2 has no assembly and falls back to a portable block function
// that passes sixteen pointers per call through the in-memory stack (Go's wasm ABI) and
// copies each block twice. Here the compression function is generated straight-line code
// over constant indices (see gen_blamka.go) that reads its two inputs once, writes the
// output once and keeps one temporary block, and lanes are filled one after the other,
// since WebAssembly has one thread and goroutines would only add switches. Under Node it
// takes a little over half x/crypto's time at the vault's default parameters; natively
// x/crypto's assembly is faster, so only js/wasm builds use this package
// (internal/seal/kdf_wasm.go).
//
// IDKey has exactly the semantics of x/crypto's argon2.IDKey, and its output is identical:
// the CLI (which keeps x/crypto and its assembly natively) and the extension must derive the
// same key from the same vault. The tests check this against x/crypto and the RFC's vector
// natively and under GOOS=js GOARCH=wasm.
package argon2id

import (
	"encoding/binary"
	"sync"

	"golang.org/x/crypto/blake2b"
)

//go:generate go run gen_blamka.go

const (
	version    = 0x13
	typeID     = 2 // Argon2id
	syncPoints = 4 // slices per lane
	blockWords = 128
)

type block [blockWords]uint64

// IDKey derives keyLen bytes from password and salt with Argon2id (version 0x13), time
// passes over memory KiB in threads lanes. Like x/crypto's argon2.IDKey it rounds memory down
// to a multiple of 4·threads blocks (at least 8·threads) and panics if time, threads or
// keyLen is zero; callers check their parameters first.
func IDKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	return deriveKey(password, salt, nil, nil, time, memory, threads, keyLen)
}

// deriveKey is Argon2id with the optional secret and associated data, which IDKey leaves
// empty; the RFC's test vector uses both.
func deriveKey(password, salt, secret, data []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	switch {
	case time < 1:
		panic("argon2id: number of passes too small")
	case threads < 1:
		panic("argon2id: parallelism degree too low")
	case keyLen < 1:
		panic("argon2id: key length too small")
	}
	lanes := uint32(threads)
	h0 := initialHash(password, salt, secret, data, time, memory, lanes, keyLen)
	defer clear(h0[:])

	memory = memory / (syncPoints * lanes) * (syncPoints * lanes)
	if memory < 2*syncPoints*lanes {
		memory = 2 * syncPoints * lanes
	}
	b, done := workArea(memory)
	defer done()
	s := &state{
		b:       b,
		time:    time,
		blocks:  memory,
		lanes:   lanes,
		laneLen: memory / lanes,
		segLen:  memory / lanes / syncPoints,
	}
	s.firstBlocks(&h0)
	for pass := uint32(0); pass < time; pass++ {
		for slice := uint32(0); slice < syncPoints; slice++ {
			for lane := uint32(0); lane < lanes; lane++ {
				s.fillSegment(pass, slice, lane)
			}
		}
	}
	return s.finalize(keyLen)
}

// The work area. Go's heap in WebAssembly never gives memory back, and a fresh 64 MiB slice
// per call does not stay at 64 MiB: once the first call's freed area holds a few small
// objects, the next call needs another contiguous 64 MiB, and the background's memory
// doubles across unlocks. Keeping one slice in the heap instead makes it live data, and
// the collector then lets garbage grow to about as much again before it runs, which grows
// the heap as much. So a program that derives keys again and again keeps a package-level
// array (KeepWorkArea): it is not in the heap, the collector neither scans nor counts it,
// and nothing else can take its place. In WebAssembly it is part of the module's memory
// from the start, but like any untouched page it costs no resident memory until the first
// derivation writes it; and the linker drops it from programs that never call
// KeepWorkArea, whose memory stays small until they derive.
//
// areaBlocks covers the vault's default (64 MiB); a call that needs more (a file written
// with larger parameters, up to the callers' bounds) gets a slice of its own, as do all
// calls in a program that keeps no area.
const areaBlocks = 64 << 10 // 64 MiB

var kept [areaBlocks]block

var area struct {
	sync.Mutex // one derivation at a time: goroutines may interleave where a call allocates
	b          []block
}

// KeepWorkArea makes every later derivation of up to 64 MiB use one work area outside the
// heap, zeroed after each use (see above). The extension's core calls it once at start:
// it unlocks again and again in one long-lived instance.
func KeepWorkArea() {
	area.Lock()
	defer area.Unlock()
	area.b = kept[:]
}

// workArea returns memory blocks for one derivation and a func that zeroes them (no
// password-derived data stays behind in them) and lets the next derivation have them.
func workArea(memory uint32) (b []block, done func()) {
	area.Lock()
	if memory > uint32(len(area.b)) {
		area.Unlock()
		b = make([]block, memory)
		return b, func() { clear(b) }
	}
	b = area.b[:memory]
	return b, func() {
		clear(b)
		area.Unlock()
	}
}

type state struct {
	b       []block
	time    uint32
	blocks  uint32 // m′: memory in blocks after rounding
	lanes   uint32
	laneLen uint32 // blocks per lane
	segLen  uint32 // blocks per segment
}

// initialHash is H0 (RFC 9106 section 3.2, step 1), with 8 bytes left free at the end for
// the block and lane numbers that firstBlocks appends.
func initialHash(password, salt, secret, data []byte, time, memory, lanes, keyLen uint32) [blake2b.Size + 8]byte {
	h, _ := blake2b.New512(nil)
	var buf [4]byte
	word := func(v uint32) {
		binary.LittleEndian.PutUint32(buf[:], v)
		h.Write(buf[:])
	}
	word(lanes)
	word(keyLen)
	word(memory)
	word(time)
	word(version)
	word(typeID)
	for _, field := range [][]byte{password, salt, secret, data} {
		word(uint32(len(field)))
		h.Write(field)
	}
	var h0 [blake2b.Size + 8]byte
	h.Sum(h0[:0])
	return h0
}

// firstBlocks sets blocks 0 and 1 of every lane to H′(H0 ‖ LE32(i) ‖ LE32(lane)).
func (s *state) firstBlocks(h0 *[blake2b.Size + 8]byte) {
	var buf [1024]byte
	defer clear(buf[:]) // on the stack, which WebAssembly keeps in linear memory
	for lane := uint32(0); lane < s.lanes; lane++ {
		binary.LittleEndian.PutUint32(h0[blake2b.Size+4:], lane)
		for i := uint32(0); i < 2; i++ {
			binary.LittleEndian.PutUint32(h0[blake2b.Size:], i)
			hashLong(buf[:], h0[:])
			b := &s.b[lane*s.laneLen+i]
			for j := range b {
				b[j] = binary.LittleEndian.Uint64(buf[8*j:])
			}
		}
	}
}

// fillSegment computes one segment: blocks slice·segLen… of lane in the given pass.
func (s *state) fillSegment(pass, slice, lane uint32) {
	// Argon2id takes reference indices from an address stream (data-independent) in the
	// first half of the first pass and from the previous block afterwards.
	independent := pass == 0 && slice < syncPoints/2
	var input, addresses block
	if independent {
		input[0] = uint64(pass)
		input[1] = uint64(lane)
		input[2] = uint64(slice)
		input[3] = uint64(s.blocks)
		input[4] = uint64(s.time)
		input[5] = typeID
	}
	start := uint32(0)
	if pass == 0 && slice == 0 {
		start = 2 // firstBlocks made them
		if independent {
			nextAddresses(&addresses, &input)
		}
	}
	laneStart := lane * s.laneLen
	cur := laneStart + slice*s.segLen + start
	for index := start; index < s.segLen; index, cur = index+1, cur+1 {
		prev := cur - 1
		if slice == 0 && index == 0 {
			prev = laneStart + s.laneLen - 1
		}
		var rnd uint64
		if independent {
			if index%blockWords == 0 {
				nextAddresses(&addresses, &input)
			}
			rnd = addresses[index%blockWords]
		} else {
			rnd = s.b[prev][0]
		}
		ref := s.refIndex(rnd, pass, slice, lane, index)
		compress(&[3]*block{&s.b[cur], &s.b[prev], &s.b[ref]}, pass > 0)
	}
}

// refIndex maps the pseudo-random word rnd to the reference block (RFC 9106 section 3.4).
func (s *state) refIndex(rnd uint64, pass, slice, lane, index uint32) uint32 {
	refLane := uint32(rnd>>32) % s.lanes
	if pass == 0 && slice == 0 {
		refLane = lane
	}
	// The reference set: every block of refLane that is finished and not being overwritten
	// in this slice, except the previous block, counted from start.
	var area, start uint32
	if pass == 0 {
		area = slice * s.segLen
	} else {
		area = (syncPoints - 1) * s.segLen
		start = (slice + 1) % syncPoints * s.segLen
	}
	if refLane == lane {
		area += index - 1
	} else if index == 0 {
		area--
	}
	j1 := rnd & 0xffffffff
	x := j1 * j1 >> 32
	y := uint64(area) * x >> 32
	pos := (uint64(start) + uint64(area) - 1 - y) % uint64(s.laneLen)
	return refLane*s.laneLen + uint32(pos)
}

// nextAddresses increments the counter in input and sets addresses to G(0, G(0, input)).
func nextAddresses(addresses, input *block) {
	var zero, tmp block
	input[6]++
	compress(&[3]*block{&tmp, &zero, input}, false)
	compress(&[3]*block{addresses, &zero, &tmp}, false)
}

// finalize XORs the last block of every lane and hashes it to keyLen bytes.
func (s *state) finalize(keyLen uint32) []byte {
	last := &s.b[s.laneLen-1]
	for lane := uint32(1); lane < s.lanes; lane++ {
		b := &s.b[lane*s.laneLen+s.laneLen-1]
		for i := range last {
			last[i] ^= b[i]
		}
	}
	var buf [1024]byte
	defer clear(buf[:]) // what hashes to the key
	for i, w := range last {
		binary.LittleEndian.PutUint64(buf[8*i:], w)
	}
	out := make([]byte, keyLen)
	hashLong(out, buf[:])
	return out
}

// hashLong is H′ (RFC 9106 section 3.3): BLAKE2b stretched to len(out) bytes.
func hashLong(out, in []byte) {
	var length [4]byte
	binary.LittleEndian.PutUint32(length[:], uint32(len(out)))
	if len(out) <= blake2b.Size {
		h, _ := blake2b.New(len(out), nil)
		h.Write(length[:])
		h.Write(in)
		h.Sum(out[:0])
		return
	}
	// V1 = H64(LE32(T) ‖ in), Vi = H64(Vi−1); the output is the first half of each Vi and
	// all of the last, which is shortened so the total comes to exactly T bytes.
	h, _ := blake2b.New512(nil)
	h.Write(length[:])
	h.Write(in)
	var v [blake2b.Size]byte
	h.Sum(v[:0])
	for len(out) > blake2b.Size {
		copy(out, v[:32])
		out = out[32:]
		if len(out) > blake2b.Size {
			v = blake2b.Sum512(v[:])
		}
	}
	h, _ = blake2b.New(len(out), nil)
	h.Write(v[:])
	h.Sum(out[:0])
}
