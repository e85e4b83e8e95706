// Package qr finds QR codes in images and draws them, for importing accounts from a
// screenshot or a capture of the current tab (otpauth:// and otpauth-migration:// codes,
// several per image) and for showing one account or a Google Authenticator transfer batch
// to a phone. Nothing leaves the machine.
//
// The reader and the writer are this package's own: detect.go and binarize.go find codes in
// grey levels and sample their modules, decode.go, rs.go and bitstream.go read a symbol,
// encode.go builds one. A general barcode library would bring the character-set tables of
// every QR mode into the WebAssembly tools; an authenticator only meets byte-mode UTF-8 and
// ASCII.
//
// Reading works on grey levels: in the extension the browser decodes the image (any format
// it can read) and hands them over (DecodeGray), so the WebAssembly tools link no image
// codec; native builds can also read PNG, JPEG and GIF files (Decode, in file.go). Drawing
// writes a PNG of its own (png.go) for the same reason.
package qr

import (
	"errors"
	"fmt"
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

// quietZone is the white border around a drawn code, in modules (the standard asks for 4).
const quietZone = 4

// checkSize refuses images with no pixels or more than MaxPixels.
func checkSize(width, height int) error {
	if width <= 0 || height <= 0 || int64(width)*int64(height) > MaxPixels {
		return fmt.Errorf("%w: %d×%d pixels (at most %d)", ErrTooLarge, width, height, MaxPixels)
	}
	return nil
}

// DecodeGray returns the text of every QR code in an image given as grey levels (0 black
// to 255 white), one byte per pixel, row by row, width×height bytes in all; each text once,
// in the order found.
func DecodeGray(width, height int, pix []byte) ([]string, error) {
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	if len(pix) != width*height {
		return nil, fmt.Errorf("qr: %d bytes of pixels for a %d×%d image", len(pix), width, height)
	}
	return decodeGray(&grayImage{width: width, height: height, pix: pix})
}

// decodeGray reads every code in img. (No recover here: the fuzz targets keep the reader
// from panicking, and in the extension wasm/bridge turns any panic into an error reply.)
func decodeGray(img *grayImage) ([]string, error) {
	var texts []string
	seen := map[string]bool{}
	searchGrids(img, func(grids []*bitGrid) bool {
		for _, g := range grids {
			text, err := decodeGrid(g)
			if err == nil && text != "" && !seen[text] {
				seen[text] = true
				texts = append(texts, text)
			}
		}
		return len(texts) > 0
	})
	if len(texts) == 0 {
		return nil, ErrNotFound
	}
	return texts, nil
}

// Encode draws text as a black-on-white QR code (error correction M, a quiet zone of at
// least four modules) in a PNG of size×size pixels (MinSize–MaxSize), or larger when the code
// needs more than one pixel per module and does not fit; one bit per pixel.
func Encode(text string, size int) ([]byte, error) {
	if size < MinSize || size > MaxSize {
		return nil, fmt.Errorf("qr: size %d is out of range %d–%d", size, MinSize, MaxSize)
	}
	if text == "" {
		return nil, errors.New("qr: nothing to encode")
	}
	g, err := encodeGrid(text)
	if err != nil {
		// The text is usually an otpauth URI with a secret: never repeat it.
		return nil, fmt.Errorf("qr: the text does not fit in a QR code (%d bytes)", len(text))
	}
	modules := g.size + 2*quietZone
	scale := max(size/modules, 1)
	side := max(size, modules*scale)
	offset := (side - g.size*scale) / 2
	return bilevelPNG(side, side, func(x, y int) bool {
		x, y = x-offset, y-offset
		if x < 0 || y < 0 || x >= g.size*scale || y >= g.size*scale {
			return false
		}
		return g.at(x/scale, y/scale)
	}), nil
}
