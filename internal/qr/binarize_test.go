package qr

import (
	"math/rand/v2"
	"testing"
)

// nextChange, which skips whole words, agrees with reading the pixels one by one.
func TestBitMatrixNextChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, w := range []int{1, 63, 64, 65, 200} {
		m := newBitMatrix(w, 3)
		for y := range 3 {
			run := 1 + rng.IntN(90) // long runs cross word boundaries
			dark := y == 1
			for x := range w {
				if run == 0 {
					run, dark = 1+rng.IntN(90), !dark
				}
				if dark {
					m.set(x, y)
				}
				run--
			}
			for x := range w {
				want := x + 1
				for want < w && m.get(want, y) == m.get(x, y) {
					want++
				}
				if got := m.nextChange(x, y); got != want {
					t.Fatalf("width %d row %d: nextChange(%d) = %d, want %d", w, y, x, got, want)
				}
			}
		}
	}
}

// Local thresholds keep a checkerboard of 6-pixel squares whose contrast is low and whose
// brightness runs from dark grey on the left to nearly white on the right: any one
// threshold for the whole image would lose one side or the other.
func TestBinarizeUnevenLighting(t *testing.T) {
	const w, h, sq = 320, 96, 6
	img := &grayImage{width: w, height: h, pix: make([]byte, w*h)}
	for y := range h {
		for x := range w {
			base := 40 + 180*x/w // background brightness across the image
			v := base + 30
			if (x/sq+y/sq)%2 == 0 {
				v = base - 10
			}
			img.pix[y*w+x] = byte(v)
		}
	}
	m := binarize(img)
	wrong := 0
	for y := range h {
		for x := range w {
			if m.get(x, y) != ((x/sq+y/sq)%2 == 0) {
				wrong++
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%d of %d pixels binarized wrong", wrong, w*h)
	}
}

// Images too small for 8×8 blocks use one threshold; a flat one has no dark pixels.
func TestBinarizeSmall(t *testing.T) {
	img := &grayImage{width: 30, height: 20, pix: make([]byte, 600)}
	for i := range img.pix {
		img.pix[i] = 200
		if i%30 < 10 {
			img.pix[i] = 60
		}
	}
	m := binarize(img)
	for y := range 20 {
		for x := range 30 {
			if m.get(x, y) != (x < 10) {
				t.Fatalf("pixel %d,%d wrong", x, y)
			}
		}
	}
	flat := &grayImage{width: 30, height: 20, pix: make([]byte, 600)}
	m = binarize(flat)
	for _, word := range m.bits {
		if word != 0 {
			t.Fatal("a flat image has dark pixels")
		}
	}
}

// invert swaps every pixel and leaves the padding past the width light.
func TestBitMatrixInvert(t *testing.T) {
	for _, w := range []int{1, 64, 70} {
		m := newBitMatrix(w, 2)
		m.set(0, 0)
		m.set(w-1, 1)
		m.invert()
		for y := range 2 {
			for x := range w {
				if want := !(x == 0 && y == 0 || x == w-1 && y == 1); m.get(x, y) != want {
					t.Fatalf("width %d: pixel %d,%d = %v after invert", w, x, y, !want)
				}
			}
			if m.nextChange(0, y) > w {
				t.Fatalf("width %d: a run past the edge", w)
			}
		}
		if w%64 != 0 && m.bits[m.stride-1]>>(w%64) != 0 {
			t.Fatalf("width %d: padding bits set", w)
		}
	}
}
