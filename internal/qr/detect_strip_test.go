package qr

import (
	"runtime"
	"testing"
)

// TestFindGridsWideStripMemory: a strip of alternating columns, as wide as MaxPixels
// allows, has a run per pixel; the finder search must not hold a row's runs all at once
// (for a strip 21 pixels high, 15 MB of run positions, doubled by slice growth, and
// WebAssembly memory never shrinks). What findGrids allocates stays below the image's own
// size.
func TestFindGridsWideStripMemory(t *testing.T) {
	const w = 1_000_000
	img := &grayImage{width: w, height: 21, pix: make([]byte, 21*w)}
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
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(img.pix)) {
		t.Errorf("findGrids allocated %d MB for a %d-pixel image", n>>20, len(img.pix))
	}
}

// TestFindGridsNarrowStripMemory: the binarized image packs each row into 64-bit words, so
// an image one pixel wide and MaxPixels tall would cost 8 bytes a pixel (320 MB). No code
// fits in fewer than 21 pixels a side: such images are not searched at all.
func TestFindGridsNarrowStripMemory(t *testing.T) {
	const h = 4_000_000
	for _, img := range []*grayImage{
		{width: 1, height: h, pix: make([]byte, h)},
		{width: 20, height: h / 20, pix: make([]byte, h)},
	} {
		for i := range img.pix {
			img.pix[i] = byte(255 * (i / img.width % 2))
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		grids := findGrids(img)
		runtime.ReadMemStats(&after)
		if len(grids) != 0 {
			t.Errorf("%d×%d: %d grids in a striped strip", img.width, img.height, len(grids))
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > h {
			t.Errorf("%d×%d: findGrids allocated %d MB for a %d-pixel image", img.width, img.height, n>>20, h)
		}
	}
}
