package qr

import (
	"math"
	"testing"
)

// squareToQuad takes the unit square's corners to the quadrilateral's, and a transform
// composed with its inverse is the identity: the perspective maps the sampler relies on.
func TestProjective(t *testing.T) {
	quads := [][8]float64{
		{0, 0, 1, 0, 1, 1, 0, 1},               // identity
		{10, 20, 110, 25, 105, 130, 5, 120},    // a skewed quadrilateral
		{50, 50, 150, 50, 150, 150, 50, 150},   // a square (affine case)
		{300, 10, 310, 300, 20, 290, 10, 20},   // turned a quarter
		{0, 0, 100, 10, 80, 80, 10, 100},       // strong perspective
		{7.5, 3.25, 40.5, 9, 44.75, 50, 2, 41}, // fractional
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
	for _, q := range quads {
		p := squareToQuad(q)
		for i, c := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
			if x, y := p.apply(c[0], c[1]); !near(x, q[2*i]) || !near(y, q[2*i+1]) {
				t.Errorf("%v: corner %v goes to %g,%g, want %g,%g", q, c, x, y, q[2*i], q[2*i+1])
			}
		}
		id := p.times(p.inverse())
		for _, pt := range [3][2]float64{{3, 4}, {-2, 0.5}, {0.25, 0.75}} {
			if x, y := id.apply(pt[0], pt[1]); !near(x, pt[0]) || !near(y, pt[1]) {
				t.Errorf("%v: p∘p⁻¹ takes %v to %g,%g", q, pt, x, y)
			}
		}
	}
}
