package qr

import "errors"

// Reed-Solomon codes over GF(256) as QR uses them: field polynomial x⁸+x⁴+x³+x²+1 (0x11d),
// generator α = 2, and a generator polynomial with roots α⁰…α^(ec-1). A block is a slice of
// codewords, the first the coefficient of the highest power of x.

var errTooManyErrors = errors.New("qr: too many errors to correct")

// gfExp[i] = αⁱ for i in 0..509 (doubled so products need no modulo); gfLog is its inverse
// on 1..255. gfExp has 512 entries so that an index masked with 511 needs no bounds check,
// which keeps each inlined product small in WebAssembly; sums of two logarithms stay below
// 509, so the mask never changes an index.
var gfExp, gfLog = gfTables()

func gfTables() (exp [512]byte, log [256]byte) {
	x := 1
	for i := range 255 {
		exp[i], exp[i+255] = byte(x), byte(x)
		log[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	return
}

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[(int(gfLog[a])+int(gfLog[b]))&511]
}

// gfDiv returns a/b; b must not be 0.
func gfDiv(a, b byte) byte {
	if a == 0 {
		return 0
	}
	return gfExp[(int(gfLog[a])+255-int(gfLog[b]))&511]
}

// rsGenerator returns the generator polynomial of degree n, highest coefficient first
// (always 1, so it is left out): ∏(x − αⁱ) for i < n.
func rsGenerator(n int) []byte {
	g := make([]byte, n+1)
	g[0] = 1
	for i := range n {
		// Multiply by (x + αⁱ), in place, from the lowest coefficient up.
		a := gfExp[i]
		for j := i + 1; j >= 1; j-- {
			g[j] = g[j-1] ^ gfMul(g[j], a)
		}
		g[0] = gfMul(g[0], a)
	}
	// g is lowest coefficient first here; turn it around and drop the leading 1.
	r := make([]byte, n)
	for i := range n {
		r[i] = g[n-1-i]
	}
	return r
}

// rsEncode returns the n error correction codewords for data: the remainder of
// data·xⁿ divided by the generator polynomial.
func rsEncode(data []byte, n int) []byte {
	gen := rsGenerator(n)
	rem := make([]byte, n)
	for _, d := range data {
		f := d ^ rem[0]
		copy(rem, rem[1:])
		rem[n-1] = 0
		for i, g := range gen {
			rem[i] ^= gfMul(g, f)
		}
	}
	return rem
}

// rsCorrect corrects block (data then ec error correction codewords) in place and returns
// how many codewords it changed. It fails with errTooManyErrors when the errors cannot be
// located, which is certain beyond ec/2 of them only if the pattern is detectable at all.
func rsCorrect(block []byte, ec int) (int, error) {
	n := len(block)
	// Syndromes S_j = r(α^j).
	synd := make([]byte, ec)
	clean := true
	for j := range ec {
		var s byte
		for _, c := range block {
			if s != 0 { // s·α^j, in the log domain
				s = gfExp[int(gfLog[s])+j]
			}
			s ^= c
		}
		synd[j] = s
		clean = clean && s == 0
	}
	if clean {
		return 0, nil
	}

	// Berlekamp–Massey: the shortest error locator Λ (lowest coefficient first) whose
	// recurrence generates the syndromes.
	lambda := make([]byte, ec+1)
	prev := make([]byte, ec+1)
	tmp := make([]byte, ec+1)
	lambda[0], prev[0] = 1, 1
	l, m, b := 0, 1, byte(1)
	for k := range ec {
		d := synd[k]
		for i := 1; i <= l; i++ {
			d ^= gfMul(lambda[i], synd[k-i])
		}
		if d == 0 {
			m++
			continue
		}
		// Λ −= d/b · x^m · prev; when the locator must grow, the old Λ becomes prev.
		copy(tmp, lambda)
		coef := gfDiv(d, b)
		for i := 0; i+m <= ec; i++ {
			lambda[i+m] ^= gfMul(coef, prev[i])
		}
		if 2*l <= k {
			l = k + 1 - l
			copy(prev, tmp)
			b, m = d, 1
		} else {
			m++
		}
	}
	if 2*l > ec {
		return 0, errTooManyErrors
	}

	// Error evaluator Ω = S·Λ mod x^ec.
	omega := make([]byte, ec)
	for i := range ec {
		for j := 0; j <= i && j <= l; j++ {
			omega[i] ^= gfMul(synd[i-j], lambda[j])
		}
	}

	// Chien search over the block's positions: the codeword at index p is the coefficient
	// of x^(n-1-p), its locator X = α^(n-1-p); it is in error when Λ(X⁻¹) = 0. Forney then
	// gives the error value X·Ω(X⁻¹)/Λ'(X⁻¹) (first consecutive root α⁰).
	found := 0
	for p := range n {
		e := n - 1 - p
		xinv := gfExp[(255-e%255)%255]
		if polyEval(lambda[:l+1], xinv) != 0 {
			continue
		}
		// Λ' keeps the odd-power terms: Σ λ_i·x^(i-1) for odd i.
		var num, den byte
		num = polyEval(omega, xinv)
		x2 := gfMul(xinv, xinv)
		pw := byte(1)
		for i := 1; i <= l; i += 2 {
			den ^= gfMul(lambda[i], pw)
			pw = gfMul(pw, x2)
		}
		if den == 0 {
			return 0, errTooManyErrors
		}
		block[p] ^= gfMul(gfExp[e%255], gfDiv(num, den))
		found++
	}
	if found != l {
		return 0, errTooManyErrors
	}
	return found, nil
}

// polyEval evaluates p (lowest coefficient first) at x by Horner's rule.
func polyEval(p []byte, x byte) byte {
	var r byte
	for i := len(p) - 1; i >= 0; i-- {
		r = gfMul(r, x) ^ p[i]
	}
	return r
}
