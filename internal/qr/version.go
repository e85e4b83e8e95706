package qr

import "math/bits"

// The layout of a QR symbol (ISO/IEC 18004): versions 1–40, the four error correction
// levels, where the function patterns sit, and the BCH-coded format and version information.
// Everything is computed or held in small tables, since every byte counts in WebAssembly.

// ecLevel is an error correction level, numbered as in the format information's two bits.
type ecLevel int

const (
	levelM ecLevel = 0 // ~15% of codewords can be restored
	levelL ecLevel = 1 // ~7%
	levelH ecLevel = 2 // ~30%
	levelQ ecLevel = 3 // ~25%
)

// ecTable holds, for each level (in the order of the ecLevel values: M, L, H, Q) and version
// 1–40, the error correction codewords per block and the number of blocks. With the
// version's codeword count, that fixes the block structure.
var ecTable = [4][2][40]byte{
	levelM: {
		{10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
		{1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
	},
	levelL: {
		{7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		{1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
	},
	levelH: {
		{17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		{1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
	},
	levelQ: {
		{13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
		{1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
	},
}

// symbolSize is the width in modules of a symbol of version v.
func symbolSize(v int) int { return 17 + 4*v }

// totalCodewords is the number of 8-bit codewords (data and error correction) that fit in
// version v: every module that is not a function pattern, format or version information,
// less the remainder bits.
func totalCodewords(v int) int {
	n := (16*v+128)*v + 64
	if v >= 2 {
		a := v/7 + 2
		n -= (25*a-10)*a - 55
		if v >= 7 {
			n -= 36
		}
	}
	return n / 8
}

// blockLayout describes how version v at level l splits its codewords into Reed-Solomon
// blocks: blocks in all, the first short of them hold shortData data codewords and the rest
// one more; each block has ec error correction codewords.
type blockLayout struct {
	blocks, short, shortData, ec int
}

func layoutFor(v int, l ecLevel) blockLayout {
	ec := int(ecTable[l][0][v-1])
	blocks := int(ecTable[l][1][v-1])
	total := totalCodewords(v)
	return blockLayout{
		blocks:    blocks,
		short:     blocks - total%blocks,
		shortData: total/blocks - ec,
		ec:        ec,
	}
}

// dataCodewords is the number of data codewords the layout holds.
func (b blockLayout) dataCodewords() int {
	return b.blocks*b.shortData + b.blocks - b.short
}

// dataIn is the number of data codewords in block i.
func (b blockLayout) dataIn(i int) int {
	if i < b.short {
		return b.shortData
	}
	return b.shortData + 1
}

// placed gives where the i-th codeword of block blk goes among the codewords as placed in
// the symbol: the data codewords of all blocks round-robin (the short blocks drop out of the
// last round), then the error correction codewords likewise.
func (b blockLayout) placed(blk, i int) int {
	n := b.dataIn(blk)
	switch {
	case i < b.shortData:
		return i*b.blocks + blk
	case i < n: // the long blocks' last data codeword
		return b.shortData*b.blocks + blk - b.short
	}
	return b.dataCodewords() + (i-n)*b.blocks + blk
}

// alignmentCenters lists the row (and column) coordinates of version v's alignment pattern
// centres; the patterns sit at every pair of them except the three finder corners.
func alignmentCenters(v int) []int {
	if v == 1 {
		return nil
	}
	n := v/7 + 2
	step := 26
	if v != 32 {
		// Spacing between centres, even, as equal as the standard makes it; the gap next
		// to the first centre (6) takes up what is left.
		step = (v*4 + n*2 + 1) / (n*2 - 2) * 2
	}
	c := make([]int, n)
	c[0] = 6
	for i, pos := n-1, symbolSize(v)-7; i >= 1; i, pos = i-1, pos-step {
		c[i] = pos
	}
	return c
}

// functionMask marks the modules of a version-v symbol that do not carry codewords: finder
// patterns with their separators and the format information beside them, timing patterns,
// alignment patterns, version information and the dark module.
func functionMask(v int) *bitGrid {
	fn, _, _ := functionPatterns(v)
	return fn
}

// functionPatterns returns the function mask of a version-v symbol (see functionMask), a
// blank symbol with its function patterns drawn, and the order codeword bits are placed in.
//
// The patterns drawn are the finders, separators, timing and alignment patterns, the dark
// module and the version information; the format information, which depends on the mask
// pattern, is left light for drawFormat. Marking and drawing in one pass keeps the two in
// step, and the code small in WebAssembly.
//
// The order lists the data modules as indexes y·size+x: two-module columns from the right,
// upward then downward in turn, skipping the vertical timing pattern and function modules.
func functionPatterns(v int) (fn, drawn *bitGrid, order []int) {
	size := symbolSize(v)
	fn, drawn = newBitGrid(size), newBitGrid(size)
	mark := func(x, y int, dark bool) {
		i := y*size + x
		fn.dark[i] = true
		drawn.dark[i] = dark
	}
	for _, corner := range [3][2]int{{0, 0}, {size - 7, 0}, {0, size - 7}} {
		// The finder, its separator and the format information beside it: rings around
		// the centre by Chebyshev distance, 0–1 dark core, 2 light ring, 3 dark border, 4
		// the light separator, 5 the format information (on the inner sides only).
		for dy := -1; dy <= 8; dy++ {
			for dx := -1; dx <= 8; dx++ {
				x, y := corner[0]+dx, corner[1]+dy
				if x >= 0 && y >= 0 && x < size && y < size {
					d := max(abs(dx-3), abs(dy-3))
					mark(x, y, d <= 3 && d != 2)
				}
			}
		}
	}
	// Alignment patterns at every pair of centres where no finder is. Those on row or
	// column 6 agree with the timing patterns drawn over them next.
	c := alignmentCenters(v)
	for _, cy := range c {
		for _, cx := range c {
			if fn.at(cx, cy) {
				continue // a finder is there
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					mark(cx+dx, cy+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	for i := 8; i < size-8; i++ { // timing patterns
		mark(i, 6, i%2 == 0)
		mark(6, i, i%2 == 0)
	}
	drawn.set(8, size-8, true) // the dark module, beside the bottom-left format information
	if v >= 7 {
		bits := versionBits(v)
		for i := range 18 {
			x1, y1, x2, y2 := versionPos(size, i)
			on := bits>>i&1 == 1
			mark(x1, y1, on)
			mark(x2, y2, on)
		}
	}
	for right := size - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		up := (right+1)&2 == 0
		for k := range size {
			y := k
			if up {
				y = size - 1 - k
			}
			for x := right; x >= right-1; x-- {
				if i := y*size + x; !fn.dark[i] {
					order = append(order, i)
				}
			}
		}
	}
	return fn, drawn, order
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// formatBits is the 15-bit format information for level l and mask pattern mask: the five
// data bits, a BCH(15,5) remainder, and the standard's XOR mask so it is never all zero.
func formatBits(l ecLevel, mask int) int {
	d := int(l)<<3 | mask
	r := d
	for range 10 {
		r = r<<1 ^ (r>>9)*0x537
	}
	return (d<<10 | r) ^ 0x5412
}

// versionBits is the 18-bit version information for version v (7–40): six data bits and a
// BCH(18,6) remainder.
func versionBits(v int) int {
	r := v
	for range 12 {
		r = r<<1 ^ (r>>11)*0x1f25
	}
	return v<<12 | r
}

// formatPos gives the module of bit i (0 = least significant) of the format information's
// first copy (around the top-left finder) and of its second copy (split between the
// top-right and bottom-left finders).
func formatPos(size, i int) (x1, y1, x2, y2 int) {
	switch {
	case i < 6:
		x1, y1 = 8, i
	case i < 8:
		x1, y1 = 8, i+1 // skip the timing pattern in row 6
	case i == 8:
		x1, y1 = 7, 8
	default:
		x1, y1 = 14-i, 8
	}
	if i < 8 {
		x2, y2 = size-1-i, 8
	} else {
		x2, y2 = 8, size-15+i
	}
	return
}

// versionPos gives the module of bit i (0–17) of the version information's copy above the
// bottom-left finder and of its copy left of the top-right finder (the first transposed).
func versionPos(size, i int) (x1, y1, x2, y2 int) {
	a, b := size-11+i%3, i/3
	return b, a, a, b
}

// drawFormat writes the format information for level l and mask pattern mask, both copies.
func drawFormat(g *bitGrid, l ecLevel, mask int) {
	bits := formatBits(l, mask)
	for i := range 15 {
		x1, y1, x2, y2 := formatPos(g.size, i)
		on := bits>>i&1 == 1
		g.set(x1, y1, on)
		g.set(x2, y2, on)
	}
}

// masked reports whether mask pattern m flips the module in column x, row y.
func masked(m, x, y int) bool {
	// Unsigned, the remainders compile to less code in WebAssembly.
	i, j := uint(x), uint(y)
	switch m {
	case 0:
		return (i+j)%2 == 0
	case 1:
		return j%2 == 0
	case 2:
		return i%3 == 0
	case 3:
		return (i+j)%3 == 0
	case 4:
		return (i/3+j/2)%2 == 0
	case 5:
		return i*j%2+i*j%3 == 0
	case 6:
		return (i*j%2+i*j%3)%2 == 0
	default:
		return ((i+j)%2+i*j%3)%2 == 0
	}
}

// nearest returns the candidate among n whose code (from code(i)) differs from x or from y
// in the fewest places, and that distance; the first such if several.
func nearest(x, y, n int, code func(i int) int) (best, dist int) {
	best, dist = -1, 99
	for i := range n {
		c := code(i)
		if d := min(bits.OnesCount(uint(x^c)), bits.OnesCount(uint(y^c))); d < dist {
			best, dist = i, d
		}
	}
	return
}
