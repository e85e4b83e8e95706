package qr

import (
	"math"
	"slices"
)

// A finder pattern is the 7×7 square in three corners of every QR code: a dark ring, a
// light ring and a dark 3×3 centre, so any line through its centre crosses dark, light,
// dark, light and dark runs in the ratio 1:1:3:1:1, whatever the code's rotation.

// finder is a candidate finder pattern centre, with its estimated module size in pixels and
// the number of scan rows that confirmed it.
type finder struct {
	x, y   float64
	module float64
	count  int
}

// Bounds that keep a crafted image (say, thousands of fake finder patterns) from making
// the search slow: past maxFinders new candidates are ignored, and the merging of hits
// into candidates stops once mergeBudget comparisons have been spent.
const (
	maxFinders  = 1000
	mergeBudget = 20_000_000
)

// ratioOK reports whether five run lengths are in the ratio 1:1:3:1:1, each run within
// tol4/4 of a module (3/4 of one for the centre run's 3) of the size their total implies,
// and at least one pixel. In integers, times 28, as it runs for every run of every row.
func ratioOK(r *[5]int, tol4 int) bool {
	total := r[0] + r[1] + r[2] + r[3] + r[4]
	if total < 7 || r[0] == 0 || r[1] == 0 || r[2] == 0 || r[3] == 0 || r[4] == 0 {
		return false
	}
	// A module is total/7; 28 × (module − run) = 4 × (total − 7 run), and the tolerance
	// 28 × max(tol4/4 module, 1) = max(tol4 × total, 28).
	v := max(tol4*total, 28)
	return abs(4*(total-7*r[0])) <= v && abs(4*(total-7*r[1])) <= v &&
		abs(4*(3*total-7*r[2])) <= 3*v &&
		abs(4*(total-7*r[3])) <= v && abs(4*(total-7*r[4])) <= v
}

func sum5(r *[5]int) int { return r[0] + r[1] + r[2] + r[3] + r[4] }

// finderSearch holds the state of one search for finder patterns in a binarized image.
type finderSearch struct {
	img     *bitMatrix
	found   []finder
	budget  int
	scratch [5]int
}

// findFinders scans the rows of img for 1:1:3:1:1 runs, confirms each hit across the
// column and a diagonal, and merges hits on the same pattern. It returns the candidates
// seen at least twice (or all of them when fewer than three were).
func findFinders(img *bitMatrix) []finder {
	s := &finderSearch{img: img, budget: mergeBudget}
	// Every row of small and mid-size images; every second row of very tall ones, which is
	// still three or more rows through the centre of a pattern with 2-pixel modules.
	step := 1
	if img.height > 2400 {
		step = 2
	}
	for y := 0; y < img.height && s.budget > 0; y += step {
		s.scanRow(y)
	}
	var out []finder
	for _, f := range s.found {
		if f.count >= 2 {
			out = append(out, f)
		}
	}
	if len(out) < 3 {
		return s.found
	}
	return out
}

// scanRow looks for 1:1:3:1:1 run sequences in row y that start with a dark run.
func (s *finderSearch) scanRow(y int) {
	img := s.img
	if len(s.found) == maxFinders {
		s.forget(y)
	}
	// The last six run boundaries only (b[5] the newest): a row of alternating pixels has a
	// run per pixel, and all of them at once would cost 8 bytes a pixel.
	var b [6]int
	dark := img.get(0, y) // the colour of the run starting at b[0] once six are in
	r := &s.scratch
	for n, x := 0, 0; ; n++ {
		copy(b[:5], b[1:])
		b[5] = x
		if n >= 5 {
			if dark {
				for k := range 5 {
					r[k] = b[k+1] - b[k]
				}
				if ratioOK(r, 2) {
					s.confirm(float64(b[2])+float64(r[2])/2, float64(y), sum5(r))
				}
			}
			dark = !dark
		}
		if x >= img.width {
			return
		}
		x = img.nextChange(x, y)
	}
}

// confirm cross-checks a horizontal hit with centre (cx, cy) along the column, the row
// (again, for a better centre), the column once more and a diagonal, and records it.
func (s *finderSearch) confirm(cx, cy float64, total int) {
	vy, _, ok := s.crossCheck(cx, cy, 0, 1, total)
	if !ok {
		return
	}
	hx, htotal, ok := s.crossCheck(cx, vy, 1, 0, total)
	if !ok {
		return
	}
	vy, vtotal, ok := s.crossCheck(hx, vy, 0, 1, total)
	if !ok {
		return
	}
	if _, _, ok := s.crossCheck(hx, vy, 1, 1, total); !ok {
		return
	}
	s.add(hx, vy, float64(htotal+vtotal)/14)
}

// crossCheck counts the five runs through the point (x, y), which must be dark, along the
// direction (dx, dy): a column, a row or a diagonal. It returns the position along the
// direction's axis of the middle run's centre and the runs' total length, if they are in
// ratio and (along an axis) their total is within 40% of the row's, orig.
func (s *finderSearch) crossCheck(x, y float64, dx, dy, orig int) (float64, int, bool) {
	ix, iy := int(x), int(y)
	var back, fwd [3]int
	if !s.runs3(ix, iy, -dx, -dy, 1, orig, &back) || !s.runs3(ix, iy, dx, dy, 0, orig, &fwd) {
		return 0, 0, false
	}
	r := [5]int{back[2], back[1], back[0] + fwd[0], fwd[1], fwd[2]}
	total := sum5(&r)
	if dx != 0 && dy != 0 {
		// The diagonal of a square is longer, and anti-aliasing blurs it more.
		return 0, total, ratioOK(&r, 3)
	}
	if 5*abs(total-orig) >= 2*orig || !ratioOK(&r, 2) {
		return 0, 0, false
	}
	start := iy
	if dx != 0 {
		start = ix
	}
	return float64(start-back[0]) + float64(r[2])/2, total, true
}

// runs3 measures from (ix, iy), stepping by (dx, dy), the rest of the dark centre, the
// light ring and the dark ring, into r; from is 0 to count the start pixel, 1 to skip it.
// It fails if a run is missing or reaches limit pixels (no run of a pattern is that long,
// and the bound keeps the check cheap in large dark areas).
func (s *finderSearch) runs3(ix, iy, dx, dy, from, limit int, r *[3]int) bool {
	p, dark := from, true
	for k := range 3 {
		for s.img.get(ix+dx*p, iy+dy*p) == dark {
			p++
			r[k]++
			if r[k] >= limit {
				return false
			}
		}
		if r[k] == 0 && (k > 0 || from == 0) {
			return false
		}
		dark = !dark
	}
	return true
}

// forget drops, once the candidates are at their bound, those seen only once that the scan
// has left far behind: a hit on row y or below has its centre within a few of its modules
// of its row and merges only with a candidate within a module of it (of at most twice the
// module), so one more than 10 modules and 10 pixels above row y gains no more hits and
// would not be kept anyway. Without this, the look-alikes of a noisy part of an image take
// all the places and a code below it is never seen.
func (s *finderSearch) forget(y int) {
	s.found = slices.DeleteFunc(s.found, func(f finder) bool {
		return f.count < 2 && f.y+10*f.module+10 < float64(y)
	})
}

// add merges a confirmed hit into the candidate it belongs to, or records a new one.
func (s *finderSearch) add(x, y, module float64) {
	for i := len(s.found) - 1; i >= 0; i-- {
		s.budget--
		f := &s.found[i]
		if math.Abs(f.x-x) <= f.module && math.Abs(f.y-y) <= f.module &&
			math.Abs(f.module-module) <= max(1, f.module) {
			n := float64(f.count)
			f.x = (f.x*n + x) / (n + 1)
			f.y = (f.y*n + y) / (n + 1)
			f.module = (f.module*n + module) / (n + 1)
			f.count++
			return
		}
	}
	if len(s.found) < maxFinders {
		s.found = append(s.found, finder{x: x, y: y, module: module, count: 1})
	}
}
