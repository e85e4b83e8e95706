//go:build !js

package qr

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// codecTexts are texts of every kind the extension meets and lengths that reach every
// version: digits, upper-case alphanumeric (gozxing picks numeric and alphanumeric modes for
// them), otpauth URIs, migration URIs with base64 and %2B, accented text and emoji.
func codecTexts() []string {
	texts := []string{
		"0", "12345678", "0123456789012345678901234567890123456789",
		"HELLO WORLD", "OTPAUTH $%*+-./: 42",
		"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
		"otpauth://hotp/ACME%20Co:bob?secret=GEZDGNBVGY3TQOJQ&counter=7&digits=8&algorithm=SHA256",
		"otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZSABKAEwAhABGAEgAA%3D%3D",
		"otpauth-migration://offline?data=Ci8KFD%2BvbbGvE9Yv%2BaX8Vg%2B%2Bs5nQ4g%2FqEgZHaXRIdWIaBkdpdEh1YiABKAEwAhABGAEgAA",
		"Café Crème – señor Müller", "ÀÉÎÕÜ àéîõü ß", "emoji 🔐✨ key 🗝️",
		"otpauth://totp/B%C3%A9b%C3%A9:z%C3%BC?secret=AAAA&issuer=Bébé",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for _, n := range []int{20, 60, 100, 200, 300, 450, 600, 800, 1000, 1300, 1600, 1900, 2200, 2300} {
		var b strings.Builder
		b.WriteString("otpauth-migration://offline?data=")
		for b.Len() < n {
			c := b64[rng.IntN(len(b64))]
			switch c {
			case '+':
				b.WriteString("%2B")
			case '/':
				b.WriteString("%2F")
			default:
				b.WriteByte(c)
			}
		}
		texts = append(texts, b.String())
	}
	// Lower-case text (byte mode) about as long as each version holds at level M.
	for v := 1; v <= 40; v++ {
		var b strings.Builder
		for b.Len() < layoutFor(v, levelM).dataCodewords()-4 {
			b.WriteByte(byte('a' + rng.IntN(26)))
		}
		texts = append(texts, b.String())
	}
	for _, n := range []int{7, 41, 150, 700, 3000, 7000} {
		texts = append(texts, strings.Repeat("0123456789", n/10+1)[:n])
	}
	for _, n := range []int{25, 300, 1500, 4200} {
		texts = append(texts, strings.Repeat("ABC123 $%*+-./:", n/15+1)[:n])
	}
	for _, n := range []int{10, 100, 500} {
		texts = append(texts, strings.Repeat("é🔐ü", n))
	}
	return texts
}

// zxEncode encodes text with gozxing at level l; hint adds CHARACTER_SET (so ECI appears in
// byte mode). It returns nil when the text does not fit that level.
func zxEncode(t testing.TB, text string, l ecLevel, charset string) (*bitGrid, *encoder.QRCode) {
	t.Helper()
	hints := map[gozxing.EncodeHintType]interface{}{}
	if charset != "" {
		hints[gozxing.EncodeHintType_CHARACTER_SET] = charset
	}
	code, err := encoder.Encoder_encode(text, zxLevels[l], hints)
	if err != nil {
		return nil, nil
	}
	return gridOf(code.GetMatrix()), code
}

// TestDecodeGozxingSymbols: symbols gozxing encodes (all levels; numeric, alphanumeric and
// byte modes, without ECI, with ECI 26 UTF-8 and ECI 1 ISO-8859-1) decode to the text, for
// versions 1 to 40.
func TestDecodeGozxingSymbols(t *testing.T) {
	versions := map[int]bool{}
	modes := map[string]bool{}
	for _, text := range codecTexts() {
		for l := range ecLevel(4) {
			for _, cs := range []string{"", "UTF-8", "ISO-8859-1"} {
				if cs == "ISO-8859-1" && (isASCII(text) || strings.ContainsFunc(text, func(r rune) bool { return r > 0xff })) {
					continue // no ECI 3 for ASCII; no Latin-1 for emoji
				}
				g, code := zxEncode(t, text, l, cs)
				if g == nil {
					continue
				}
				versions[code.GetVersion().GetVersionNumber()] = true
				modes[fmt.Sprint(code.GetMode())] = true
				got, err := decodeGrid(g)
				if err != nil || got != text {
					t.Errorf("len %d level %d charset %q version %d mode %v: got %q, %v", len(text), l, cs,
						code.GetVersion().GetVersionNumber(), code.GetMode(), short(got), err)
				}
			}
		}
	}
	if len(versions) != 40 || len(modes) != 3 {
		t.Errorf("covered %d versions and modes %v; want all 40 and 3 modes", len(versions), modes)
	}
}

func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// TestDecodeMirrored: a symbol seen from behind (transposed) still reads.
func TestDecodeMirrored(t *testing.T) {
	text := "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
	for _, l := range []ecLevel{levelL, levelH} {
		g, _ := zxEncode(t, text, l, "")
		tr := newBitGrid(g.size)
		for y := range g.size {
			for x := range g.size {
				tr.set(y, x, g.at(x, y))
			}
		}
		if got, err := decodeGrid(tr); err != nil || got != text {
			t.Errorf("level %d mirrored: %q, %v", l, short(got), err)
		}
	}
}

// TestDecodeKanjiUnsupported: gozxing's kanji mode gives a plain unsupported-mode error.
func TestDecodeKanjiUnsupported(t *testing.T) {
	g, code := zxEncode(t, "漢字テスト", levelM, "Shift_JIS")
	if g == nil {
		t.Fatal("gozxing could not encode kanji")
	}
	if m := fmt.Sprint(code.GetMode()); m != "KANJI" {
		t.Fatalf("gozxing chose mode %s", m)
	}
	got, err := decodeGrid(g)
	if !errors.Is(err, errUnsupported) {
		t.Fatalf("got %q, %v; want the unsupported-mode error", got, err)
	}
}

// TestDecodeBadGrids: grids that are not QR sizes, blank or all-dark grids give errors.
func TestDecodeBadGrids(t *testing.T) {
	for _, g := range []*bitGrid{nil, newBitGrid(0), newBitGrid(20), newBitGrid(22), newBitGrid(181), {size: 21}} {
		if _, err := decodeGrid(g); !errors.Is(err, errGridSize) {
			t.Errorf("bad grid: %v", err)
		}
	}
	for _, size := range []int{21, 45, 177} {
		g := newBitGrid(size)
		if _, err := decodeGrid(g); err == nil {
			t.Errorf("blank %d: no error", size)
		}
		for i := range g.dark {
			g.dark[i] = true
		}
		if _, err := decodeGrid(g); err == nil {
			t.Errorf("dark %d: no error", size)
		}
	}
}

// fuzzBases caches, per version, a valid symbol the fuzzer's bits are XORed onto, so most
// inputs get past the format information into error correction and the bit stream.
var fuzzBases = map[int]*bitGrid{}

// FuzzDecodeGrid: grids of every valid size, blank or from a valid symbol, with the fuzz
// input's bits flipped in: text or an error, never a panic.
func FuzzDecodeGrid(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{3, 1, 0xff, 0x00, 0x12})
	f.Add([]byte{39, 0, 0xaa, 0x55})
	f.Add([]byte{39, 1, 0xaa, 0x55})
	f.Add([]byte{6, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		v := 1 + int(in[0])%40
		g := newBitGrid(symbolSize(v))
		if len(in) > 1 && in[1]&1 == 1 {
			base := fuzzBases[v]
			if base == nil {
				var err error
				base, err = encodeGrid(strings.Repeat("otpauth://", (layoutFor(v, levelM).dataCodewords()-3)/10))
				if err != nil || base.size != g.size {
					t.Fatalf("base for version %d: %v", v, err)
				}
				fuzzBases[v] = base
			}
			copy(g.dark, base.dark)
		}
		if len(in) > 2 {
			for i, b := range in[2:] {
				for j := range 8 {
					if k := i*8 + j; b>>j&1 == 1 && k < len(g.dark) {
						g.dark[k] = !g.dark[k]
					}
				}
			}
		}
		s, err := decodeGrid(g)
		if err != nil && s != "" {
			t.Fatal("text with an error")
		}
	})
}

// TestDecodeLikeGozxing: symbols with random modules flipped, from light damage to far too
// much: wherever gozxing's decoder reads a text we read the same one, and we read nothing
// gozxing cannot.
func TestDecodeLikeGozxing(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	zx := decoder.NewDecoder()
	texts := []string{"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example", strings.Repeat("é🔐 otpauth-migration", 20)}
	both, ours := 0, 0
	for _, text := range texts {
		for l := range ecLevel(4) {
			clean, _ := zxEncode(t, text, l, "UTF-8")
			for trial := range 60 {
				g := &bitGrid{size: clean.size, dark: append([]bool(nil), clean.dark...)}
				for range 1 + trial*len(g.dark)/1500 {
					k := rng.IntN(len(g.dark))
					g.dark[k] = !g.dark[k]
				}
				got, err := decodeGrid(g)
				res, zerr := zx.Decode(zxMatrix(g), nil)
				switch {
				case zerr == nil && (err != nil || got != res.GetText()):
					t.Errorf("level %d trial %d: gozxing reads %q, we %q, %v", l, trial, short(res.GetText()), short(got), err)
				case zerr != nil && err == nil:
					t.Errorf("level %d trial %d: we read %q, gozxing fails: %v", l, trial, short(got), zerr)
				case err == nil:
					both++
				}
				if err == nil && got != text {
					ours++
				}
			}
		}
	}
	if both == 0 || both == len(texts)*4*60 {
		t.Errorf("%d symbols read by both: the damage should range from readable to not", both)
	}
	if ours > 0 {
		t.Logf("%d wrong texts (errors RS cannot detect; gozxing reads the same)", ours)
	}
}
