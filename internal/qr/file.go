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

// DecodeImage is Decode for an image already in memory.
func DecodeImage(img image.Image) ([]string, error) {
	r := img.Bounds()
	if err := checkSize(r.Dx(), r.Dy()); err != nil {
		return nil, err
	}
	return decodeGray(grayOf(img))
}

// grayOf converts img to grey levels as the extension's background does
// (extension/background/grey.js): transparent parts read as white, grey = (r + 2g + b) / 4.
// Grey and JPEG images (their luma plane) are copied as they are.
func grayOf(img image.Image) *grayImage {
	r := img.Bounds()
	g := &grayImage{width: r.Dx(), height: r.Dy(), pix: make([]byte, r.Dx()*r.Dy())}
	switch m := img.(type) {
	case *image.Gray:
		for y := range g.height {
			i := m.PixOffset(r.Min.X, r.Min.Y+y)
			copy(g.pix[y*g.width:], m.Pix[i:i+g.width])
		}
	case *image.YCbCr:
		for y := range g.height {
			i := m.YOffset(r.Min.X, r.Min.Y+y)
			copy(g.pix[y*g.width:], m.Y[i:i+g.width])
		}
	default:
		for y := range g.height {
			for x := range g.width {
				cr, cg, cb, ca := img.At(r.Min.X+x, r.Min.Y+y).RGBA() // premultiplied, 16 bits
				white := 0xffff - ca
				g.pix[y*g.width+x] = byte((cr + 2*cg + cb + 4*white) >> 10)
			}
		}
	}
	return g
}
