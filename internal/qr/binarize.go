package qr

import "math/bits"

// bitMatrix is a binarized image, one bit per pixel (1 = dark), each row packed into
// 64-bit words: a 40-million-pixel image costs 5 MB rather than 40.
type bitMatrix struct {
	width, height int
	stride        int // words per row
	bits          []uint64
}

func newBitMatrix(width, height int) *bitMatrix {
	stride := (width + 63) / 64
	return &bitMatrix{width: width, height: height, stride: stride, bits: make([]uint64, stride*height)}
}

// get reports whether the pixel at (x, y) is dark; pixels outside the image are light.
func (b *bitMatrix) get(x, y int) bool {
	if x < 0 || y < 0 || x >= b.width || y >= b.height {
		return false
	}
	return b.bits[y*b.stride+x>>6]>>(uint(x)&63)&1 != 0
}

func (b *bitMatrix) set(x, y int) {
	b.bits[y*b.stride+x>>6] |= 1 << (uint(x) & 63)
}

// invert swaps dark and light.
func (b *bitMatrix) invert() {
	last := ^uint64(0) >> (uint(-b.width) & 63) // the bits of a row's last word in the image
	for y := range b.height {
		row := b.bits[y*b.stride : (y+1)*b.stride]
		for i := range row {
			row[i] = ^row[i]
		}
		row[len(row)-1] &= last
	}
}

// nextChange returns the first column ≥ x in row y whose colour differs from that of
// column x, or the width when the row ends first. It skips whole words at a time.
func (b *bitMatrix) nextChange(x, y int) int {
	row := b.bits[y*b.stride : (y+1)*b.stride]
	i := x >> 6
	var flip uint64 // XOR with this makes pixels of x's colour zero
	if row[i]>>(uint(x)&63)&1 != 0 {
		flip = ^uint64(0)
	}
	w := (row[i] ^ flip) >> (uint(x) & 63) << (uint(x) & 63)
	for w == 0 {
		i++
		if i >= len(row) {
			return b.width
		}
		w = row[i] ^ flip
	}
	return min(i<<6+bits.TrailingZeros64(w), b.width)
}

// Parameters of the local threshold, after ZXing's HybridBinarizer.
const (
	blockShift      = 3 // 8×8-pixel blocks
	blockSize       = 1 << blockShift
	minLocalSize    = 5 * blockSize // below this (either side) one global threshold is used
	minDynamicRange = 24            // a block flatter than this is treated as background
)

// binarize turns grey levels into dark and light pixels. Each 8×8 block gets a threshold
// from the average of its 5×5 block neighbourhood, so uneven lighting, grey backgrounds and
// JPEG noise do not matter; tiny images use one threshold for the whole image.
func binarize(img *grayImage) *bitMatrix {
	if !validImage(img) {
		return newBitMatrix(0, 0)
	}
	w, h := img.width, img.height
	m := newBitMatrix(w, h)
	if w < minLocalSize || h < minLocalSize {
		if t, ok := globalThreshold(img.pix[:w*h]); ok {
			for y := range h {
				for x := range w {
					if img.pix[y*w+x] <= t {
						m.set(x, y)
					}
				}
			}
		}
		return m
	}
	bw, bh := (w+blockSize-1)>>blockShift, (h+blockSize-1)>>blockShift
	black := blockLevels(img, bw, bh)
	for by := range bh {
		y0 := min(by<<blockShift, h-blockSize)
		top := min(max(by, 2), bh-3)
		for bx := range bw {
			x0 := min(bx<<blockShift, w-blockSize)
			left := min(max(bx, 2), bw-3)
			sum := 0
			for yy := top - 2; yy <= top+2; yy++ {
				row := black[yy*bw:]
				sum += int(row[left-2]) + int(row[left-1]) + int(row[left]) + int(row[left+1]) + int(row[left+2])
			}
			t := int(sum / 25)
			for y := y0; y < y0+blockSize; y++ {
				p := img.pix[y*w+x0 : y*w+x0+blockSize]
				if x0&7 != 0 { // the last block of a row whose width is not a multiple of 8
					for i, v := range p {
						if int(v) <= t {
							m.set(x0+i, y)
						}
					}
					continue
				}
				// The block's 8 pixels as 8 bits of one word, without branches.
				var dark uint64
				for i, v := range p {
					dark |= uint64((int(v)-t-1)>>63&1) << i
				}
				m.bits[y*m.stride+x0>>6] |= dark << (uint(x0) & 63)
			}
		}
	}
	return m
}

// validImage reports whether img has pixels, all of them (checked without multiplying the
// sides, which a bogus size could overflow).
func validImage(img *grayImage) bool {
	return img != nil && img.width > 0 && img.height > 0 && img.height <= len(img.pix)/img.width
}

// blockLevels returns, for each block, the level below which its pixels count as dark if
// the block alone decided: the block's mean, or for a flat block a guess from its already
// computed neighbours (a flat block inside a dark area is dark, elsewhere it is background).
func blockLevels(img *grayImage, bw, bh int) []byte {
	w, h := img.width, img.height
	black := make([]byte, bw*bh)
	for by := range bh {
		y0 := min(by<<blockShift, h-blockSize)
		for bx := range bw {
			x0 := min(bx<<blockShift, w-blockSize)
			sum, lo, hi := 0, 255, 0
			for y := y0; y < y0+blockSize; y++ {
				for _, v := range img.pix[y*w+x0 : y*w+x0+blockSize] {
					sum += int(v)
					lo = min(lo, int(v))
					hi = max(hi, int(v))
				}
			}
			avg := sum >> (2 * blockShift)
			if hi-lo <= minDynamicRange {
				// Flat: assume background (half the minimum, so nothing here is dark) unless
				// the neighbours already seen say this block sits inside something dark.
				avg = lo / 2
				if by > 0 && bx > 0 {
					nb := (int(black[(by-1)*bw+bx]) + 2*int(black[by*bw+bx-1]) + int(black[(by-1)*bw+bx-1])) / 4
					if lo < nb {
						avg = nb
					}
				}
			}
			black[by*bw+bx] = byte(avg)
		}
	}
	return black
}

// globalThreshold picks one threshold for a whole (small) image by Otsu's method: the
// level that best separates the histogram into two classes. It reports false for an
// image with too little contrast to hold a code.
func globalThreshold(pix []byte) (byte, bool) {
	var hist [256]int
	lo, hi := 255, 0
	for _, v := range pix {
		hist[v]++
		lo = min(lo, int(v))
		hi = max(hi, int(v))
	}
	if hi-lo <= minDynamicRange {
		return 0, false
	}
	total, sumAll := 0, 0.0
	for v, n := range hist {
		total += n
		sumAll += float64(v * n)
	}
	best, bestVar := lo, -1.0
	n0, sum0 := 0, 0.0
	for t := lo; t < hi; t++ {
		n0 += hist[t]
		sum0 += float64(t * hist[t])
		n1 := total - n0
		if n0 == 0 || n1 == 0 {
			continue
		}
		d := sum0/float64(n0) - (sumAll-sum0)/float64(n1)
		if v := float64(n0) * float64(n1) * d * d; v > bestVar {
			best, bestVar = t, v
		}
	}
	return byte(best), true
}
