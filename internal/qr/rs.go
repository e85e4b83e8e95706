package qr

import "errors"

// Reed-Solomon codes over GF(256) as QR uses them: field polynomial x⁸+x⁴+x³+x²+1 (0x11d),
// generator α = 2, and a generator polynomial with roots α⁰…α^(ec-1). A block is a slice of
// codewords, the first the coefficient of the highest power of x.

var errTooManyErrors = errors.New("qr: too many errors to correct")

// gfExp[i] = αⁱ for i in 0..509 (doubled so products need no modulo) and 0 from 510 on;
// gfLog is its inverse on 1..255, and gfLog[0] = 511. A sum of two logarithms where one is
// of 0 thus lands among gfExp's zeros, so products need no test for 0 (branches cost much
// code in WebAssembly). Every such sum is below 1023: masking it with 1023 changes nothing
// and spares a bounds check.
var gfExp, gfLog = gfTables()

func gfTables() (exp [1024]byte, log [256]uint16) {
	x := 1
	for i := range 255 {
		exp[i], exp[i+255] = byte(x), byte(x)
		log[x] = uint16(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	log[0] = 511
	return
}

func gfMul(a, b byte) byte {
	return gfExp[(int(gfLog[a])+int(gfLog[b]))&1023]
}

// gfDiv returns a/b; b must not be 0.
func gfDiv(a, b byte) byte {
	return gfExp[(int(gfLog[a])+255-int(gfLog[b]))&1023]
}

// gfPow returns αᵉ, e ≥ 0.
func gfPow(e int) byte {
	return gfExp[uint(e)%255]
}

// rsGenerator returns the generator polynomial of degree n, highest coefficient first
// (always 1, so it is left out): ∏(x − αⁱ) for i < n.
func rsGenerator(n int) []byte {
	g := make([]byte, n+1)
	g[0] = 1
	for i := range n {
		// Multiply by (x + αⁱ), in place, from the lowest coefficient up.
		a := gfPow(i)
		for j := i + 1; j >= 1; j-- {
			g[j] ^= gfMul(g[j-1], a)
		}
	}
	return g[1:]
}

// rsEncode returns the n error correction codewords for data: the remainder of
// data·xⁿ divided by the generator polynomial.
func rsEncode(data []byte, n int) []byte {
	gen := rsGenerator(n)
	rem := make([]byte, n+1) // a last 0 that shifts in at each step
	for _, d := range data {
		f := d ^ rem[0]
		for i, g := range gen {
			rem[i] = rem[i+1] ^ gfMul(g, f)
		}
	}
	return rem[:n]
}

// rsCorrect corrects block (data then ec error correction codewords) in place and returns
// how many codewords it changed. It fails with errTooManyErrors when the errors cannot be
// located, which is certain beyond ec/2 of them only if the pattern is detectable at all.
func rsCorrect(block []byte, ec int) (int, error) {
	n := len(block)
	// Syndromes S_j = r(α^j).
	synd := make([]byte, ec)
	var all byte // the syndromes ORed together
	for j := range synd {
		var s byte
		a := gfPow(j)
		for _, c := range block {
			s = gfMul(s, a) ^ c
		}
		synd[j] = s
		all |= s
	}
	if all == 0 {
		return 0, nil
	}

	// Berlekamp–Massey: the shortest error locator Λ (lowest coefficient first) whose
	// recurrence generates the syndromes.
	lambda := make([]byte, ec+1)
	prev := make([]byte, ec+1)
	next := make([]byte, ec+1)
	lambda[0], prev[0] = 1, 1
	l, m, b := 0, 1, byte(1)
	for k, d := range synd {
		for i, c := range lambda[1 : l+1] {
			d ^= gfMul(c, synd[k-1-i])
		}
		if d == 0 {
			m++
			continue
		}
		// Λ −= d/b · x^m · prev; when the locator must grow, the old Λ becomes prev.
		copy(next, lambda)
		coef := gfDiv(d, b)
		for i, c := range prev[:ec+1-m] {
			next[i+m] ^= gfMul(coef, c)
		}
		if 2*l <= k {
			l = k + 1 - l
			prev, lambda, next = lambda, next, prev
			b, m = d, 1
		} else {
			lambda, next = next, lambda
			m++
		}
	}
	if 2*l > ec {
		return 0, errTooManyErrors
	}
	lambda = lambda[:l+1]

	// Error evaluator Ω = S·Λ mod x^ec.
	omega := make([]byte, ec)
	for i := range omega {
		var o byte
		for j, c := range lambda[:min(i, l)+1] {
			o ^= gfMul(synd[i-j], c)
		}
		omega[i] = o
	}

	// Chien search over the block's positions: the codeword at index p is the coefficient
	// of x^(n-1-p), its locator X = α^(n-1-p); it is in error when Λ(X⁻¹) = 0. Forney then
	// gives the error value X·Ω(X⁻¹)/Λ'(X⁻¹) (first consecutive root α⁰), which is
	// Ω(X⁻¹)/odd(X⁻¹) where odd is Λ's odd-power part: in characteristic 2, x·Λ'(x) = odd(x).
	found := 0
	for p := range n {
		xinv := gfPow(255 - (n-1-p)%255)
		var all, odd byte
		pw := byte(1) // X⁻ⁱ
		for i, c := range lambda {
			t := gfMul(c, pw)
			all ^= t
			if i%2 == 1 {
				odd ^= t
			}
			pw = gfMul(pw, xinv)
		}
		if all != 0 {
			continue
		}
		if odd == 0 {
			return 0, errTooManyErrors
		}
		block[p] ^= gfDiv(polyEval(omega, xinv), odd)
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
