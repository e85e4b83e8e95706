package qr

import (
	"runtime"
	"testing"
)

// TestFindGridsWideStripMemory: a one-pixel-high strip of alternating pixels, as wide as
// MaxPixels allows, has a run per pixel; the finder search must not hold a row's runs all
// at once (for 40 million pixels, 320 MB of run positions, doubled by slice growth, and
// WebAssembly memory never shrinks). What findGrids allocates stays below the image's own
// size.
func TestFindGridsWideStripMemory(t *testing.T) {
	const w = 8_000_000
	img := &grayImage{width: w, height: 1, pix: make([]byte, w)}
	for i := range img.pix {
		img.pix[i] = byte(255 * (i % 2))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	grids := findGrids(img)
	runtime.ReadMemStats(&after)
	if len(grids) != 0 {
		t.Errorf("%d grids in a striped strip", len(grids))
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > w {
		t.Errorf("findGrids allocated %d MB for a %d-pixel image", n>>20, w)
	}
}
