package qr

import "errors"

var (
	errGridSize    = errors.New("qr: grid size is not that of a QR version")
	errNoFormat    = errors.New("qr: no readable format information")
	errVersionSize = errors.New("qr: version information does not match the symbol size")
)

// decodeGrid reads the text of one QR symbol, in its own orientation (finder patterns at
// top-left, top-right, bottom-left). Errors say what failed (no format information, too
// many errors to correct, unsupported mode…) and never include the symbol's content.
//
// When the symbol cannot be read as it is (most often: no format information, as in a
// mirrored symbol), it is tried again transposed; if that fails too, the first error is the
// one returned.
func decodeGrid(g *bitGrid) (string, error) {
	if g == nil || g.size < 21 || g.size > 177 || (g.size-17)%4 != 0 || len(g.dark) != g.size*g.size {
		return "", errGridSize
	}
	s, err := decodeOriented(g)
	if err == nil {
		return s, nil
	}
	n := g.size
	t := newBitGrid(n)
	for i, d := range g.dark { // module (x, y) = (i%n, i/n) goes to (y, x)
		t.dark[i%n*n+i/n] = d
	}
	if s, err2 := decodeOriented(t); err2 == nil {
		return s, nil
	}
	return "", err
}

// decodeOriented reads g as it lies: format and version information, then the codewords,
// error correction and the bit stream.
func decodeOriented(g *bitGrid) (string, error) {
	size := g.size
	level, mask, err := readFormat(g)
	if err != nil {
		return "", err
	}
	v := (size - 17) / 4
	if v >= 7 {
		if iv, ok := readVersion(g); ok && iv != v {
			return "", errVersionSize
		}
	}

	// Unmask and gather the codewords in placement order.
	_, _, order := functionPatterns(v)
	total := totalCodewords(v)
	raw := make([]byte, total)
	for i, m := range order[:total*8] { // the last few modules are remainder bits
		if g.dark[m] != masked(mask, m%size, m/size) {
			raw[i>>3] |= 0x80 >> (i & 7)
		}
	}

	// De-interleave the codewords into their blocks, correct each, and keep the data
	// codewords in order.
	lay := layoutFor(v, level)
	data := make([]byte, 0, lay.dataCodewords())
	blk := make([]byte, lay.shortData+1+lay.ec)
	for b := range lay.blocks {
		n := lay.dataIn(b)
		blk := blk[:n+lay.ec]
		for i := range blk {
			blk[i] = raw[lay.placed(b, i)]
		}
		fixed, err := rsCorrect(blk, lay.ec)
		if err == nil && fixed > correctable(v, level, lay.ec) {
			err = errTooManyErrors
		}
		if err != nil {
			return "", err
		}
		data = append(data, blk[:n]...)
	}
	return parseBitStream(data, v)
}

// readFormat reads both copies of the format information and picks the valid code nearest
// to either, within 3 bit errors.
func readFormat(g *bitGrid) (ecLevel, int, error) {
	var a, b int
	for i := range 15 {
		x1, y1, x2, y2 := formatPos(g.size, i)
		if g.at(x1, y1) {
			a |= 1 << i
		}
		if g.at(x2, y2) {
			b |= 1 << i
		}
	}
	code := func(i int) int { return formatBits(ecLevel(i>>3), i&7) }
	best, dist := nearest(a, b, 32, code)
	if dist > 3 {
		return 0, 0, errNoFormat
	}
	return ecLevel(best >> 3), best & 7, nil
}

// readVersion reads both copies of the version information and returns the version (7–40)
// whose code is nearest to either, within 3 bit errors; ok is false if neither is readable.
func readVersion(g *bitGrid) (v int, ok bool) {
	var a, b int
	for i := range 18 {
		x1, y1, x2, y2 := versionPos(g.size, i)
		if g.at(x1, y1) {
			a |= 1 << i
		}
		if g.at(x2, y2) {
			b |= 1 << i
		}
	}
	code := func(i int) int { return versionBits(i + 7) }
	best, dist := nearest(a, b, 34, code)
	return best + 7, dist <= 3
}

// correctable is how many codewords of a block may be corrected: half its error correction
// codewords, less those the standard keeps in the smallest symbols for detecting a wrong
// correction (ISO/IEC 18004, table 9: 3 in 1-L, 2 in 1-M and 2-L; where it keeps one, half
// of the rest is the same number).
func correctable(v int, level ecLevel, ec int) int {
	switch {
	case v == 1 && level == levelL:
		ec -= 3
	case v == 1 && level == levelM, v == 2 && level == levelL:
		ec -= 2
	}
	return ec / 2
}
