package qr

import (
	"errors"
	"strings"
	"testing"
)

// seg is one field of a hand-built bit stream: a value and its width in bits.
type seg struct{ v, n int }

func stream(fields ...seg) []byte {
	w := &bitWriter{}
	for _, f := range fields {
		w.write(f.v, f.n)
	}
	return w.buf
}

func byteSeg(v int, b ...byte) []seg {
	s := []seg{{modeByte, 4}, {len(b), countBits(modeByte, v)}}
	for _, c := range b {
		s = append(s, seg{int(c), 8})
	}
	return s
}

func cat(parts ...[]seg) []seg {
	var all []seg
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}

// TestParseBitStream covers what gozxing's encoder does not write: ECIs of every designator
// length and character set, structured append, FNC1, streams without a terminator, and the
// errors for kanji/hanzi, unknown modes, bad digits and truncated segments.
func TestParseBitStream(t *testing.T) {
	eci := func(n int) []seg {
		switch {
		case n < 128:
			return []seg{{modeECI, 4}, {n, 8}}
		case n < 1<<14:
			return []seg{{modeECI, 4}, {0x8000 | n, 16}}
		}
		return []seg{{modeECI, 4}, {0xc00000 | n, 24}}
	}
	term := []seg{{0, 4}}
	cases := []struct {
		name   string
		v      int
		fields []seg
		want   string
		err    error
	}{
		{"latin1 ECI 3", 1, cat(eci(3), byteSeg(1, 'c', 0xe9), term), "cé", nil},
		{"latin1 ECI 1", 1, cat(eci(1), byteSeg(1, 0xfc), term), "ü", nil},
		{"utf8 ECI 26", 1, cat(eci(26), byteSeg(1, 0xc3, 0xa9), term), "é", nil},
		{"utf8 ECI 26 two-byte designator", 1, cat([]seg{{modeECI, 4}, {0x8000 | 26, 16}}, byteSeg(1, 'o', 'k'), term), "ok", nil},
		{"utf8 ECI 26 invalid", 1, cat(eci(26), byteSeg(1, 0xe9), term), "", errBadUTF8},
		{"other ECI valid utf8", 1, cat(eci(900), byteSeg(1, 0xc3, 0xa9), term), "é", nil},
		{"other ECI invalid", 1, cat(eci(100000), byteSeg(1, 0xe9), term), "", errors.New("unsupported character set (ECI 100000)")},
		{"no ECI utf8", 10, cat(byteSeg(10, 0xf0, 0x9f, 0x94, 0x90), term), "🔐", nil},
		{"no ECI latin1", 10, cat(byteSeg(10, 'a', 0xe9), term), "aé", nil},
		{"utf8 split over two segments", 1, cat(byteSeg(1, 0xc3), byteSeg(1, 0xa9), term), "é", nil},
		{"ECI switch", 1, cat(eci(3), byteSeg(1, 0xe9), eci(26), byteSeg(1, 0xc3, 0xa9)), "éé", nil},
		{"numeric and alphanumeric", 1, cat([]seg{{modeNumeric, 4}, {5, 10}, {123, 10}, {45, 7}, {modeAlphanumeric, 4}, {3, 9}, {10*45 + 11, 11}, {36, 6}}, term), "12345AB ", nil},
		{"structured append of one symbol", 1, cat([]seg{{modeStructAppend, 4}, {0x00ab, 16}}, byteSeg(1, 'x'), term), "x", nil},
		{"structured append part", 1, cat([]seg{{modeStructAppend, 4}, {0x12ab, 16}}, byteSeg(1, 'x'), term), "", errPartOfSeveral},
		{"UTF-16 ECI 25", 1, cat(eci(25), byteSeg(1, 0, 'x'), term), "", errors.New("unsupported character set (ECI 25)")},
		{"FNC1 first", 1, cat([]seg{{modeFNC1First, 4}, {modeAlphanumeric, 4}, {4, 9}, {1*45 + 38, 11}, {38*45 + 38, 11}}, term), "1%\x1d", nil},
		{"FNC1 second", 1, cat([]seg{{modeFNC1Second, 4}, {37, 8}}, byteSeg(1, 'y'), term), "y", nil},
		{"no terminator", 1, byteSeg(1, 'z'), "z", nil},
		{"kanji", 1, []seg{{modeKanji, 4}, {1, 8}, {0x1aaa, 13}}, "", errUnsupported},
		{"hanzi", 1, []seg{{modeHanzi, 4}, {1, 4}, {1, 8}, {0x1aaa, 13}}, "", errUnsupported},
		{"unknown mode", 1, []seg{{0xf, 4}}, "", errors.New("unknown mode")},
		{"bad digits", 1, []seg{{modeNumeric, 4}, {3, 10}, {1000, 10}}, "", errors.New("bad digits")},
		{"bad alphanumeric", 1, []seg{{modeAlphanumeric, 4}, {1, 9}, {45, 6}}, "", errors.New("bad alphanumeric")},
		{"truncated bytes", 1, []seg{{modeByte, 4}, {200, 8}, {'a', 8}}, "", errTruncated},
		{"truncated count", 10, []seg{{modeByte, 4}, {1, 4}}, "", errTruncated},
	}
	for _, c := range cases {
		got, err := parseBitStream(stream(c.fields...), c.v)
		switch {
		case c.err == nil && (err != nil || got != c.want):
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		case c.err != nil && (err == nil || !errors.Is(err, c.err) && !strings.Contains(err.Error(), c.err.Error())):
			t.Errorf("%s: %q, %v; want error %v", c.name, got, err, c.err)
		}
	}
}

// FuzzParseBitStream: any data codewords, any version: text or an error, never a panic,
// and an error never carries the data.
func FuzzParseBitStream(f *testing.F) {
	f.Add([]byte{0x40, 0x16, 0x86, 0x90, 0xec}, byte(1))
	f.Add(stream(cat([]seg{{modeECI, 4}, {26, 8}}, byteSeg(12, 0xc3, 0xa9))...), byte(12))
	f.Add([]byte{0x10, 0x20, 0x0c, 0x56, 0x61, 0x80}, byte(30))
	f.Fuzz(func(t *testing.T, data []byte, v byte) {
		s, err := parseBitStream(data, 1+int(v)%40)
		if err != nil && s != "" {
			t.Fatal("text with an error")
		}
	})
}
