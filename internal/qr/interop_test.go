//go:build !js

package qr

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// interopTexts are what codes carry in practice, and the edges: a migration batch of ten
// accounts is about 1 KB; 2,000 bytes needs version 37 or so at level M.
var interopTexts = []string{
	uri,
	migration,
	"otpauth://totp/%C3%A9t%C3%A9:%C2%BF?secret=JBSWY3DP",
	"ünïcode ✓ 日本語 🙂",
	"0123456789",
	"HELLO WORLD 123",
	"otpauth-migration://offline?data=" + strings.Repeat("CjUKEPqlBekzoNEukL7qlsjBCDYSDnBp%2B", 30),
	strings.Repeat("a", 2000),
}

// TestGozxingReadsOurCodes: what Encode draws, another reader reads (a phone's scanner is
// not ours).
func TestGozxingReadsOurCodes(t *testing.T) {
	for _, text := range interopTexts {
		b, err := Encode(text, 512)
		if err != nil {
			t.Fatalf("Encode(%d bytes): %v", len(text), err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		// No hints: the reader looks for the code as a phone's scanner does, rather than
		// taking the image for a bare code (PURE_BARCODE).
		r, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Errorf("gozxing cannot read our code of %d bytes: %v", len(text), err)
		} else if r.GetText() != text {
			t.Errorf("gozxing read %q from our code, want %q", r.GetText(), text)
		}
	}
}

// TestWeReadGozxingCodes: codes drawn by another writer, at each error correction level and
// with the modes it chooses (numeric, alphanumeric, byte, with and without a UTF-8 ECI), at
// several sizes.
func TestWeReadGozxingCodes(t *testing.T) {
	for _, text := range interopTexts {
		for _, level := range []string{"L", "M", "Q", "H"} {
			for _, charset := range []string{"", "UTF-8"} {
				if charset == "" && strings.IndexFunc(text, func(r rune) bool { return r > 0xff }) >= 0 {
					continue // without a character set, gozxing writes ISO-8859-1: "?" for the rest
				}
				for _, size := range []int{400, 1000} { // 2 to 20 pixels per module
					hints := map[gozxing.EncodeHintType]interface{}{gozxing.EncodeHintType_ERROR_CORRECTION: level}
					if charset != "" {
						hints[gozxing.EncodeHintType_CHARACTER_SET] = charset
					}
					m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, hints)
					if err != nil {
						continue // too long at this level
					}
					img := image.NewGray(image.Rect(0, 0, m.GetWidth(), m.GetHeight()))
					for y := range m.GetHeight() {
						for x := range m.GetWidth() {
							if !m.Get(x, y) {
								img.SetGray(x, y, color.Gray{Y: 255})
							}
						}
					}
					got, err := DecodeImage(img)
					if err != nil || !slices.Equal(got, []string{text}) {
						t.Errorf("%d bytes, level %s, charset %q, %d px: got %q, %v", len(text), level, charset, m.GetWidth(), got, err)
					}
				}
			}
		}
	}
}
