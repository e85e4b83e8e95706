//go:build !js

// The tests read image files through Decode, which only native builds have (file.go).

package qr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"testing"
)

const (
	uri       = "otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno&algorithm=SHA1&digits=6&period=30"
	migration = "otpauth-migration://offline?data=CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B"
)

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestRoundTrip(t *testing.T) {
	for _, text := range []string{uri, migration, "otpauth://totp/%C3%A9t%C3%A9:%C2%BF?secret=JBSWY3DP", "ünïcode ✓", strings.Repeat("A", 1500)} {
		for _, size := range []int{MinSize * 4, 512} {
			b, err := Encode(text, size)
			if err != nil {
				t.Fatalf("Encode(%d bytes, %d): %v", len(text), size, err)
			}
			img := decodePNG(t, b)
			if w := img.Bounds().Dx(); w < size || w > size+size/4 {
				t.Errorf("%d bytes at size %d: image is %d px wide", len(text), size, w)
			}
			got, err := Decode(b)
			if err != nil {
				t.Errorf("Decode(%d bytes at %d px): %v", len(text), size, err)
				continue
			}
			if !slices.Equal(got, []string{text}) {
				t.Errorf("decoded %q, want %q", got, text)
			}
		}
	}
}

func TestTwoCodesOneImage(t *testing.T) {
	a, err := Encode(uri, 300)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(migration, 300)
	if err != nil {
		t.Fatal(err)
	}
	ia, ib := decodePNG(t, a), decodePNG(t, b)
	canvas := image.NewRGBA(image.Rect(0, 0, 800, 400))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.RGBA{240, 240, 240, 255}), image.Point{}, draw.Src)
	draw.Draw(canvas, ia.Bounds().Add(image.Pt(20, 40)), ia, image.Point{}, draw.Src)
	draw.Draw(canvas, ib.Bounds().Add(image.Pt(440, 60)), ib, image.Point{}, draw.Src)
	for _, enc := range []struct {
		name string
		f    func(*bytes.Buffer) error
	}{
		{"png", func(w *bytes.Buffer) error { return png.Encode(w, canvas) }},
		{"jpeg", func(w *bytes.Buffer) error { return jpeg.Encode(w, canvas, &jpeg.Options{Quality: 85}) }},
	} {
		var buf bytes.Buffer
		if err := enc.f(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", enc.name, err)
		}
		slices.Sort(got)
		want := []string{uri, migration}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: decoded %q", enc.name, got)
		}
	}
}

// hugePNG returns a valid PNG header claiming w×h pixels, with no pixel data behind it.
func hugePNG(w, h uint32) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	// IHDR data starts at 16: width, height; its CRC covers type and data (12–29).
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestDecodeErrors(t *testing.T) {
	var blank bytes.Buffer
	png.Encode(&blank, image.NewGray(image.Rect(0, 0, 200, 200)))
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"no code", blank.Bytes(), ErrNotFound},
		{"too large", hugePNG(100000, 100000), ErrTooLarge},
		{"not an image", []byte("otpauth://totp/x"), nil},
		{"truncated png", hugePNG(10, 10), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.data)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		text string
		size int
	}{
		{uri, MinSize - 1}, {uri, MaxSize + 1}, {"", 256}, {strings.Repeat("x", 5000), 1024},
	} {
		_, err := Encode(tc.text, tc.size)
		if err == nil {
			t.Errorf("Encode(%d bytes, %d): no error", len(tc.text), tc.size)
		} else if len(tc.text) > 100 && strings.Contains(err.Error(), tc.text[:100]) {
			t.Errorf("error repeats the text")
		}
	}
}

func FuzzDecode(f *testing.F) {
	small, _ := Encode("otpauth://totp/a?secret=AA", MinSize)
	f.Add(small)
	f.Add(hugePNG(3, 3))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<16 {
			return // keep fuzz inputs small; size bounds are tested above
		}
		Decode(data)
	})
}

// TestDecodeGray reads grey levels as the extension passes them (the browser decoded the
// image): the two codes of TestTwoCodesOneImage on a light grey page, and its bounds.
func TestDecodeGray(t *testing.T) {
	a, _ := Encode(uri, 300)
	b, _ := Encode(migration, 250)
	ia, ib := decodePNG(t, a), decodePNG(t, b)
	const w, h = 701, 390 // odd width: rows are not a multiple of anything
	canvas := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.Gray{Y: 235}), image.Point{}, draw.Src)
	draw.Draw(canvas, ia.Bounds().Add(image.Pt(20, 40)), ia, image.Point{}, draw.Src)
	draw.Draw(canvas, ib.Bounds().Add(image.Pt(420, 60)), ib, image.Point{}, draw.Src)
	got, err := DecodeGray(w, h, canvas.Pix)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{uri, migration}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("decoded %q", got)
	}

	for _, tc := range []struct {
		name string
		w, h int
		pix  []byte
		want error
	}{
		{"blank", 50, 40, bytes.Repeat([]byte{255}, 2000), ErrNotFound},
		{"too large", 100000, 100000, nil, ErrTooLarge},
		{"no pixels", 0, 10, nil, ErrTooLarge},
		{"negative", -5, -5, nil, ErrTooLarge},
		{"short", 50, 40, make([]byte, 1999), nil},
		{"long", 50, 40, make([]byte, 2001), nil},
	} {
		if _, err := DecodeGray(tc.w, tc.h, tc.pix); err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestPNGIsBilevel checks the hand-written PNG: one bit per pixel, black and white only,
// the modules where the matrix has them (read back by image/png, which checks the CRCs and
// the zlib checksum), at a size needing more than one stored block.
func TestPNGIsBilevel(t *testing.T) {
	for _, size := range []int{MinSize, 301, 1200} {
		b, err := Encode(uri, size)
		if err != nil {
			t.Fatal(err)
		}
		if b[24] != 1 || b[25] != 0 {
			t.Errorf("size %d: bit depth %d, colour type %d, want 1 and 0", size, b[24], b[25])
		}
		img := decodePNG(t, b)
		r := img.Bounds()
		// The code's modules, each scale×scale pixels, centred with at least quietZone
		// white modules around.
		g, _ := encodeGrid(uri)
		scale := r.Dx() / (g.size + 2*quietZone)
		offset := (r.Dx() - g.size*scale) / 2
		if r.Dx() != r.Dy() || scale < 1 || offset < quietZone*scale {
			t.Fatalf("size %d: a %d×%d image for %d modules", size, r.Dx(), r.Dy(), g.size)
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				mx, my := (x-offset)/scale, (y-offset)/scale
				want := uint8(255)
				if x >= offset && y >= offset && mx < g.size && my < g.size && g.at(mx, my) {
					want = 0
				}
				if got := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y; got != want {
					t.Fatalf("size %d: grey %d at %d,%d, want %d", size, got, x, y, want)
				}
			}
		}
		if img.At(0, 0) != (color.Gray{Y: 255}) {
			t.Errorf("size %d: the quiet zone is not white", size)
		}
	}
}

// TestDecodeTransparentPNG: a code drawn as black modules on a transparent background (as
// some sites and apps save them) reads, transparent parts counting as white, as the
// extension's background reads them (grey.js).
func TestDecodeTransparentPNG(t *testing.T) {
	g, err := encodeGrid(uri)
	if err != nil {
		t.Fatal(err)
	}
	const px, quiet = 6, 4
	side := (g.size + 2*quiet) * px
	img := image.NewNRGBA(image.Rect(0, 0, side, side)) // all transparent
	for y := range g.size * px {
		for x := range g.size * px {
			if g.at(x/px, y/px) {
				img.Set(quiet*px+x, quiet*px+y, color.NRGBA{A: 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if got, err := Decode(buf.Bytes()); err != nil || !slices.Equal(got, []string{uri}) {
		t.Errorf("decoded %q, %v", got, err)
	}
}
