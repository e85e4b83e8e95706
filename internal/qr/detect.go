package qr

import (
	"math"
	"sort"
)

// The detector, after ZXing's: binarize the image with local thresholds (binarize.go), find
// the finder patterns in three corners of each code (detect_finder.go), group them in
// threes that form a right isosceles triangle (here), estimate the code's size, look for
// the alignment pattern near the fourth corner (detect_align.go), and sample the module
// grid through the perspective transform those four points give (detect_transform.go,
// detect_sample.go). Each reading is scored on the parts every QR code of its size has
// (finder patterns, separators, timing patterns, alignment patterns) to pick the code's
// size and fourth point, rank candidates and drop most false ones.

// Bounds on the work per image: the most-confirmed finder candidates kept, the best-fitting
// triples sampled, and the grids returned.
const (
	maxGroupFinders = 60
	maxTriples      = 150
	maxTripleList   = 3000
	maxGrids        = 16
	minScore        = 0.75 // share of the fixed patterns a reading must match
	sureScore       = 0.9  // above this a reading is taken as a code at once
)

// searchGrids hands found the module grid of each QR code it can locate in img, the most
// likely first; several codes per image (a screenshot can hold two or more side by side).
// Each grid is in the symbol's own orientation: finder patterns at top-left, top-right and
// bottom-left, whatever the image's rotation. Some may turn out not to be codes (found
// decodes each and drops those that fail); there are at most maxGrids. It hands over the
// grids of dark codes on a light background first and, unless found reports that they were
// codes, then those of light codes on a dark background, as some apps in dark mode draw
// them (a grid that is not a code, say a damaged code or a look-alike, must not keep a
// light-on-dark code from being read).
func searchGrids(img *grayImage, found func([]*bitGrid) bool) {
	// No code fits in fewer than 21 pixels a side; and the binarized image, a word per 64
	// pixels of a row or less, would cost 8 bytes a pixel for an image 1 pixel wide.
	if !validImage(img) || img.width < 21 || img.height < 21 {
		return
	}
	bm := binarize(img)
	if found(gridsIn(bm)) {
		return
	}
	bm.invert()
	found(gridsIn(bm))
}

// gridsIn is searchGrids' search on a binarized image.
func gridsIn(bm *bitMatrix) []*bitGrid {
	fs := findFinders(bm)
	if len(fs) > maxGroupFinders {
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].count > fs[j].count })
		fs = fs[:maxGroupFinders]
	}
	// Triples in order of fit; once one reads as a code with confidence, the triples that
	// share a finder pattern with it are not tried (with many codes side by side, most
	// triples are mixes of neighbours' patterns).
	var sure, unsure []candidate
	tried := 0
	for _, t := range groupTriples(fs) {
		if tried == maxTriples {
			break
		}
		if overlapsAny(t, sure) {
			continue
		}
		tried++
		if r, ok := fitTriple(bm, t); ok && r.score >= minScore {
			if r.score >= sureScore {
				sure = append(sure, candidate{r, t})
			} else {
				unsure = append(unsure, candidate{r, t})
			}
		}
	}
	byScore := func(cs []candidate) {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].r.score > cs[j].r.score })
	}
	byScore(sure)
	byScore(unsure)
	// The others, best first, if they share no pattern with one kept.
	kept := sure
	for _, c := range unsure {
		if !overlapsAny(c.t, kept) {
			kept = append(kept, c)
		}
	}
	var grids []*bitGrid
	for _, c := range kept[:min(len(kept), maxGrids)] {
		grids = append(grids, sampleGrid(bm, c.r))
	}
	return grids
}

// candidate is a reading of a code from a triple of finder patterns.
type candidate struct {
	r reading
	t triple
}

func overlapsAny(t triple, cs []candidate) bool {
	for _, c := range cs {
		if t.overlaps(c.t) {
			return true
		}
	}
	return false
}

// triple is three finder patterns taken as the corners of one code.
type triple struct {
	bl, tl, tr finder
	fit        float64 // how far from a right isosceles triangle; 0 is exact
}

// overlaps reports whether two triples share a finder pattern (centres within two modules).
func (t triple) overlaps(u triple) bool {
	for _, a := range [3]finder{t.bl, t.tl, t.tr} {
		for _, b := range [3]finder{u.bl, u.tl, u.tr} {
			d := 2 * max(a.module, b.module)
			if math.Abs(a.x-b.x) <= d && math.Abs(a.y-b.y) <= d {
				return true
			}
		}
	}
	return false
}

func dist(ax, ay, bx, by float64) float64 { return math.Hypot(ax-bx, ay-by) }

// groupTriples returns the triples of candidates that could be one code's finder patterns:
// similar module sizes, two equal sides at a right angle, a plausible number of modules
// between them. They come ordered (top-left at the right angle, top-right and bottom-left
// by the sign of the cross product), best fit first, at most maxTripleList of them.
func groupTriples(fs []finder) []triple {
	var out []triple
	for i := range fs {
		for j := i + 1; j < len(fs); j++ {
			if !similarModule(fs[i], fs[j]) {
				continue
			}
			for k := j + 1; k < len(fs); k++ {
				if !similarModule(fs[i], fs[k]) || !similarModule(fs[j], fs[k]) {
					continue
				}
				if t, ok := orderTriple(fs[i], fs[j], fs[k]); ok {
					out = append(out, t)
				}
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].fit < out[b].fit })
	if len(out) > maxTripleList {
		out = out[:maxTripleList]
	}
	return out
}

func similarModule(a, b finder) bool {
	lo, hi := min(a.module, b.module), max(a.module, b.module)
	return hi-lo <= 0.5*lo+0.5
}

// orderTriple names the corners of three finder patterns and reports whether they fit a
// right isosceles triangle of 14 to 170 modules a side, loosely: a perspective view skews
// it, and an image shown at the wrong aspect ratio stretches it (up to 1.6 times).
func orderTriple(a, b, c finder) (triple, bool) {
	ab, bc, ac := dist(a.x, a.y, b.x, b.y), dist(b.x, b.y, c.x, c.y), dist(a.x, a.y, c.x, c.y)
	// The top-left pattern is opposite the longest side.
	var t triple
	var hyp, s1, s2 float64
	switch {
	case bc >= ab && bc >= ac:
		t.tl, t.tr, t.bl, hyp, s1, s2 = a, b, c, bc, ab, ac
	case ac >= ab && ac >= bc:
		t.tl, t.tr, t.bl, hyp, s1, s2 = b, a, c, ac, ab, bc
	default:
		t.tl, t.tr, t.bl, hyp, s1, s2 = c, a, b, ab, ac, bc
	}
	// In image coordinates (y down) top-right × bottom-left, seen from top-left, is positive.
	if (t.tr.x-t.tl.x)*(t.bl.y-t.tl.y)-(t.tr.y-t.tl.y)*(t.bl.x-t.tl.x) < 0 {
		t.tr, t.bl = t.bl, t.tr
	}
	short := min(s1, s2)
	if short <= 0 {
		return t, false
	}
	sides := math.Abs(s1-s2) / short
	right := math.Abs(hyp-math.Hypot(s1, s2)) / short
	if sides > 0.6 || right > 0.3 {
		return t, false
	}
	m := (t.tl.module + t.tr.module + t.bl.module) / 3
	modules := (s1 + s2) / 2 / m
	if modules < 10 || modules > 185 {
		return t, false
	}
	lo := min(t.tl.module, t.tr.module, t.bl.module)
	t.fit = sides + right + (max(t.tl.module, t.tr.module, t.bl.module)-lo)/lo
	return t, true
}
