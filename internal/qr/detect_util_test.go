//go:build !js

// Helpers for the detector's tests: true module matrices from gozxing's encoder, images
// drawn and degraded by hand, and gozxing's reader as the reference for "findable".

package qr

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/encoder"
)

// symbol returns the true module matrix of a QR code of the given version (level M) holding
// as much of text, repeated, as fits, so that large versions hold real data, not padding.
func symbol(t testing.TB, version int, text string) *bitGrid {
	t.Helper()
	hints := map[gozxing.EncodeHintType]interface{}{gozxing.EncodeHintType_QR_VERSION: version}
	long := strings.Repeat(text, 40)
	for n := len(long); n > 0; n = n * 9 / 10 {
		code, err := encoder.Encoder_encode(long[:n], decoder.ErrorCorrectionLevel_M, hints)
		if err != nil {
			continue
		}
		return gridOf(code.GetMatrix())
	}
	t.Fatalf("cannot encode a version %d code", version)
	return nil
}

// encodeText returns the module matrix of text as gozxing encodes it (level M, the smallest
// version that holds it).
func encodeText(t testing.TB, text string) *bitGrid {
	t.Helper()
	code, err := encoder.Encoder_encode(text, decoder.ErrorCorrectionLevel_M, nil)
	if err != nil {
		t.Fatal(err)
	}
	return gridOf(code.GetMatrix())
}

// gridOf copies gozxing's module matrix.
func gridOf(m *encoder.ByteMatrix) *bitGrid {
	g := newBitGrid(m.GetWidth())
	for y := range g.size {
		for x := range g.size {
			g.set(x, y, m.Get(x, y) == 1)
		}
	}
	return g
}

// symbolText gives every test code different content.
func symbolText(i int) string {
	return strconv.Itoa(i) + " otpauth://totp/Codeward:test?secret=JBSWY3DPEHPK3PXP&issuer=Codeward"
}

// blank returns a w×h image of one grey level.
func blank(w, h int, level byte) *grayImage {
	img := &grayImage{width: w, height: h, pix: make([]byte, w*h)}
	for i := range img.pix {
		img.pix[i] = level
	}
	return img
}

// render draws g with px pixels per module and a quiet zone of quiet modules, black on white.
func render(g *bitGrid, px, quiet int) *grayImage {
	side := (g.size + 2*quiet) * px
	img := blank(side, side, 255)
	drawAt(img, g, px, quiet*px, quiet*px)
	return img
}

// drawAt draws g's modules (no quiet zone) with its top-left corner at (x0, y0).
func drawAt(img *grayImage, g *bitGrid, px, x0, y0 int) {
	for y := range g.size * px {
		for x := range g.size * px {
			if g.at(x/px, y/px) {
				img.pix[(y0+y)*img.width+x0+x] = 0
			} else {
				img.pix[(y0+y)*img.width+x0+x] = 255
			}
		}
	}
}

// paste copies src into dst with its top-left corner at (x0, y0).
func paste(dst, src *grayImage, x0, y0 int) {
	for y := range src.height {
		copy(dst.pix[(y0+y)*dst.width+x0:], src.pix[y*src.width:(y+1)*src.width])
	}
}

// quarterTurns rotates img by n×90° clockwise, exactly.
func quarterTurns(img *grayImage, n int) *grayImage {
	for range n % 4 {
		out := &grayImage{width: img.height, height: img.width, pix: make([]byte, len(img.pix))}
		for y := range img.height {
			for x := range img.width {
				out.pix[x*out.width+(out.width-1-y)] = img.at(x, y)
			}
		}
		img = out
	}
	return img
}

// warp returns a w×h image whose pixel centre (x, y) shows src at src(x, y) (pixel
// coordinates with centres at +0.5), read with bilinear interpolation; bg outside src.
func warp(img *grayImage, w, h int, bg byte, src func(x, y float64) (float64, float64)) *grayImage {
	out := blank(w, h, bg)
	for y := range h {
		for x := range w {
			sx, sy := src(float64(x)+0.5, float64(y)+0.5)
			out.pix[y*w+x] = bilinear(img, sx-0.5, sy-0.5, bg)
		}
	}
	return out
}

func bilinear(img *grayImage, x, y float64, bg byte) byte {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	px := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= img.width || y >= img.height {
			return float64(bg)
		}
		return float64(img.at(x, y))
	}
	ix, iy := int(x0), int(y0)
	v := (px(ix, iy)*(1-fx)+px(ix+1, iy)*fx)*(1-fy) + (px(ix, iy+1)*(1-fx)+px(ix+1, iy+1)*fx)*fy
	return byte(math.Round(v))
}

// rotate turns img by deg degrees about its centre onto a canvas large enough to hold it.
func rotate(img *grayImage, deg float64) *grayImage {
	s, c := math.Sincos(deg * math.Pi / 180)
	w := int(math.Abs(float64(img.width)*c)+math.Abs(float64(img.height)*s)) + 2
	h := int(math.Abs(float64(img.width)*s)+math.Abs(float64(img.height)*c)) + 2
	cx, cy := float64(img.width)/2, float64(img.height)/2
	ox, oy := float64(w)/2, float64(h)/2
	return warp(img, w, h, 255, func(x, y float64) (float64, float64) {
		dx, dy := x-ox, y-oy
		return cx + dx*c + dy*s, cy - dx*s + dy*c
	})
}

// boxBlur averages each pixel with its neighbours within r pixels.
func boxBlur(img *grayImage, r int) *grayImage {
	out := blank(img.width, img.height, 0)
	for y := range img.height {
		for x := range img.width {
			sum, n := 0, 0
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					if xx, yy := x+dx, y+dy; xx >= 0 && yy >= 0 && xx < img.width && yy < img.height {
						sum += int(img.at(xx, yy))
						n++
					}
				}
			}
			out.pix[y*img.width+x] = byte(sum / n)
		}
	}
	return out
}

// jpegRoundTrip compresses img as a JPEG of the given quality and decodes it.
func jpegRoundTrip(t testing.TB, img *grayImage, quality int) *grayImage {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, toImage(img), &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := dec.(*image.Gray)
	if !ok {
		t.Fatalf("JPEG decoded as %T", dec)
	}
	out := &grayImage{width: img.width, height: img.height, pix: make([]byte, img.width*img.height)}
	for y := range img.height {
		copy(out.pix[y*img.width:], g.Pix[y*g.Stride:y*g.Stride+img.width])
	}
	return out
}

// lighting maps black and white to a dim, uneven grey: a light grey background with a
// brightness gradient from left to right and top to bottom.
func lighting(img *grayImage, darkest, lightest byte) *grayImage {
	out := blank(img.width, img.height, 0)
	for y := range img.height {
		for x := range img.width {
			g := 0.6 + 0.4*float64(x+y)/float64(img.width+img.height) // 0.6 .. 1
			lo, hi := float64(darkest)*g, float64(lightest)*g
			out.pix[y*img.width+x] = byte(lo + (hi-lo)*float64(img.at(x, y))/255)
		}
	}
	return out
}

// clutter draws text-like marks (short bars in lines, like a page of small print) over
// the rectangle x0, y0, x1, y1 of img.
func clutter(img *grayImage, rng *rand.Rand, x0, y0, x1, y1 int) {
	for y := y0; y+14 < y1; y += 22 {
		for x := x0; x+12 < x1; {
			wd := 2 + rng.IntN(9)
			ht := 6 + rng.IntN(8)
			for yy := y + 14 - ht; yy < y+14; yy++ {
				for xx := x; xx < x+wd && xx < x1; xx++ {
					img.pix[yy*img.width+xx] = byte(rng.IntN(60))
				}
			}
			x += wd + 1 + rng.IntN(4)
			if rng.IntN(8) == 0 {
				x += 8
			}
		}
	}
}

func toImage(img *grayImage) *image.Gray {
	return &image.Gray{Pix: img.pix, Stride: img.width, Rect: image.Rect(0, 0, img.width, img.height)}
}

// gozxingReads reports whether gozxing's reader (try-harder) finds a code in img: the
// reference for which degraded images our detector must handle.
func gozxingReads(img *grayImage) bool {
	bmp, err := gozxing.NewBinaryBitmapFromImage(toImage(img))
	if err != nil {
		return false
	}
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	_, err = qrcode.NewQRCodeReader().Decode(bmp, hints)
	return err == nil
}

// diff counts the modules where a and b differ; -1 if their sizes differ.
func diff(a, b *bitGrid) int {
	if a.size != b.size {
		return -1
	}
	n := 0
	for i := range a.dark {
		if a.dark[i] != b.dark[i] {
			n++
		}
	}
	return n
}

// matches counts the grids within maxWrong modules of want, and returns the fewest errors
// seen among grids of want's size (-1 if none had it).
func matches(grids []*bitGrid, want *bitGrid, maxWrong int) (count, fewest int) {
	fewest = -1
	for _, g := range grids {
		d := diff(g, want)
		if d < 0 {
			continue
		}
		if fewest < 0 || d < fewest {
			fewest = d
		}
		if d <= maxWrong {
			count++
		}
	}
	return count, fewest
}

// expectFound fails unless findGrids(img) returns want exactly once, within maxShare of its
// modules wrong.
func expectFound(t *testing.T, img *grayImage, want *bitGrid, maxShare float64) {
	t.Helper()
	grids := findGrids(img)
	maxWrong := int(maxShare * float64(want.size*want.size))
	if n, fewest := matches(grids, want, maxWrong); n != 1 {
		t.Errorf("%dx%d image: %d grids within %d modules of the %d×%d code (of %d grids; best of its size %d wrong)",
			img.width, img.height, n, maxWrong, want.size, want.size, len(grids), fewest)
	}
}
