package qr

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// The data bit stream of a QR symbol: segments, each a 4-bit mode indicator, a character
// count and the characters, up to a terminator or the end of the data codewords.

// Mode indicators.
const (
	modeTerminator   = 0x0
	modeNumeric      = 0x1
	modeAlphanumeric = 0x2
	modeStructAppend = 0x3
	modeByte         = 0x4
	modeFNC1First    = 0x5
	modeECI          = 0x7
	modeKanji        = 0x8
	modeFNC1Second   = 0x9
	modeHanzi        = 0xd
)

// alphanumericCharset is the alphanumeric mode's 45 characters, by value.
const alphanumericCharset = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var (
	errTruncated       = errors.New("qr: data ends inside a segment")
	errUnsupported     = errors.New("qr: unsupported mode (kanji or hanzi)")
	errBadUTF8         = errors.New("qr: text declared as UTF-8 is not valid UTF-8")
	errBadECI          = errors.New("qr: bad ECI designator")
	errBadDigits       = errors.New("qr: bad digits in numeric segment")
	errBadAlphanumeric = errors.New("qr: bad alphanumeric segment")
	errPartOfSeveral   = errors.New("qr: the code is one part of a message split across several codes (structured append)")
)

// countBits is the width of the character count for mode in version v.
func countBits(mode, v int) int {
	i := 0
	if v >= 27 {
		i = 2
	} else if v >= 10 {
		i = 1
	}
	switch mode {
	case modeNumeric:
		return 10 + 2*i
	case modeAlphanumeric:
		return 9 + 2*i
	case modeByte:
		return 8 + 8*min(i, 1) // 8 bits, 16 from version 10
	default: // kanji
		return 8 + 2*i
	}
}

// bitReader reads big-endian bit fields from bytes.
type bitReader struct {
	data []byte
	pos  int // in bits
}

func (r *bitReader) left() int { return len(r.data)*8 - r.pos }

// read returns the next n bits (n ≤ 24); it fails when fewer are left.
//
// Kept out of line: inlined at each of its dozen calls it would cost a dozen copies of the
// loop in WebAssembly.
//
//go:noinline
func (r *bitReader) read(n int) (int, error) {
	if n > r.left() {
		return 0, errTruncated
	}
	v := 0
	for range n {
		v = v<<1 | int(r.data[r.pos>>3]>>(7-r.pos&7)&1)
		r.pos++
	}
	return v, nil
}

// parseBitStream turns the data codewords of a version-v symbol into text.
//
// Characters are gathered as bytes and converted to UTF-8 per run of one character set:
// ECI 26 is UTF-8, ECI 1 and 3 ISO-8859-1; with no ECI the bytes are taken as UTF-8 when they
// are valid UTF-8 and as ISO-8859-1 otherwise; under any other ECI they must be valid UTF-8.
func parseBitStream(data []byte, v int) (string, error) {
	r := &bitReader{data: data}
	var out, run []byte
	eci := -1
	fnc1 := false
	var err error
	for {
		// The terminator may be left out (or shortened) when the data fills the symbol.
		mode := modeTerminator
		if r.left() >= 4 {
			mode, _ = r.read(4)
		}
		switch mode {
		case modeFNC1First, modeFNC1Second:
			// GS1 or an application indicator: the data that follows is read as usual.
			fnc1 = true
			if mode == modeFNC1Second {
				_, err = r.read(8)
			}
		case modeStructAppend:
			// Position, count less one and parity of a message split across symbols. One
			// part read alone would pass for the whole text (an otpauth URI cut inside its
			// secret), so only a "split" into one symbol is read.
			var sa int
			if sa, err = r.read(16); err == nil && sa>>8&0xf != 0 {
				err = errPartOfSeveral
			}
		case modeECI, modeTerminator:
			// A new character set, or the end: the characters gathered so far become text.
			next := eci
			if mode == modeECI {
				// The designator: 1, 2 or 3 bytes, told apart by their leading bits.
				var more, low int
				next, err = r.read(8)
				switch {
				case next&0x80 == 0:
				case next&0xc0 == 0x80:
					next, more = next&0x3f, 8
				case next&0xe0 == 0xc0:
					next, more = next&0x1f, 16
				default:
					err = errBadECI
				}
				if err == nil {
					low, err = r.read(more)
					next = next<<more | low
				}
			}
			if err == nil {
				out, err = appendText(out, run, eci)
				run, eci = run[:0], next
			}
			if err == nil && mode == modeTerminator {
				return string(out), nil
			}
		case modeNumeric, modeAlphanumeric, modeByte:
			var n int
			if n, err = r.read(countBits(mode, v)); err != nil {
				break
			}
			switch mode {
			case modeNumeric:
				// Three digits to 10 bits (two to 7, one to 4 at the end).
				for ; n > 0 && err == nil; n -= 3 {
					k := min(n, 3)
					var d int
					d, err = r.read(3*k + 1)
					var digits [3]byte
					for i := k - 1; i >= 0; i-- {
						digits[i] = byte('0' + d%10)
						d /= 10
					}
					if d != 0 { // the value has more than k digits
						err = errBadDigits
					}
					run = append(run, digits[:k]...)
				}
			case modeAlphanumeric:
				// Two characters to 11 bits (one to 6 at the end).
				start := len(run)
				for ; n > 0 && err == nil; n -= 2 {
					k := min(n, 2)
					var d int
					d, err = r.read(5*k + 1)
					if k == 2 && d < 45*45 {
						run = append(run, alphanumericCharset[d/45])
						d %= 45
					}
					if d >= 45 {
						err = errBadAlphanumeric
						break
					}
					run = append(run, alphanumericCharset[d])
				}
				if fnc1 {
					// In FNC1 mode "%" stands for the GS separator and "%%" for a
					// percent sign.
					seg := run[start:]
					w := 0
					for i := 0; i < len(seg); i++ {
						c := seg[i]
						if c == '%' {
							if i+1 < len(seg) && seg[i+1] == '%' {
								i++
							} else {
								c = 0x1d
							}
						}
						seg[w] = c
						w++
					}
					run = run[:start+w]
				}
			default:
				if n*8 > r.left() {
					return "", errTruncated
				}
				for range n {
					b, _ := r.read(8)
					run = append(run, byte(b))
				}
			}
		case modeKanji, modeHanzi:
			err = errUnsupported
		default:
			err = numberedError("qr: unknown mode indicator ", mode, "")
		}
		if err != nil {
			return "", err
		}
	}
}

// numberedError returns the error before+n+after. It is the one place such messages are
// built, so that the number formatting is not repeated in WebAssembly at each.
//
//go:noinline
func numberedError(before string, n int, after string) error {
	return errors.New(before + strconv.Itoa(n) + after)
}

// appendText appends to out, as UTF-8, the bytes b in the character set that ECI eci (-1
// for none) designates.
func appendText(out, b []byte, eci int) ([]byte, error) {
	switch eci {
	case 25, 33, 34, 35: // UTF-16 and UTF-32: their ASCII is valid UTF-8 with NULs between
		return nil, numberedError("qr: unsupported character set (ECI ", eci, ")")
	}
	if eci != 1 && eci != 3 {
		switch {
		case utf8.Valid(b):
			return append(out, b...), nil
		case eci == 26:
			return nil, errBadUTF8
		case eci != -1:
			return nil, numberedError("qr: unsupported character set (ECI ", eci, ")")
		}
	}
	// ISO-8859-1: each byte is the code point of the same value.
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out, nil
}
