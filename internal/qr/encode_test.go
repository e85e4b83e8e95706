//go:build !js

package qr

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

func zxMatrix(g *bitGrid) *gozxing.BitMatrix {
	m, _ := gozxing.NewSquareBitMatrix(g.size)
	for y := range g.size {
		for x := range g.size {
			if g.at(x, y) {
				m.Set(x, y)
			}
		}
	}
	return m
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// TestEncodeRoundTrip: for every test text, our symbol reads back with gozxing's decoder and
// with ours, is level M, and has the smallest version that holds the text in byte mode (the
// version gozxing picks for byte mode, with ECI exactly when the text is not ASCII); where
// gozxing writes the same bits, the symbols are identical module for module, which checks
// placement, interleaving and the lowest-penalty mask.
func TestEncodeRoundTrip(t *testing.T) {
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_CHARACTER_SET: "UTF-8"}
	for _, text := range codecTexts() {
		if len(text) > 2331 {
			continue
		}
		g, err := encodeGrid(text)
		if err != nil {
			t.Errorf("len %d: %v", len(text), err)
			continue
		}
		res, err := decoder.NewDecoder().Decode(zxMatrix(g), hints)
		if err != nil || res.GetText() != text {
			t.Errorf("len %d: gozxing reads %q, %v", len(text), short(textOf(res)), err)
		} else if res.GetECLevel() != "M" {
			t.Errorf("len %d: level %s", len(text), res.GetECLevel())
		}
		if got, err := decodeGrid(g); err != nil || got != text {
			t.Errorf("len %d: we read %q, %v", len(text), short(got), err)
		}
		// gozxing picks byte mode only for text with a character outside the alphanumeric
		// set; compare versions on those.
		if strings.ContainsFunc(text, func(r rune) bool { return !strings.ContainsRune(alphanumericCharset, r) }) {
			cs := ""
			if !isASCII(text) {
				cs = "UTF-8"
			}
			zg, code := zxEncode(t, text, levelM, cs)
			if code == nil || code.GetMode() != decoder.Mode_BYTE {
				t.Fatalf("len %d: gozxing did not encode in byte mode", len(text))
			}
			if want := symbolSize(code.GetVersion().GetVersionNumber()); g.size != want {
				t.Errorf("len %d: size %d, gozxing %d", len(text), g.size, want)
			} else if !slices.Equal(g.dark, zg.dark) {
				// Same bits, same penalty rules, same tie-break: the very same symbol.
				_, mask, _ := readFormat(g)
				t.Errorf("len %d: our symbol (mask %d) differs from gozxing's (mask %d)", len(text), mask, code.GetMaskPattern())
			}
		}
	}
}

func textOf(r interface{ GetText() string }) string {
	if r == nil {
		return ""
	}
	return r.GetText()
}

// TestEncodeCapacity: 2331 bytes of ASCII fill version 40-M; one more is an error that gives
// the length and not the text; so is empty text. With ECI, 2330 bytes fit.
func TestEncodeCapacity(t *testing.T) {
	long := strings.Repeat("x", 2331)
	g, err := encodeGrid(long)
	if err != nil || g.size != 177 {
		t.Fatalf("2331 bytes: %v", err)
	}
	if got, err := decodeGrid(g); err != nil || got != long {
		t.Fatalf("2331 bytes read back: %v", err)
	}
	_, err = encodeGrid(long + "y")
	if err == nil || !strings.Contains(err.Error(), "2332") || !strings.Contains(err.Error(), "at most 2331") || strings.Contains(err.Error(), "xxx") {
		t.Errorf("2332 bytes: %v", err)
	}
	if g, err := encodeGrid(strings.Repeat("é", 1165)); err != nil || g.size != 177 {
		t.Errorf("2330 bytes with ECI: %v", err)
	}
	if _, err := encodeGrid(strings.Repeat("é", 1166)); err == nil {
		t.Error("2332 bytes with ECI: no error")
	}
	if _, err := encodeGrid(""); err == nil {
		t.Error("empty text: no error")
	}
}

// TestEncodeSmallest: every length 1..2331 of byte-mode text takes the smallest version
// whose capacity holds it (gozxing's choice), checked at the boundaries of each version.
func TestEncodeSmallest(t *testing.T) {
	prev := 0
	for v := 1; v <= 40; v++ {
		limit := (layoutFor(v, levelM).dataCodewords()*8 - 4 - countBits(modeByte, v)) / 8
		for _, n := range []int{prev + 1, limit} {
			text := strings.Repeat("a", n)
			g, err := encodeGrid(text)
			if err != nil || g.size != symbolSize(v) {
				t.Errorf("%d bytes: size %v, %v; want version %d", n, sizeOf(g), err, v)
			}
			_, code := zxEncode(t, text, levelM, "")
			if code.GetVersion().GetVersionNumber() != v {
				t.Errorf("%d bytes: gozxing picks version %d, we %d", n, code.GetVersion().GetVersionNumber(), v)
			}
		}
		prev = limit
	}
}

func sizeOf(g *bitGrid) int {
	if g == nil {
		return 0
	}
	return g.size
}

// TestPenaltyMatchesGozxing: our mask penalty equals the sum of gozxing's four rules on
// every mask of a few symbols, so the mask chosen is the standard's lowest-penalty one.
func TestPenaltyMatchesGozxing(t *testing.T) {
	for _, text := range []string{"a", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", strings.Repeat("migration%2B", 40)} {
		g, err := encodeGrid(text)
		if err != nil {
			t.Fatal(err)
		}
		best := penalty(g)
		_, mask, _ := readFormat(g)
		v := (g.size - 17) / 4
		fn := functionMask(v)
		for m := range 8 {
			// Re-mask the symbol with m: flip data modules by mask ^ m.
			h := &bitGrid{size: g.size, dark: append([]bool(nil), g.dark...)}
			for y := range h.size {
				for x := range h.size {
					if !fn.at(x, y) && masked(m, x, y) != masked(mask, x, y) {
						h.set(x, y, !h.at(x, y))
					}
				}
			}
			drawFormat(h, levelM, m)
			bm := encoder.NewByteMatrix(h.size, h.size)
			for y := range h.size {
				for x := range h.size {
					bm.SetBool(x, y, h.at(x, y))
				}
			}
			want := encoder.MaskUtil_applyMaskPenaltyRule1(bm) + encoder.MaskUtil_applyMaskPenaltyRule2(bm) +
				encoder.MaskUtil_applyMaskPenaltyRule3(bm) + encoder.MaskUtil_applyMaskPenaltyRule4(bm)
			if got := penalty(h); got != want {
				t.Errorf("len %d mask %d: penalty %d, gozxing %d", len(text), m, got, want)
			}
			if penalty(h) < best {
				t.Errorf("len %d: mask %d scores %d, below the chosen mask %d's %d", len(text), m, penalty(h), mask, best)
			}
		}
	}
}

// dataModules lists the modules of g that carry codeword bits, in placement order.
func dataModules(g *bitGrid) [][2]int {
	var ms [][2]int
	codewordOrder(functionMask((g.size-17)/4), func(x, y int) { ms = append(ms, [2]int{x, y}) })
	return ms
}

// flipCodewords damages the codewords of g at the given placement indexes, each in 1–8 of
// its modules.
func flipCodewords(g *bitGrid, rng *rand.Rand, cws []int) {
	ms := dataModules(g)
	for _, c := range cws {
		flips := 1 + rng.IntN(8)
		for _, b := range rng.Perm(8)[:flips] {
			m := ms[c*8+b]
			g.set(m[0], m[1], !g.at(m[0], m[1]))
		}
	}
}

// blockCodewords returns, for each block of version v at level l, the indexes in placement
// order of its codewords.
func blockCodewords(v int, l ecLevel) [][]int {
	lay := layoutFor(v, l)
	blocks := make([][]int, lay.blocks)
	k := 0
	for i := range lay.shortData + 1 {
		for b := range blocks {
			if i < lay.shortData || b >= lay.short {
				blocks[b] = append(blocks[b], k)
				k++
			}
		}
	}
	for range lay.ec {
		for b := range blocks {
			blocks[b] = append(blocks[b], k)
			k++
		}
	}
	return blocks
}

// TestErrorCorrection: up to ec/2 damaged codewords in every block of a symbol (any level,
// several versions) still read right; far more damage is reported, never a panic, and
// almost never a wrong text.
func TestErrorCorrection(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	texts := []string{
		"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
		strings.Repeat("otpauth-migration://offline?data=Ci8KFD%2Bvb", 12),
	}
	for _, text := range texts {
		for l := range ecLevel(4) {
			clean, code := zxEncode(t, text, l, "")
			v := code.GetVersion().GetVersionNumber()
			blocks := blockCodewords(v, l)
			ec := layoutFor(v, l).ec
			for trial := range 10 {
				g := &bitGrid{size: clean.size, dark: append([]bool(nil), clean.dark...)}
				for _, blk := range blocks {
					n := ec / 2
					if trial%2 == 1 {
						n = rng.IntN(ec/2 + 1)
					}
					var cws []int
					for _, i := range rng.Perm(len(blk))[:n] {
						cws = append(cws, blk[i])
					}
					flipCodewords(g, rng, cws)
				}
				if got, err := decodeGrid(g); err != nil || got != text {
					t.Fatalf("version %d level %d, ec/2 errors per block: %q, %v", v, l, short(got), err)
				}
			}
			reported, wrong := 0, 0
			const heavy = 40
			for range heavy {
				g := &bitGrid{size: clean.size, dark: append([]bool(nil), clean.dark...)}
				for _, blk := range blocks {
					n := min(len(blk), ec/2+1+rng.IntN(ec))
					var cws []int
					for _, i := range rng.Perm(len(blk))[:n] {
						cws = append(cws, blk[i])
					}
					flipCodewords(g, rng, cws)
				}
				got, err := decodeGrid(g)
				switch {
				case err != nil:
					reported++
					if strings.Contains(err.Error(), "otpauth") {
						t.Fatalf("error message carries the content: %v", err)
					}
				case got != text:
					wrong++
				}
			}
			if reported < heavy*9/10 {
				t.Errorf("version %d level %d: %d of %d heavy corruptions reported, %d wrong texts", v, l, reported, heavy, wrong)
			}
		}
	}
}

// TestDecodeDamagedFormat: format information with 3 flipped bits in each copy, and version
// information with 3 in each, still read.
func TestDecodeDamagedFormat(t *testing.T) {
	text := strings.Repeat("otpauth://totp/x?secret=ABC", 8) // version ≥ 7
	g, err := encodeGrid(text)
	if err != nil || g.size < symbolSize(7) {
		t.Fatal(err)
	}
	for _, i := range []int{0, 7, 14} {
		x1, y1, x2, y2 := formatPos(g.size, i)
		g.set(x1, y1, !g.at(x1, y1))
		g.set(x2, y2, !g.at(x2, y2))
	}
	for _, i := range []int{1, 9, 17} {
		x1, y1, x2, y2 := versionPos(g.size, i)
		g.set(x1, y1, !g.at(x1, y1))
		g.set(x2, y2, !g.at(x2, y2))
	}
	if got, err := decodeGrid(g); err != nil || got != text {
		t.Fatalf("%q, %v", short(got), err)
	}
	// Five errors in the first copy and none in the second: the second wins.
	g, _ = encodeGrid(text)
	for _, i := range []int{0, 3, 6, 9, 12} {
		x1, y1, _, _ := formatPos(g.size, i)
		g.set(x1, y1, !g.at(x1, y1))
	}
	if got, err := decodeGrid(g); err != nil || got != text {
		t.Fatalf("one format copy wiped: %q, %v", short(got), err)
	}
}

// TestDecodeVersionMismatch: version information that reads as another version than the
// grid size is an error; unreadable version information leaves the size to decide.
func TestDecodeVersionMismatch(t *testing.T) {
	text := strings.Repeat("otpauth://totp/x?secret=ABC", 8)
	g, _ := encodeGrid(text)
	v := (g.size - 17) / 4
	h := &bitGrid{size: g.size, dark: append([]bool(nil), g.dark...)}
	drawVersion(h, v+1)
	if _, err := decodeGrid(h); !errors.Is(err, errVersionSize) {
		t.Errorf("version info %d in a version %d grid: %v", v+1, v, err)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for {
		for i := range 18 {
			x1, y1, x2, y2 := versionPos(h.size, i)
			h.set(x1, y1, rng.IntN(2) == 0)
			h.set(x2, y2, rng.IntN(2) == 0)
		}
		if _, ok := readVersion(h); !ok {
			break
		}
	}
	if got, err := decodeGrid(h); err != nil || got != text {
		t.Errorf("unreadable version info: %q, %v", short(got), err)
	}
}

func BenchmarkEncodeGrid(b *testing.B) {
	text := migrationText(1000)
	for b.Loop() {
		if _, err := encodeGrid(text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeGrid(b *testing.B) {
	text := migrationText(1000)
	g, err := encodeGrid(text)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if s, err := decodeGrid(g); err != nil || s != text {
			b.Fatal(err)
		}
	}
}

// migrationText is an otpauth-migration URI of about n bytes.
func migrationText(n int) string {
	var b strings.Builder
	b.WriteString("otpauth-migration://offline?data=")
	for i := 0; b.Len() < n; i++ {
		b.WriteString(strconv.Itoa(i * 7919 % 1000))
		b.WriteString("Q%2BxY")
	}
	return b.String()
}

// drawVersion writes the version information of version v (7 or more), both copies, over
// what g holds there.
func drawVersion(g *bitGrid, v int) {
	bits := versionBits(v)
	for i := range 18 {
		x1, y1, x2, y2 := versionPos(g.size, i)
		on := bits>>i&1 == 1
		g.set(x1, y1, on)
		g.set(x2, y2, on)
	}
}

// TestDecodeKeepsMisdecodeProtection: in 1-L, 1-M and 2-L the standard keeps a few error
// correction codewords for detecting a wrong correction (ISO/IEC 18004, table 9), so fewer
// errors are corrected there than half the error correction codewords.
func TestDecodeKeepsMisdecodeProtection(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct {
		text           string
		level          ecLevel
		version, limit int
	}{
		{"otpauth://x?s=AB", levelL, 1, 2},                 // 7 ec codewords, 3 kept
		{"otpauth://x", levelM, 1, 4},                      // 10, 2 kept
		{"otpauth://totp/x?secret=JBSWY3DP", levelL, 2, 4}, // 10, 2 kept
		{"otpauth://x", levelQ, 1, 6},                      // 13, 1 kept: no change
	} {
		clean, code := zxEncode(t, tc.text, tc.level, "")
		if v := code.GetVersion().GetVersionNumber(); v != tc.version {
			t.Fatalf("%q at level %d is version %d, want %d", tc.text, tc.level, v, tc.version)
		}
		blk := blockCodewords(tc.version, tc.level)[0]
		for _, n := range []int{tc.limit, tc.limit + 1} {
			g := &bitGrid{size: clean.size, dark: append([]bool(nil), clean.dark...)}
			var cws []int
			for _, i := range rng.Perm(len(blk))[:n] {
				cws = append(cws, blk[i])
			}
			flipCodewords(g, rng, cws)
			got, err := decodeGrid(g)
			if ok := err == nil && got == tc.text; ok != (n == tc.limit) {
				t.Errorf("%d-%d with %d codewords wrong: %q, %v", tc.version, tc.level, n, got, err)
			}
		}
	}
}
