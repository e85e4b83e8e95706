//go:build !js

package qr

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Clean renderings must come back exactly: every version's size from 21 to 177 modules and
// module sizes from 2 to 12 pixels.
func TestFindGridsClean(t *testing.T) {
	for _, v := range []int{1, 2, 7, 10, 20, 40} {
		want := symbol(t, v, symbolText(v))
		for _, px := range []int{2, 3, 4, 6, 8, 12} {
			t.Run(fmt.Sprintf("v%d/%dpx", v, px), func(t *testing.T) {
				expectFound(t, render(want, px, 4), want, 0)
			})
		}
	}
}

// A code turned any way comes back in its own orientation. Quarter turns are exact; other
// angles are resampled (bilinear), which can flip a module on an edge here and there: up
// to 1% of modules, which the decoder's error correction fixes.
func TestFindGridsRotated(t *testing.T) {
	for _, v := range []int{1, 2, 7, 10} {
		want := symbol(t, v, symbolText(v))
		img := render(want, 4, 4)
		for n := range 4 {
			t.Run(fmt.Sprintf("v%d/%d°", v, 90*n), func(t *testing.T) {
				expectFound(t, quarterTurns(img, n), want, 0)
			})
		}
		for _, deg := range []float64{7, 30, 45, 110, 222, 313} {
			t.Run(fmt.Sprintf("v%d/%g°", v, deg), func(t *testing.T) {
				expectFound(t, rotate(img, deg), want, 0.01)
			})
		}
	}
}

// A photo taken at an angle: a mild perspective skew (one side of the code 20% shorter).
func TestFindGridsPerspective(t *testing.T) {
	for _, v := range []int{2, 7, 10} {
		want := symbol(t, v, symbolText(v))
		img := render(want, 5, 4)
		w := float64(img.width)
		out := warp(img, img.width, img.height, 255, func(x, y float64) (float64, float64) {
			// A homography: the far (right, bottom) side 12% shorter, a slight shear.
			d := 1 - 0.12*x/w - 0.04*y/w
			return (x + 0.04*y) / d, (y - 0.03*x + 0.05*w*x/w) / d
		})
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			expectFound(t, out, want, 0.01)
		})
	}
}

// Degraded images (blur, JPEG at quality 60 to 85, a grey background with a lighting
// gradient, and these combined): whenever gozxing's reader reads one, ours must find the
// grid with at most 3% of modules wrong, which Reed-Solomon at level M (15%) fixes.
func TestFindGridsDegraded(t *testing.T) {
	type degrade struct {
		name string
		f    func(testing.TB, *grayImage) *grayImage
	}
	degrades := []degrade{
		{"blur1", func(_ testing.TB, m *grayImage) *grayImage { return boxBlur(m, 1) }},
		{"blur2", func(_ testing.TB, m *grayImage) *grayImage { return boxBlur(m, 2) }},
		{"jpeg60", func(t testing.TB, m *grayImage) *grayImage { return jpegRoundTrip(t, m, 60) }},
		{"jpeg85", func(t testing.TB, m *grayImage) *grayImage { return jpegRoundTrip(t, m, 85) }},
		{"grey", func(_ testing.TB, m *grayImage) *grayImage { return lighting(m, 70, 215) }},
		{"grey+rotate+jpeg70", func(t testing.TB, m *grayImage) *grayImage {
			return jpegRoundTrip(t, lighting(rotate(m, 17), 60, 220), 70)
		}},
		{"blur+jpeg75", func(t testing.TB, m *grayImage) *grayImage { return jpegRoundTrip(t, boxBlur(m, 1), 75) }},
	}
	for _, v := range []int{1, 4, 10, 20} {
		want := symbol(t, v, symbolText(v))
		for _, px := range []int{3, 5, 8} {
			img := render(want, px, 4)
			for _, d := range degrades {
				t.Run(fmt.Sprintf("v%d/%dpx/%s", v, px, d.name), func(t *testing.T) {
					out := d.f(t, img)
					if !gozxingReads(out) {
						t.Skip("gozxing cannot read this one either")
					}
					expectFound(t, out, want, 0.03)
				})
			}
		}
	}
}

// A code stretched across (an image shown at the wrong aspect ratio), upright and turned.
func TestFindGridsStretched(t *testing.T) {
	want := symbol(t, 7, symbolText(7))
	for _, f := range []float64{1.3, 1.5} {
		for _, deg := range []float64{0, 30} {
			src := rotate(render(want, 4, 4), deg)
			img := warp(src, int(float64(src.width)*f), src.height, 255, func(x, y float64) (float64, float64) {
				return x / f, y
			})
			t.Run(fmt.Sprintf("%g/%g°", f, deg), func(t *testing.T) {
				expectFound(t, img, want, 0.01)
			})
		}
	}
}

// A light code on a dark background (dark mode) is found too, in its true colours.
func TestFindGridsInverted(t *testing.T) {
	want := symbol(t, 4, symbolText(4))
	img := rotate(render(want, 4, 4), 20)
	for i, v := range img.pix {
		img.pix[i] = 255 - v
	}
	expectFound(t, img, want, 0.01)
}

// A light code on a dark background is read even when the search for dark codes on light
// finds something code-like that does not read (here a code with half its data modules
// flipped, on the light half of the image).
func TestDecodeGrayInvertedBesideUnreadable(t *testing.T) {
	want := "otpauth://totp/Dark?secret=JBSWY3DPEHPK3PXP"
	good := encodeText(t, want)
	bad := symbol(t, good.size/4-4, symbolText(1))
	fn := functionMask(bad.size/4 - 4)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range bad.dark {
		if !fn.dark[i] && rng.IntN(2) == 0 {
			bad.dark[i] = !bad.dark[i]
		}
	}
	if _, err := decodeGrid(bad); err == nil {
		t.Fatal("the damaged code still reads")
	}
	img := blank(800, 400, 255)
	paste(img, render(bad, 6, 4), 20, 20)
	light := render(good, 6, 4)
	for i, v := range light.pix {
		light.pix[i] = 255 - v
	}
	for y := range img.height {
		for x := 400; x < img.width; x++ {
			img.pix[y*img.width+x] = 255 - img.pix[y*img.width+x]
		}
	}
	paste(img, light, 420, 20)
	if texts, err := decodeGray(img); err != nil || len(texts) != 1 || texts[0] != want {
		t.Errorf("read %q, %v; want the light code's text", texts, err)
	}
}

// A code below a noisy part of a photo is found: the noise's thousand look-alikes seen on
// one row each must not take the places of the code's finder patterns.
func TestFindGridsBelowNoise(t *testing.T) {
	want := symbol(t, 4, symbolText(4))
	img := blank(1600, 1000, 200)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range img.pix[:600*img.width] {
		img.pix[i] = byte(98 + rng.IntN(60))
	}
	paste(img, render(want, 6, 4), 100, 650)
	expectFound(t, img, want, 0)
}

// A small code in a 4K screen capture that is mostly white with lines of small print.
func TestFindGridsLargeCapture(t *testing.T) {
	want := symbol(t, 5, symbolText(5))
	img := largeCapture(want, 3)
	expectFound(t, img, want, 0)
}

// largeCapture is a 3840×2160 white capture with text-like clutter and want drawn with px
// pixels per module right of centre.
func largeCapture(want *bitGrid, px int) *grayImage {
	img := blank(3840, 2160, 250)
	rng := rand.New(rand.NewPCG(1, 2))
	clutter(img, rng, 100, 100, 3700, 900)
	clutter(img, rng, 100, 1500, 1800, 2100)
	code := render(want, px, 4)
	paste(img, code, 2300, 1100)
	return img
}

// Several codes of different sizes in one image are each found once.
func TestFindGridsSeveralCodes(t *testing.T) {
	versions := []int{3, 1, 8, 5}
	pxs := []int{4, 6, 3, 5}
	for n := 2; n <= 4; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			img := blank(1600, 700, 255)
			var wants []*bitGrid
			x := 20
			for i := range n {
				want := symbol(t, versions[i], symbolText(10+i))
				wants = append(wants, want)
				code := render(want, pxs[i], 4)
				paste(img, code, x, 30+40*i)
				x += code.width + 10
			}
			grids := findGrids(img)
			for i, want := range wants {
				if c, fewest := matches(grids, want, 0); c != 1 {
					t.Errorf("code %d (%d×%d): found %d times exactly (best of its size %d wrong) in %d grids", i, want.size, want.size, c, fewest, len(grids))
				}
			}
		})
	}
}

// Images with no code, or hostile ones, return few grids (none that is a code's), quickly,
// without panicking.
func TestFindGridsNoCode(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	noise := blank(500, 400, 0)
	for i := range noise.pix {
		noise.pix[i] = byte(rng.IntN(256))
	}
	// A sheet of fake finder patterns: 7×7 squares ringed like the real ones, in a grid
	// where any three form right triangles.
	fakes := blank(1200, 1200, 255)
	fp := newBitGrid(7)
	for y := range 7 {
		for x := range 7 {
			r := max(abs(x-3), abs(y-3))
			fp.set(x, y, r != 2)
		}
	}
	for y := 10; y+21 < 1200; y += 30 {
		for x := 10; x+21 < 1200; x += 30 {
			drawAt(fakes, fp, 3, x, y)
		}
	}
	images := map[string]*grayImage{
		"1x1":          blank(1, 1, 0),
		"black":        blank(300, 200, 0),
		"white":        blank(300, 200, 255),
		"noise":        noise,
		"strip":        blank(20000, 2000, 128),
		"thin":         blank(20000, 3, 10),
		"fakefinders":  fakes,
		"empty":        {width: 0, height: 0},
		"short pixels": {width: 10, height: 10, pix: make([]byte, 5)},
		"overflow":     {width: 1 << 40, height: 1 << 40, pix: make([]byte, 5)},
		"negative":     {width: -3, height: -3, pix: make([]byte, 9)},
	}
	for name, img := range images {
		t.Run(name, func(t *testing.T) {
			grids := findGrids(img)
			checkGrids(t, grids)
			if name != "noise" && name != "fakefinders" && len(grids) > 0 {
				t.Errorf("%d grids in an image with nothing in it", len(grids))
			}
		})
	}
}

// checkGrids fails on grids that are not QR-sized (21 to 177 modules, 4n+1) or too many.
func checkGrids(t testing.TB, grids []*bitGrid) {
	t.Helper()
	if len(grids) > maxGrids {
		t.Errorf("%d grids, more than %d", len(grids), maxGrids)
	}
	for _, g := range grids {
		if g.size < 21 || g.size > 177 || g.size%4 != 1 || len(g.dark) != g.size*g.size {
			t.Errorf("a grid of size %d with %d modules", g.size, len(g.dark))
		}
	}
}

// FuzzFindGrids feeds small images (width and height from the first two bytes, pixels
// from the rest, repeated) to findGrids: it must not panic and must return sane grids.
func FuzzFindGrids(f *testing.F) {
	code := render(symbol(f, 1, "fuzz"), 2, 2)
	seed := append([]byte{byte(code.width), byte(code.height)}, code.pix...)
	f.Add(seed)
	f.Add([]byte{40, 40, 0, 255, 0, 0, 0, 255, 255, 255, 0, 255})
	f.Add([]byte{1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		w, h := 1+int(data[0])%96, 1+int(data[1])%96
		img := blank(w, h, 255)
		if px := data[2:]; len(px) > 0 {
			for i := range img.pix {
				img.pix[i] = px[i%len(px)]
			}
		}
		checkGrids(t, findGrids(img))
	})
}

func BenchmarkFindGrids(b *testing.B) {
	want := symbol(b, 5, symbolText(5))
	hd := blank(1920, 1080, 250)
	clutter(hd, rand.New(rand.NewPCG(1, 2)), 50, 50, 1800, 500)
	paste(hd, render(want, 4, 4), 1200, 600)
	// A capture with no code costs the most: the search runs again for light-on-dark codes.
	noCode := blank(3840, 2160, 250)
	clutter(noCode, rand.New(rand.NewPCG(1, 2)), 100, 100, 3700, 2000)
	for _, c := range []struct {
		name string
		img  *grayImage
	}{{"1920x1080", hd}, {"3840x2160", largeCapture(want, 3)}, {"3840x2160-nocode", noCode}} {
		b.Run(c.name, func(b *testing.B) {
			if n, _ := matches(findGrids(c.img), want, 0); n != 1 && c.img != noCode {
				b.Fatal("code not found")
			}
			for b.Loop() {
				findGrids(c.img)
			}
		})
	}
}

// Equal codes tiled with only their quiet zones between them, the whole turned and
// compressed: each is found once, not a mix of its neighbours' finder patterns (the outer
// patterns of a 2×2 tile form a right triangle with lined-up timing patterns, a look-alike
// of a bigger code that only the alignment patterns tell apart).
func TestFindGridsTiled(t *testing.T) {
	for _, v := range []int{2, 9} {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			const px = 5
			side := (17 + 4*v + 8) * px
			img := blank(2*side, 2*side, 255)
			var wants []*bitGrid
			for i := range 4 {
				want := symbol(t, v, symbolText(20+i))
				wants = append(wants, want)
				paste(img, render(want, px, 4), i%2*side, i/2*side)
			}
			img = jpegRoundTrip(t, rotate(img, 14), 75)
			grids := findGrids(img)
			for i, want := range wants {
				if n, fewest := matches(grids, want, want.size*want.size*3/100); n != 1 {
					t.Errorf("code %d found %d times (best %d wrong) in %d grids", i, n, fewest, len(grids))
				}
			}
		})
	}
}

// On random codes and degradations (any version, 2 to 8 pixels a module, any rotation,
// perspective, blur, grey lighting, JPEG), whatever gozxing's reader reads, ours finds
// within 3% of modules.
func TestFindGridsMatchesGozxing(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 60 {
		v := 1 + rng.IntN(40)
		if rng.IntN(2) == 0 {
			v = 1 + rng.IntN(10)
		}
		px := 2 + rng.IntN(7)
		if v > 15 {
			px = max(px, 3)
		}
		want := symbol(t, v, symbolText(i))
		img := render(want, px, 4)
		name := fmt.Sprintf("%d/v%d/%dpx", i, v, px)
		if rng.IntN(2) == 0 {
			deg := rng.Float64() * 360
			img = rotate(img, deg)
			name += fmt.Sprintf("/rotate%.0f", deg)
		}
		if rng.IntN(3) == 0 {
			w := float64(img.width)
			a, b := rng.Float64()*0.2-0.1, rng.Float64()*0.2-0.1
			img = warp(img, img.width, img.height, 255, func(x, y float64) (float64, float64) {
				d := 1 + a*x/w + b*y/w
				return x / d, y / d
			})
			name += fmt.Sprintf("/perspective%.2f,%.2f", a, b)
		}
		if rng.IntN(3) == 0 {
			img = boxBlur(img, 1)
			name += "/blur"
		}
		if rng.IntN(2) == 0 {
			img = lighting(img, byte(rng.IntN(90)), 255-byte(rng.IntN(90)))
			name += "/grey"
		}
		if rng.IntN(2) == 0 {
			q := 60 + rng.IntN(26)
			img = jpegRoundTrip(t, img, q)
			name += fmt.Sprintf("/jpeg%d", q)
		}
		t.Run(name, func(t *testing.T) {
			if !gozxingReads(img) {
				t.Skip("gozxing cannot read this one")
			}
			expectFound(t, img, want, 0.03)
		})
	}
}

// With the package's decoder, the grids found read back as the texts drawn.
func TestFindGridsDecode(t *testing.T) {
	img := blank(1100, 500, 240)
	texts := []string{
		"otpauth://totp/A?secret=JBSWY3DPEHPK3PXP",
		"otpauth://totp/Codeward:alice@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Codeward&digits=8",
		strings.Repeat("otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SEGFsaWNlQGV4YW1wbGUuY29tGghDb2Rld2FyZCABKAEwAhABGAEgAA", 3),
	}
	x := 20
	for _, text := range texts {
		code := render(encodeText(t, text), 4, 4)
		paste(img, code, x, 30)
		x += code.width + 10
	}
	img = jpegRoundTrip(t, lighting(rotate(img, 8), 30, 230), 80)
	read := map[string]int{}
	for _, g := range findGrids(img) {
		if s, err := decodeGrid(g); err == nil {
			read[s]++
		}
	}
	for i, text := range texts {
		if read[text] != 1 {
			t.Errorf("text %d read %d times", i, read[text])
		}
	}
	if len(read) != len(texts) {
		t.Errorf("%d texts read, want %d", len(read), len(texts))
	}
}
