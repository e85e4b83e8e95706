package sites

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Host names are compared in their ASCII form after IDNA mapping (UTS 46 with the lookup
// rules of x/net/idna's Lookup profile: non-transitional, STD3 ASCII rules, hyphen rules,
// Bidi and ContextJ rules). toASCII does that conversion; which implementation runs depends
// on the build:
//
//   - native builds (the CLI, the tests): golang.org/x/net/idna (idna_native.go);
//   - js/wasm builds (the extension's programs): the browser's own URL parser, which is an
//     IDNA implementation already in memory (idna_js.go). Linking x/net/idna and the
//     x/text Unicode tables it needs would add ~0.3 MB to every worker start.
//
// The browser applies UTS 46 with the URL standard's options (CheckHyphens and
// UseSTD3ASCIIRules off, CheckBidi and CheckJoiners on), which accepts more than Lookup.
// fromBrowser turns such a converter into the Lookup rules: it refuses up front the ASCII
// that the URL parser would read as URL syntax or drop (only letters, digits, '-' and '.'
// reach it), and checks on its answer what the browser does not (only letters, digits and
// '-' in a label, no leading or trailing hyphen, no "--" in the third and fourth place of a
// label, Punycode labels that decode, to something not all ASCII, and obey the same hyphen
// rules). TestFromBrowserAgreesWithLookup checks, natively, that a converter with the URL
// standard's options wrapped this way answers like Lookup on every name of the tests; run
// under GOOS=js (make test-wasm) the same tests exercise the real URL parser of Node.

var errIDNA = errors.New("not a valid host name")

// fromBrowser wraps urlHostname (a URL-standard domain-to-ASCII: the hostname of
// "http://" + name + "/" as the URL parser reports it) into Lookup's ToASCII.
func fromBrowser(name string, urlHostname func(string) (string, error)) (string, error) {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < utf8.RuneSelf && !ldh(c) && c != '.' {
			return "", errIDNA
		}
	}
	ascii, err := urlHostname(name)
	if err != nil {
		return "", errIDNA
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" {
			continue // empty labels are the caller's to refuse, as with Lookup
		}
		for i := 0; i < len(label); i++ {
			if !ldh(label[i]) {
				return "", errIDNA
			}
		}
		u := label
		if strings.HasPrefix(label, "xn--") {
			if u, err = punyDecode(label[4:]); err != nil {
				return "", errIDNA
			}
			ascii := true
			for i := 0; i < len(u); i++ {
				ascii = ascii && u[i] < utf8.RuneSelf
			}
			if u == "" || ascii || strings.ContainsAny(u, std3Valid) {
				return "", errIDNA
			}
		}
		if !hyphensOK(u) {
			return "", errIDNA
		}
	}
	return ascii, nil
}

// std3Valid are the only characters beyond ASCII that UTS 46 lists as
// disallowed_STD3_valid: each decomposes to an ASCII symbol ('=', '<', '>') and a combining
// mark, so Lookup (UseSTD3Rules) refuses them, while the URL Standard's parser, which does
// not apply STD3 rules, keeps them.
const std3Valid = "\u2260\u226e\u226f"

// ldh reports whether c is a letter, digit or hyphen (the STD3 ASCII rules).
func ldh(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}

// hyphensOK is UTS 46's CheckHyphens on a label (in Unicode form), as x/net/idna applies it.
func hyphensOK(s string) bool {
	if len(s) > 4 && s[2] == '-' && s[3] == '-' {
		return false
	}
	return s == "" || s[0] != '-' && s[len(s)-1] != '-'
}

// punyDecode decodes a Punycode label without its "xn--" prefix (RFC 3492 section 6.2).
func punyDecode(s string) (string, error) {
	const (
		base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	var out []rune
	pos := 0
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for j := 0; j < i; j++ {
			if s[j] >= utf8.RuneSelf {
				return "", errIDNA
			}
			out = append(out, rune(s[j]))
		}
		pos = i + 1
	}
	n, bias, i := int32(initialN), int32(initialBias), int32(0)
	for pos < len(s) {
		oldi, w := i, int32(1)
		for k := int32(base); ; k += base {
			if pos >= len(s) {
				return "", errIDNA
			}
			c := s[pos]
			pos++
			var digit int32
			switch {
			case '0' <= c && c <= '9':
				digit = int32(c-'0') + 26
			case 'a' <= c && c <= 'z':
				digit = int32(c - 'a')
			case 'A' <= c && c <= 'Z':
				digit = int32(c - 'A')
			default:
				return "", errIDNA
			}
			if digit > (1<<31-1-i)/w {
				return "", errIDNA
			}
			i += digit * w
			t := k - bias
			if t < tmin {
				t = tmin
			} else if t > tmax {
				t = tmax
			}
			if digit < t {
				break
			}
			if w > (1<<31-1)/(base-t) {
				return "", errIDNA
			}
			w *= base - t
		}
		// adapt the bias
		numPoints := int32(len(out) + 1)
		delta := i - oldi
		if oldi == 0 {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numPoints
		k := int32(0)
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		bias = k + (base-tmin+1)*delta/(delta+skew)
		if i/numPoints > utf8.MaxRune-n {
			return "", errIDNA
		}
		n += i / numPoints
		i %= numPoints
		if n > utf8.MaxRune || 0xD800 <= n && n <= 0xDFFF {
			return "", errIDNA
		}
		out = append(out, 0)
		copy(out[i+1:], out[i:])
		out[i] = n
		i++
	}
	return string(out), nil
}
