// Package qr finds QR codes in images and draws them, for importing accounts from a
// screenshot or a capture of the current tab (otpauth:// and otpauth-migration:// codes,
// several per image) and for showing one account or a Google Authenticator transfer batch
// to a phone. Nothing leaves the machine.
//
// Reading works on pixels: in the extension the browser decodes the image (any format it
// can read) and hands over grey levels (DecodeGray), so the WebAssembly tools link no image
// codec; native builds can also read PNG, JPEG and GIF files (Decode, in file.go). Drawing
// writes a PNG of its own (png.go) for the same reason.
package qr

import (
	"errors"
	"fmt"
	"image"

	"github.com/makiuchi-d/gozxing"
	multiqr "github.com/makiuchi-d/gozxing/multi/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// ErrNotFound is returned by Decode when the image holds no readable QR code.
var ErrNotFound = errors.New("qr: no QR code found in the image")

// ErrTooLarge is returned by Decode for images above MaxPixels, before they are decoded.
var ErrTooLarge = errors.New("qr: image too large")

// MaxPixels bounds the images Decode accepts: a 4K screen capture is 8.3 million pixels;
// the bound keeps a crafted image from making us allocate gigabytes (WASM memory never
// shrinks).
const MaxPixels = 40_000_000

// Size limits of Encode, in pixels.
const (
	MinSize = 64
	MaxSize = 4096
)

// checkSize refuses images with no pixels or more than MaxPixels.
func checkSize(width, height int) error {
	if width <= 0 || height <= 0 || int64(width)*int64(height) > MaxPixels {
		return fmt.Errorf("%w: %d×%d pixels (at most %d)", ErrTooLarge, width, height, MaxPixels)
	}
	return nil
}

// DecodeGray returns the text of every QR code in an image given as grey levels (0 black
// to 255 white), one byte per pixel, row by row, width×height bytes in all.
func DecodeGray(width, height int, pix []byte) ([]string, error) {
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	if len(pix) != width*height {
		return nil, fmt.Errorf("qr: %d bytes of pixels for a %d×%d image", len(pix), width, height)
	}
	return DecodeImage(&image.Gray{Pix: pix, Stride: width, Rect: image.Rect(0, 0, width, height)})
}

// DecodeImage is Decode for an image already in memory.
func DecodeImage(img image.Image) (texts []string, err error) {
	// gozxing reports some malformed symbols by panicking; a bad image must not take the
	// caller down.
	defer func() {
		if r := recover(); r != nil {
			texts, err = nil, fmt.Errorf("qr: decoder failed on this image: %v", r)
		}
	}()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	hints := map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_TRY_HARDER:    true,
		gozxing.DecodeHintType_CHARACTER_SET: "UTF-8",
	}
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			texts = append(texts, s)
		}
	}
	results, _ := multiqr.NewQRCodeMultiReader().DecodeMultiple(bmp, hints)
	for _, r := range results {
		add(r.GetText())
	}
	if len(texts) == 0 {
		// The multi reader misses some lone codes the single reader finds.
		if r, err := qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil {
			add(r.GetText())
		}
	}
	if len(texts) == 0 {
		return nil, ErrNotFound
	}
	return texts, nil
}

// Encode draws text as a black-on-white QR code (error correction M, a quiet zone of four
// modules) in a PNG of about size×size pixels (MinSize–MaxSize), one bit per pixel.
func Encode(text string, size int) ([]byte, error) {
	if size < MinSize || size > MaxSize {
		return nil, fmt.Errorf("qr: size %d is out of range %d–%d", size, MinSize, MaxSize)
	}
	if text == "" {
		return nil, errors.New("qr: nothing to encode")
	}
	hints := map[gozxing.EncodeHintType]interface{}{
		gozxing.EncodeHintType_ERROR_CORRECTION: "M",
		gozxing.EncodeHintType_CHARACTER_SET:    "UTF-8",
	}
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, hints)
	if err != nil {
		// The text is usually an otpauth URI with a secret: never repeat it.
		return nil, fmt.Errorf("qr: the text does not fit in a QR code of this size (%d bytes)", len(text))
	}
	return bilevelPNG(m.GetWidth(), m.GetHeight(), m.Get), nil
}
