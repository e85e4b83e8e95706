//go:build !js

package qr

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // the formats Decode reads
	_ "image/jpeg"
	_ "image/png"
)

// Decode returns the text of every QR code found in a PNG, JPEG or GIF image, each once,
// in the order found. Native builds only: the extension's WebAssembly has the browser decode
// images (any format it reads) and calls DecodeGray, so that it links no image codec.
func Decode(data []byte) ([]string, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("qr: not a PNG, JPEG or GIF image: %w", err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("qr: cannot decode the image: %w", err)
	}
	return DecodeImage(img)
}
