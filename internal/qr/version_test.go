//go:build !js

package qr

import (
	"slices"
	"testing"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

var zxLevels = [4]decoder.ErrorCorrectionLevel{
	levelM: decoder.ErrorCorrectionLevel_M,
	levelL: decoder.ErrorCorrectionLevel_L,
	levelH: decoder.ErrorCorrectionLevel_H,
	levelQ: decoder.ErrorCorrectionLevel_Q,
}

// TestVersionTables checks our computed and compact tables against gozxing's full ones:
// codeword counts, block structure for every level, alignment centres, version information.
func TestVersionTables(t *testing.T) {
	for v := 1; v <= 40; v++ {
		zv, err := decoder.Version_GetVersionForNumber(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := totalCodewords(v), zv.GetTotalCodewords(); got != want {
			t.Errorf("version %d: %d codewords, want %d", v, got, want)
		}
		if got, want := alignmentCenters(v), zv.GetAlignmentPatternCenters(); !slices.Equal(got, want) && len(want) > 0 {
			t.Errorf("version %d: alignment centres %v, want %v", v, got, want)
		}
		if v >= 7 && versionBits(v) != decoder.VERSION_DECODE_INFO[v-7] {
			t.Errorf("version %d: version information %#x, want %#x", v, versionBits(v), decoder.VERSION_DECODE_INFO[v-7])
		}
		for l := range ecLevel(4) {
			zb := zv.GetECBlocksForLevel(zxLevels[l])
			lay := layoutFor(v, l)
			var want []int // data codewords of each block
			for _, b := range zb.GetECBlocks() {
				for range b.GetCount() {
					want = append(want, b.GetDataCodewords())
				}
			}
			var got []int
			for b := range lay.blocks {
				n := lay.shortData
				if b >= lay.short {
					n++
				}
				got = append(got, n)
			}
			if lay.ec != zb.GetECCodewordsPerBlock() || !slices.Equal(got, want) {
				t.Errorf("version %d level %d: ec %d blocks %v, want ec %d blocks %v", v, l, lay.ec, got, zb.GetECCodewordsPerBlock(), want)
			}
		}
	}
}

// TestFunctionMask checks that the modules left for data are the version's codewords plus
// the standard's remainder bits, and that the placement order lists each exactly once.
func TestFunctionMask(t *testing.T) {
	for v := 1; v <= 40; v++ {
		fn := functionMask(v)
		seen := make(map[int]bool)
		codewordOrder(fn, func(x, y int) {
			if seen[y*fn.size+x] {
				t.Fatalf("version %d: module %d,%d visited twice", v, x, y)
			}
			seen[y*fn.size+x] = true
		})
		free := 0
		for _, d := range fn.dark {
			if !d {
				free++
			}
		}
		if len(seen) != free {
			t.Errorf("version %d: %d modules visited, %d free", v, len(seen), free)
		}
		rem := []int{0, 7, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0}[v-1]
		if free != totalCodewords(v)*8+rem {
			t.Errorf("version %d: %d free modules, want %d", v, free, totalCodewords(v)*8+rem)
		}
	}
}

// TestFormatBits checks the 32 format codes are pairwise at least 7 bits apart (so nearest
// within 3 is unambiguous) and match the standard's example (M, mask 5 → 100000011001110).
func TestFormatBits(t *testing.T) {
	if got := formatBits(levelM, 5); got != 0b100000011001110 {
		t.Errorf("formatBits(M, 5) = %015b", got)
	}
	for i := range 32 {
		for j := range i {
			a, b := formatBits(ecLevel(i>>3), i&7), formatBits(ecLevel(j>>3), j&7)
			if d := nearestDist(a, b); d < 7 {
				t.Errorf("format codes %d and %d differ in %d bits", i, j, d)
			}
		}
	}
}

func nearestDist(a, b int) int {
	_, d := nearest(a, a, 1, func(int) int { return b })
	return d
}

// codewordOrder calls f for each data module of a symbol of fn's size (fn its function
// mask), in the order codeword bits are placed.
func codewordOrder(fn *bitGrid, f func(x, y int)) {
	_, _, order := functionPatterns((fn.size - 17) / 4)
	for _, m := range order {
		f(m%fn.size, m/fn.size)
	}
}
