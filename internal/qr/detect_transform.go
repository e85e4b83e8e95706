package qr

// projective maps (u, v) to ((a u + b v + c) / (g u + h v + i), (d u + e v + f) / (...)).
type projective [9]float64

func (p *projective) apply(u, v float64) (float64, float64) {
	w := p[6]*u + p[7]*v + p[8]
	return (p[0]*u + p[1]*v + p[2]) / w, (p[3]*u + p[4]*v + p[5]) / w
}

// squareToQuad returns the transform taking the unit square's corners (0,0), (1,0), (1,1),
// (0,1) to the four points given, in that order.
func squareToQuad(q [8]float64) projective {
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]
	dx3, dy3 := x0-x1+x2-x3, y0-y1+y2-y3
	if dx3 == 0 && dy3 == 0 {
		return projective{x1 - x0, x2 - x1, x0, y1 - y0, y2 - y1, y0, 0, 0, 1}
	}
	dx1, dx2, dy1, dy2 := x1-x2, x3-x2, y1-y2, y3-y2
	den := dx1*dy2 - dx2*dy1
	g := (dx3*dy2 - dx2*dy3) / den
	h := (dx1*dy3 - dx3*dy1) / den
	return projective{x1 - x0 + g*x1, x3 - x0 + h*x3, x0, y1 - y0 + g*y1, y3 - y0 + h*y3, y0, g, h, 1}
}

// inverse returns the inverse transform (the adjugate matrix; the scale does not matter).
func (p projective) inverse() projective {
	a, b, c, d, e, f, g, h, i := p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]
	return projective{
		e*i - f*h, c*h - b*i, b*f - c*e,
		f*g - d*i, a*i - c*g, c*d - a*f,
		d*h - e*g, b*g - a*h, a*e - b*d,
	}
}

// times returns p∘q: apply q, then p.
func (p projective) times(q projective) projective {
	var r projective
	for i := range 3 {
		for j := range 3 {
			r[3*i+j] = p[3*i]*q[j] + p[3*i+1]*q[3+j] + p[3*i+2]*q[6+j]
		}
	}
	return r
}

// gridTransform maps module coordinates (the top-left corner of the symbol at 0,0, one unit
// per module) to image pixels, given the finder patterns and the fourth point.
func gridTransform(t triple, br corner, dim int) projective {
	n := float64(dim)
	far := n - 3.5
	if br.align {
		far = n - 6.5
	}
	img := squareToQuad([8]float64{t.tl.x, t.tl.y, t.tr.x, t.tr.y, br.x, br.y, t.bl.x, t.bl.y})
	mod := squareToQuad([8]float64{3.5, 3.5, n - 3.5, 3.5, far, far, 3.5, n - 3.5})
	return img.times(mod.inverse())
}
