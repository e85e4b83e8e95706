package qr

import (
	"math"
	"sort"
)

// reading is a way to read a code from the image: its size in modules, the transform
// from module coordinates to pixels, and how well the code's fixed patterns match.
type reading struct {
	dim   int
	tr    projective
	score float64
}

// maxDims bounds the code sizes tried for one triple.
const maxDims = 5

// fitTriple finds the best reading of the code whose finder patterns are t. The finder
// distances give the size only roughly (blur widens the patterns, and a few percent off
// is several modules on a large code), so it tries the sizes within 6% (at least 4.5
// modules) of the estimate, nearest first, each with the likeliest alignment patterns and
// the parallelogram's fourth corner, scoring each by the fixed patterns it samples; false
// if none stays on the image.
func fitTriple(img *bitMatrix, t triple) (reading, bool) {
	var best reading
	m := codeModuleSize(img, t)
	if !(m >= 1) { // also NaN
		return best, false
	}
	raw := (dist(t.tl.x, t.tl.y, t.tr.x, t.tr.y)+dist(t.tl.x, t.tl.y, t.bl.x, t.bl.y))/2/m + 7
	tol := max(4.5, 0.06*raw)
	var dims []int
	for d := 21; d <= 177; d += 4 {
		if math.Abs(float64(d)-raw) <= tol {
			dims = append(dims, d)
		}
	}
	if len(dims) == 0 {
		return best, false
	}
	sort.SliceStable(dims, func(i, j int) bool {
		return math.Abs(float64(dims[i])-raw) < math.Abs(float64(dims[j])-raw)
	})
	bx, by := t.tr.x-t.tl.x+t.bl.x, t.tr.y-t.tl.y+t.bl.y
	var aligns []corner
	if dims[0] > 21 || len(dims) > 1 {
		// The alignment centre is 3 modules in from the fourth corner's finder centre.
		c := 1 - 3/(raw-7)
		aligns = findAlignment(img, t.tl.x+c*(bx-t.tl.x), t.tl.y+c*(by-t.tl.y), m, 16*m)
	}
	for _, dim := range dims[:min(len(dims), maxDims)] {
		for _, br := range cornerGuesses(img, t, dim, aligns) {
			tr := gridTransform(t, br, dim)
			if !onImage(img, tr, dim) {
				continue
			}
			if s := structureScore(dim, func(x, y int) bool { return sampleAt(img, &tr, x, y) }); s > best.score {
				best = reading{dim, tr, s}
			}
		}
		if best.score >= 0.97 {
			break
		}
	}
	return best, best.dim != 0
}

// corner is a point of the image that the module point (dim-6.5, dim-6.5) (the centre of
// the bottom-right alignment pattern) or, when align is false, (dim-3.5, dim-3.5) (where a
// fourth finder pattern would be) maps to.
type corner struct {
	x, y  float64
	align bool
}

// cornerGuesses returns the fourth points to try for a dim×dim code: of the alignment
// pattern candidates found (version 2 and up), the three that best match the pattern's 5×5
// template in the code's own orientation, nearest the expected place first among equals;
// then the parallelogram's fourth corner, which is right for flat, unskewed codes.
func cornerGuesses(img *bitMatrix, t triple, dim int, aligns []corner) []corner {
	bx, by := t.tr.x-t.tl.x+t.bl.x, t.tr.y-t.tl.y+t.bl.y
	var out []corner
	if dim > 21 {
		c := 1 - 3/float64(dim-7)
		ex, ey := t.tl.x+c*(bx-t.tl.x), t.tl.y+c*(by-t.tl.y)
		// One module along the code's rows (u) and columns (v).
		n := float64(dim - 7)
		ux, uy := (t.tr.x-t.tl.x)/n, (t.tr.y-t.tl.y)/n
		vx, vy := (t.bl.x-t.tl.x)/n, (t.bl.y-t.tl.y)/n
		type scored struct {
			c     corner
			match int
			d     float64
		}
		var cands []scored
		for _, p := range aligns {
			match := 0
			for j := -2; j <= 2; j++ {
				for i := -2; i <= 2; i++ {
					x := p.x + float64(i)*ux + float64(j)*vx
					y := p.y + float64(i)*uy + float64(j)*vy
					if img.get(int(math.Floor(x)), int(math.Floor(y))) == (max(abs(i), abs(j)) != 1) {
						match++
					}
				}
			}
			if match >= 20 {
				cands = append(cands, scored{p, match, dist(p.x, p.y, ex, ey)})
			}
		}
		sort.SliceStable(cands, func(i, j int) bool {
			if cands[i].match != cands[j].match {
				return cands[i].match > cands[j].match
			}
			return cands[i].d < cands[j].d
		})
		for i := range min(len(cands), 3) {
			out = append(out, cands[i].c)
		}
	}
	return append(out, corner{bx, by, false})
}

// codeModuleSize estimates the module size in pixels along the two sides of the code, from
// the width of the finder patterns measured on the lines between their centres (more
// precise than the patterns' own estimates, and right for rotated codes too).
func codeModuleSize(img *bitMatrix, t triple) float64 {
	fallback := (t.tl.module + t.tr.module + t.bl.module) / 3
	sum, n := 0.0, 0
	for _, p := range [4][2]finder{{t.tl, t.tr}, {t.tr, t.tl}, {t.tl, t.bl}, {t.bl, t.tl}} {
		if w := patternWidth(img, p[0], p[1]); w > 0 {
			sum += w / 7
			n++
		}
	}
	if n == 0 {
		return fallback
	}
	m := sum / float64(n)
	if m < fallback/2 || m > fallback*2 {
		return fallback
	}
	return m
}

// patternWidth measures the finder pattern centred on a across, along the line to b: from
// the centre out to the edge of the dark ring on both sides. It returns 0 if the runs along
// the line do not look like a finder pattern.
func patternWidth(img *bitMatrix, a, b finder) float64 {
	d := dist(a.x, a.y, b.x, b.y)
	if d == 0 {
		return 0
	}
	ux, uy := (b.x-a.x)/d, (b.y-a.y)/d
	limit := int(6*a.module) + 3
	w1, w2 := edgeDistance(img, a.x, a.y, ux, uy, limit), edgeDistance(img, a.x, a.y, -ux, -uy, limit)
	if w1 == 0 || w2 == 0 {
		return 0
	}
	return w1 + w2 - 1
}

// edgeDistance walks from (x, y) in unit steps along (ux, uy) through the dark centre, the
// light ring and the dark ring, and returns how far the first pixel past the dark ring is
// (or the image's edge); 0 if that takes more than limit steps.
func edgeDistance(img *bitMatrix, x, y, ux, uy float64, limit int) float64 {
	state := 0 // 0 dark centre, 1 light ring, 2 dark ring
	for i := 1; i <= limit; i++ {
		px, py := int(math.Floor(x+ux*float64(i))), int(math.Floor(y+uy*float64(i)))
		if px < 0 || py < 0 || px >= img.width || py >= img.height {
			if state == 2 {
				return float64(i)
			}
			return 0
		}
		if img.get(px, py) == (state%2 == 1) { // the colour changed
			state++
			if state == 3 {
				return float64(i)
			}
		}
	}
	return 0
}

// onImage reports whether every module centre of a dim×dim code maps into the image
// through tr, give or take a couple of pixels (the edge modules of a code drawn without a
// quiet zone land just outside). Checking the four corners is enough: a projective map
// whose denominator keeps one sign over the square maps it to a convex quadrilateral.
func onImage(img *bitMatrix, tr projective, dim int) bool {
	const slack = 2
	lo, hi := 0.5, float64(dim)-0.5
	sign := 0.0
	for _, c := range [4][2]float64{{lo, lo}, {hi, lo}, {lo, hi}, {hi, hi}} {
		w := tr[6]*c[0] + tr[7]*c[1] + tr[8]
		if w == 0 || sign != 0 && (w > 0) != (sign > 0) {
			return false
		}
		sign = w
		x, y := tr.apply(c[0], c[1])
		if !(x > -slack && y > -slack && x < float64(img.width)+slack && y < float64(img.height)+slack) {
			return false // also NaN
		}
	}
	return true
}

// sampleAt reads the module in column x, row y: the pixel under its centre.
func sampleAt(img *bitMatrix, tr *projective, x, y int) bool {
	fx, fy := tr.apply(float64(x)+0.5, float64(y)+0.5)
	px := min(max(int(math.Floor(fx)), 0), img.width-1)
	py := min(max(int(math.Floor(fy)), 0), img.height-1)
	return img.get(px, py)
}

// sampleGrid reads all modules of a reading.
func sampleGrid(img *bitMatrix, r reading) *bitGrid {
	g := newBitGrid(r.dim)
	for y := range r.dim {
		for x := range r.dim {
			g.set(x, y, sampleAt(img, &r.tr, x, y))
		}
	}
	return g
}

// structureScore is the share of the modules every n×n code has in fixed places that
// at(x, y) (dark or not) matches: the three finder patterns with their light separators,
// the two timing patterns, and (version 2 and up) the alignment patterns, each part
// weighted alike. A real code, sampled right, scores near 1; a wrong size or noise
// about 0.5. Timing patterns matching less than 70% score 0: the three finder patterns of
// a mix of codes side by side match, but the timing patterns between them do not.
func structureScore(n int, at func(x, y int) bool) float64 {
	finders, fTotal := 0, 0
	for _, o := range [3][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for y := -1; y <= 7; y++ {
			for x := -1; x <= 7; x++ {
				gx, gy := o[0]+x, o[1]+y
				if gx < 0 || gy < 0 || gx >= n || gy >= n {
					continue
				}
				r := max(abs(x-3), abs(y-3)) // ring: 0,1 centre, 2 light, 3 dark, 4 separator
				want := r <= 1 || r == 3
				fTotal++
				if at(gx, gy) == want {
					finders++
				}
			}
		}
	}
	timing, tTotal := 0, 0
	for i := 8; i < n-8; i++ {
		want := i%2 == 0
		tTotal += 2
		if at(i, 6) == want {
			timing++
		}
		if at(6, i) == want {
			timing++
		}
	}
	if 10*timing < 7*tTotal {
		return 0
	}
	score := float64(finders)/float64(fTotal) + float64(timing)/float64(tTotal)
	if n <= 21 {
		return score / 2
	}
	// Every alignment pattern of the version this size implies (not only the bottom-right
	// one): a mix of several codes' finder patterns that happens to line up their timing
	// patterns still fails here.
	centres := alignmentCenters((n - 17) / 4)
	last := len(centres) - 1
	align, aTotal := 0, 0
	for i, cy := range centres {
		for j, cx := range centres {
			if i == 0 && (j == 0 || j == last) || j == 0 && i == last {
				continue // a finder pattern's corner
			}
			for y := -2; y <= 2; y++ {
				for x := -2; x <= 2; x++ {
					aTotal++
					if at(cx+x, cy+y) == (max(abs(x), abs(y)) != 1) {
						align++
					}
				}
			}
		}
	}
	return (score + float64(align)/float64(aTotal)) / 3
}
