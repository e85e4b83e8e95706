package qr

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// TestRSEncodeKnown checks the error correction codewords of the standard's worked example
// (version 1-M, "01234567").
func TestRSEncodeKnown(t *testing.T) {
	data := []byte{0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11}
	want := []byte{0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55}
	if got := rsEncode(data, 10); !bytes.Equal(got, want) {
		t.Errorf("rsEncode = % x, want % x", got, want)
	}
}

// TestRSCorrectAtLimit: random blocks of every shape QR uses get up to ec/2 random errors at
// random positions; all are corrected and the count reported.
func TestRSCorrectAtLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, shape := range [][2]int{{19, 7}, {16, 10}, {9, 17}, {13, 22}, {24, 30}, {122, 30}, {15, 28}, {118, 28}, {1, 2}} {
		nd, ec := shape[0], shape[1]
		for trial := range 200 {
			data := make([]byte, nd)
			for i := range data {
				data[i] = byte(rng.UintN(256))
			}
			block := append(append([]byte{}, data...), rsEncode(data, ec)...)
			orig := append([]byte{}, block...)
			nerr := ec / 2
			if trial%4 == 1 {
				nerr = rng.IntN(ec/2 + 1)
			}
			for _, p := range rng.Perm(len(block))[:nerr] {
				block[p] ^= byte(1 + rng.UintN(255))
			}
			n, err := rsCorrect(block, ec)
			if err != nil || n != nerr || !bytes.Equal(block, orig) {
				t.Fatalf("%d+%d with %d errors: corrected %d, %v, block ok %v", nd, ec, nerr, n, err, bytes.Equal(block, orig))
			}
		}
	}
}

// TestRSDetectsBeyondLimit: with ec/2+1 or more errors, rsCorrect mostly reports failure
// and never returns a block that is not a codeword.
func TestRSDetectsBeyondLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, shape := range [][2]int{{16, 10}, {24, 30}, {118, 28}} {
		nd, ec := shape[0], shape[1]
		failed := 0
		const trials = 300
		for range trials {
			data := make([]byte, nd)
			for i := range data {
				data[i] = byte(rng.UintN(256))
			}
			block := append(append([]byte{}, data...), rsEncode(data, ec)...)
			nerr := ec/2 + 1 + rng.IntN(ec)
			for _, p := range rng.Perm(len(block))[:nerr] {
				block[p] ^= byte(1 + rng.UintN(255))
			}
			_, err := rsCorrect(block, ec)
			if err != nil {
				if !errors.Is(err, errTooManyErrors) {
					t.Fatal(err)
				}
				failed++
				continue
			}
			// Miscorrected into another codeword: its syndromes must be zero.
			if n, err := rsCorrect(append([]byte{}, block...), ec); n != 0 || err != nil {
				t.Fatalf("corrected block is not a codeword: %d, %v", n, err)
			}
		}
		if failed < trials*9/10 {
			t.Errorf("%d+%d: only %d of %d heavy corruptions reported", nd, ec, failed, trials)
		}
	}
}

// FuzzRSCorrect: any block and error correction length: an error, or a block that is a
// codeword (all syndromes zero) differing from the input in at most ec/2 places.
func FuzzRSCorrect(f *testing.F) {
	f.Add([]byte{0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x56}, byte(10))
	f.Fuzz(func(t *testing.T, block []byte, ecb byte) {
		if len(block) == 0 || len(block) > 255 {
			return
		}
		ec := 1 + int(ecb)%min(len(block), 30)
		orig := append([]byte{}, block...)
		n, err := rsCorrect(block, ec)
		if err != nil {
			return
		}
		diff := 0
		for i := range block {
			if block[i] != orig[i] {
				diff++
			}
		}
		if diff != n || 2*n > ec {
			t.Fatalf("changed %d codewords, reported %d, ec %d", diff, n, ec)
		}
		if m, err := rsCorrect(block, ec); m != 0 || err != nil {
			t.Fatalf("result is not a codeword: %d, %v", m, err)
		}
	})
}
