// Package qr finds QR codes in images and draws them, for importing accounts from a
// screenshot or a capture of the current tab (otpauth:// and otpauth-migration:// codes,
// several per image) and for showing one account or a Google Authenticator transfer batch
// to a phone. Everything works on bytes in and bytes out, so the WebAssembly bridge can
// call it directly; nothing leaves the machine.
package qr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for Decode
	_ "image/jpeg"
	"image/png"

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

// Decode returns the text of every QR code found in a PNG, JPEG or GIF image, each once,
// in the order found.
func Decode(data []byte) ([]string, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("qr: not a PNG, JPEG or GIF image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, fmt.Errorf("%w: %d×%d pixels (at most %d)", ErrTooLarge, cfg.Width, cfg.Height, MaxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("qr: cannot decode the image: %w", err)
	}
	return DecodeImage(img)
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
// modules) in a PNG of about size×size pixels (MinSize–MaxSize).
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
	b := m.Bounds()
	img := image.NewPaletted(b, color.Palette{color.White, color.Black})
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if m.Get(x, y) {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return buf.Bytes(), nil
}
