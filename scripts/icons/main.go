// Command icons draws the extension's toolbar and store icons (a white shield with a
// keyhole on a blue rounded square) into extension/icons. Run from the repository root:
//
//	go run ./scripts/icons
//
// The PNGs are committed; run this again only when the design changes.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

const samples = 4 // per axis, for anti-aliasing

func main() {
	for _, size := range []int{16, 32, 48, 128} {
		path := filepath.Join("extension", "icons", fmt.Sprintf("icon-%d.png", size))
		if err := write(path, draw(size)); err != nil {
			fmt.Fprintln(os.Stderr, "icons:", err)
			os.Exit(1)
		}
	}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func draw(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := range size {
		for px := range size {
			var r, g, b, a float64
			for sy := range samples {
				for sx := range samples {
					x := (float64(px) + (float64(sx)+0.5)/samples) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/samples) / float64(size)
					c, alpha := shade(x, y)
					r += c[0] * alpha
					g += c[1] * alpha
					b += c[2] * alpha
					a += alpha
				}
			}
			n := float64(samples * samples)
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a * 255)), G: uint8(math.Round(g / a * 255)),
				B: uint8(math.Round(b / a * 255)), A: uint8(math.Round(a / n * 255)),
			})
		}
	}
	return img
}

// shade returns the colour and coverage of the point (x, y) in the unit square.
func shade(x, y float64) ([3]float64, float64) {
	if !inRoundedSquare(x, y, 0.22) {
		return [3]float64{}, 0
	}
	blue := [3]float64{0.14 - 0.06*y, 0.34 + 0.08*(1-y), 0.77 + 0.1*(1-y)}
	if inShield(x, y) && !inKeyhole(x, y) {
		return [3]float64{1, 1, 1}, 1
	}
	return blue, 1
}

func inRoundedSquare(x, y, r float64) bool {
	dx := math.Max(math.Max(r-x, x-(1-r)), 0)
	dy := math.Max(math.Max(r-y, y-(1-r)), 0)
	return dx*dx+dy*dy <= r*r
}

func inShield(x, y float64) bool {
	const top, shoulder, tip, half = 0.18, 0.5, 0.86, 0.25
	if y < top || y > tip {
		return false
	}
	w := half
	if y > shoulder {
		t := (y - shoulder) / (tip - shoulder)
		w = half * math.Sqrt(1-t*t)
	}
	return math.Abs(x-0.5) <= w
}

func inKeyhole(x, y float64) bool {
	const cx, cy, r = 0.5, 0.44, 0.075
	if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
		return true
	}
	return math.Abs(x-cx) <= 0.035 && y >= cy && y <= 0.66
}
