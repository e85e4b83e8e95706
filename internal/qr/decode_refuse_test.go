package qr

import (
	"errors"
	"testing"
)

// symbolOf builds a version-v, level-M symbol (mask 0) holding the bit stream fields, then a
// terminator and padding, as encodeGrid does for text.
func symbolOf(v int, fields ...seg) *bitGrid {
	lay := layoutFor(v, levelM)
	w := &bitWriter{}
	for _, f := range fields {
		w.write(f.v, f.n)
	}
	codewords := finish(w, lay)
	_, g, order := functionPatterns(v)
	for i, m := range order[:len(codewords)*8] {
		g.dark[m] = codewords[i>>3]&(0x80>>(i&7)) != 0 != masked(0, m%g.size, m/g.size)
	}
	drawFormat(g, levelM, 0)
	return g
}

// TestDecodeStructuredAppendPart: a symbol that says it is part 1 of 2 of a structured
// append message holds only the start of the text (here an otpauth URI cut inside its
// secret); read alone it must be an error, not a whole text with a wrong secret. A
// "sequence" of one symbol reads as usual.
func TestDecodeStructuredAppendPart(t *testing.T) {
	part := []byte("otpauth://totp/Example?secret=JBSWY3DP")
	sa := func(pos, total int) []seg { return []seg{{modeStructAppend, 4}, {pos, 4}, {total - 1, 4}, {0x5a, 8}} }
	if got, err := decodeGrid(symbolOf(3, cat(sa(0, 2), byteSeg(3, part...))...)); err == nil {
		t.Errorf("part 1 of 2 read as a whole text: %q", got)
	}
	if got, err := decodeGrid(symbolOf(3, cat(sa(0, 1), byteSeg(3, part...))...)); err != nil || got != string(part) {
		t.Errorf("a one-symbol sequence: %q, %v", got, err)
	}
}

// TestDecodeECIUTF16: text under ECI 25 (UTF-16BE), 33 (UTF-16LE), 34, 35 (UTF-32) is not
// taken for UTF-8: "ok" in UTF-16BE is the bytes 00 6f 00 6b, valid UTF-8 for "\x00o\x00k".
func TestDecodeECIUTF16(t *testing.T) {
	for _, eci := range []int{25, 33, 34, 35} {
		g := symbolOf(2, cat([]seg{{modeECI, 4}, {eci, 8}}, byteSeg(2, 0, 'o', 0, 'k'))...)
		if got, err := decodeGrid(g); err == nil && got != "ok" {
			t.Errorf("ECI %d: read %q without an error", eci, got)
		}
	}
	if _, err := parseBitStream(stream(cat([]seg{{modeECI, 4}, {25, 8}}, byteSeg(1, 0, 'o'))...), 1); err == nil || errors.Is(err, errTruncated) {
		t.Errorf("ECI 25: %v", err)
	}
}
