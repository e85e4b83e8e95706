package qr

// findGrids is searchGrids for the detector's tests: the grids of the dark codes, or of the
// light ones when it finds no dark one, without decoding them.
func findGrids(img *grayImage) []*bitGrid {
	var out []*bitGrid
	searchGrids(img, func(grids []*bitGrid) bool {
		out = grids
		return len(grids) > 0
	})
	return out
}
