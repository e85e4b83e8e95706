package qr

import (
	"errors"
	"strconv"
)

// encodeLevel is the error correction level of the symbols we draw: M restores ~15% of the
// codewords, enough for a phone camera on a screen, and keeps symbols small.
const encodeLevel = levelM

// encodeGrid builds the QR symbol for text: error correction level M, the smallest version
// (1–40) that holds it, the mask with the lowest penalty by the standard's four rules.
//
// The text goes in one byte-mode segment, preceded by ECI 26 (UTF-8) when it is not pure
// ASCII so readers do not take it for ISO-8859-1.
func encodeGrid(text string) (*bitGrid, error) {
	if text == "" {
		return nil, errors.New("qr: nothing to encode")
	}
	eci := false
	for i := range len(text) {
		if text[i] >= 0x80 {
			eci = true
			break
		}
	}
	v, lay := 0, blockLayout{}
	for v = 1; v <= 40; v++ {
		lay = layoutFor(v, encodeLevel)
		if segmentBits(len(text), v, eci) <= lay.dataCodewords()*8 {
			break
		}
	}
	if v > 40 {
		most := (lay.dataCodewords()*8 - segmentBits(0, 40, eci)) / 8
		return nil, numberedError("qr: text of ", len(text), " bytes is too long for a QR code (at most "+strconv.Itoa(most)+")")
	}

	// The data codewords: the segment, the terminator, zero bits to the byte boundary, then
	// the pad codewords.
	w := &bitWriter{}
	if eci {
		w.write(modeECI, 4)
		w.write(26, 8)
	}
	w.write(modeByte, 4)
	w.write(len(text), countBits(modeByte, v))
	for i := range len(text) {
		w.write(int(text[i]), 8)
	}
	codewords := finish(w, lay)

	// Draw the symbol with each of the eight masks in turn, and keep the one with the lowest
	// penalty. The codewords are placed unmasked first; remainder bits stay light.
	_, base, order := functionPatterns(v)
	for i, m := range order[:len(codewords)*8] {
		base.dark[m] = codewords[i>>3]&(0x80>>(i&7)) != 0
	}
	var best *bitGrid
	bestScore := 0
	for m := range 8 {
		g := &bitGrid{size: base.size, dark: append([]bool(nil), base.dark...)}
		for _, i := range order { // the data modules, remainder bits included
			if masked(m, i%g.size, i/g.size) {
				g.dark[i] = !g.dark[i]
			}
		}
		drawFormat(g, encodeLevel, m)
		if s := penalty(g); best == nil || s < bestScore {
			best, bestScore = g, s
		}
	}
	return best, nil
}

// segmentBits is the length of n bytes as one byte-mode segment in version v: mode
// indicator, character count and data, after an ECI header (mode and 8-bit designator)
// when eci.
func segmentBits(n, v int, eci bool) int {
	bits := 4 + countBits(modeByte, v) + 8*n
	if eci {
		bits += 12
	}
	return bits
}

// bitWriter appends big-endian bit fields.
type bitWriter struct {
	buf []byte
	n   int // bits written
}

// write appends the n low bits of v, most significant first.
//
// Kept out of line: inlined at each of its calls it would cost a copy of the loop each in
// WebAssembly.
//
//go:noinline
func (w *bitWriter) write(v, n int) {
	for i := n - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		w.buf[len(w.buf)-1] |= byte(v>>i&1) << (7 - w.n%8)
		w.n++
	}
}

// penalty scores a symbol by the standard's four rules, as ZXing counts them; lower is
// easier to scan.
//  1. each run of 5 or more like modules in a row or column: 3, plus 1 per module past 5;
//  2. each 2×2 block of like modules: 3;
//  3. each finder-like dark-light-dark×3-light-dark run with 4 light modules on one side or
//     the other (the quiet zone counts as light): 40;
//  4. the share of dark modules: 10 for each full 5% it is off 50%.
func penalty(g *bitGrid) int {
	n := g.size
	score := 0
	col := make([]bool, n)
	for i := range 2 * n { // the rows, then the columns
		line := col
		if i < n {
			line = g.dark[i*n : i*n+n]
		} else {
			for j := range col {
				col[j] = g.dark[j*n+i-n]
			}
		}
		// Rule 1.
		run := 0
		for j, d := range line {
			if j > 0 && d == line[j-1] {
				run++
				if run == 5 {
					score += 3
				} else if run > 5 {
					score++
				}
			} else {
				run = 1
			}
		}
		// Rule 3, on the modules as bits, the newest lowest, 15 at a time: 4 before a
		// finder-like run, its 7 (1011101), 4 after. Beyond the line is the light quiet
		// zone.
		w := 0
		for j := range n + 4 {
			w = w << 1 & 0x7fff
			if j < n && line[j] {
				w |= 1
			}
			if j >= 10 && w>>4&0x7f == 0b1011101 && (w>>11 == 0 || w&0xf == 0) {
				score += 40
			}
		}
	}
	// Rule 2.
	for y := 1; y < n; y++ {
		above, row := g.dark[(y-1)*n:y*n], g.dark[y*n:y*n+n]
		for x := 1; x < len(row) && x < len(above); x++ {
			if d := row[x]; d == row[x-1] && d == above[x] && d == above[x-1] {
				score += 3
			}
		}
	}
	// Rule 4.
	dark := 0
	for _, d := range g.dark {
		if d {
			dark++
		}
	}
	total := n * n
	return score + 10*(abs(dark*20-total*10)/total)
}

// finish ends the data bit stream in w (the terminator, zero bits to the byte boundary,
// then the pad codewords up to the symbol's capacity), splits it into blocks, adds each
// block's error correction codewords and interleaves them as they are placed (see
// blockLayout.placed).
func finish(w *bitWriter, lay blockLayout) []byte {
	capacity := lay.dataCodewords()
	w.write(modeTerminator, min(4, capacity*8-w.n))
	w.write(0, (8-w.n%8)%8)
	for i := 0; len(w.buf) < capacity; i++ {
		w.buf = append(w.buf, "\xec\x11"[i&1]) // the two pad codewords in turn
	}
	data := w.buf
	codewords := make([]byte, capacity+lay.blocks*lay.ec)
	for b := range lay.blocks {
		n := lay.dataIn(b)
		// The block and its error correction codewords (data[:n:n] makes append copy).
		for i, c := range append(data[:n:n], rsEncode(data[:n], lay.ec)...) {
			codewords[lay.placed(b, i)] = c
		}
		data = data[n:]
	}
	return codewords
}
