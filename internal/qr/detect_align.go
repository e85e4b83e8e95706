package qr

import (
	"math"
	"sort"
)

// An alignment pattern is a 5×5 square (a dark module in a light ring in a dark ring) that
// codes of version 2 and up carry, the one nearest the bottom-right corner 3 modules in
// from where a fourth finder pattern would be: the fourth point of the perspective transform.

// maxAlignCandidates bounds the alignment pattern candidates collected in one search.
const maxAlignCandidates = 30

// findAlignment looks for alignment patterns (a dark module inside a light ring inside a
// dark ring) within radius pixels of (ex, ey), and returns their centres nearest first.
func findAlignment(img *bitMatrix, ex, ey, m, radius float64) []corner {
	x0, x1 := max(int(ex-radius), 0), min(int(ex+radius)+1, img.width)
	y0, y1 := max(int(ey-radius), 0), min(int(ey+radius)+1, img.height)
	if x1-x0 < 3 || y1-y0 < 3 {
		return nil
	}
	var pts []corner
	runs := make([]int, 0, 32)
	// Rows from the estimate outwards, so that the nearest candidates are found before the
	// bound on their number is reached; a row every third of a module still crosses the
	// centre module twice or more, and keeps the search cheap for huge modules.
	step, mid := max(1, int(m/3)), min(max(int(ey), y0), y1-1)
	for k := 0; ; k++ {
		y := mid + (k+1)/2*step
		if k%2 == 1 {
			y = mid - (k+1)/2*step
		}
		if y < y0 && mid+(k+2)/2*step >= y1 {
			break // both ends passed
		}
		if y < y0 || y >= y1 {
			continue
		}
		runs = runs[:0]
		for x := x0; x < x1; x = min(img.nextChange(x, y), x1) {
			runs = append(runs, x)
		}
		runs = append(runs, x1)
		// Light, dark, light with both light runs complete (not cut by the window).
		for i := 1; i+2 < len(runs); i++ {
			if !img.get(runs[i], y) || runs[i-1] == x0 || runs[i+2] == x1 {
				continue
			}
			l1, d, l2 := runs[i]-runs[i-1], runs[i+1]-runs[i], runs[i+2]-runs[i+1]
			if !oneToOne(l1, d, l2, m) {
				continue
			}
			cx := float64(runs[i]) + float64(d)/2
			cy, ok := alignmentColumn(img, int(cx), y, m)
			if !ok {
				continue
			}
			dup := false
			for _, p := range pts {
				if math.Abs(p.x-cx) <= m && math.Abs(p.y-cy) <= m {
					dup = true
					break
				}
			}
			if !dup {
				pts = append(pts, corner{cx, cy, true})
			}
		}
		if len(pts) >= maxAlignCandidates {
			break
		}
	}
	sort.SliceStable(pts, func(i, j int) bool {
		return dist(pts[i].x, pts[i].y, ex, ey) < dist(pts[j].x, pts[j].y, ex, ey)
	})
	return pts
}

// oneToOne reports whether three runs are each about one module (up to 1.5 for a code
// turned 45°, where a line through the centre crosses the modules diagonally).
func oneToOne(a, b, c int, m float64) bool {
	lo, hi := 0.5*m-1, 2*m+1
	for _, n := range [3]int{a, b, c} {
		if float64(n) < lo || float64(n) > hi {
			return false
		}
	}
	mean := float64(a+b+c) / 3
	for _, n := range [3]int{a, b, c} {
		if math.Abs(float64(n)-mean) > 0.5*mean+1 {
			return false
		}
	}
	return true
}

// alignmentColumn cross-checks a row hit on an alignment pattern along its column: light,
// dark, light runs of about a module each, with a dark pixel beyond each light run. It
// returns the centre of the dark run.
func alignmentColumn(img *bitMatrix, x, y int, m float64) (float64, bool) {
	limit := int(3*m) + 2
	up := 0
	for img.get(x, y-up-1) && up < limit {
		up++
	}
	down := 0
	for img.get(x, y+down+1) && down < limit {
		down++
	}
	lu := 0
	for y-up-1-lu >= 0 && !img.get(x, y-up-1-lu) && lu < limit {
		lu++
	}
	ld := 0
	for y+down+1+ld < img.height && !img.get(x, y+down+1+ld) && ld < limit {
		ld++
	}
	if !img.get(x, y-up-2-lu) || !img.get(x, y+down+2+ld) {
		return 0, false
	}
	if !oneToOne(lu, up+down+1, ld, m) {
		return 0, false
	}
	return float64(y-up) + float64(up+down+1)/2, true
}
