// Package strictjson reads and writes the JSON of Codeward's own formats (the vault
// payload and envelope, the backup file, the values that cross the WebAssembly bridge)
// without reflection, so that the extension's core links neither encoding/json nor most
// of reflect.
//
// Reading is strict where encoding/json is lenient. A Decoder refuses: invalid UTF-8 and
// \u escapes of lone UTF-16 surrogates (which encoding/json turns into U+FFFD), anything
// after the one value, a member name given twice in any object (encoding/json keeps the
// last), a name that matches a known member only when case is ignored (encoding/json
// matches it), and, in strict objects, names that are not known. Values are read as
// encoding/json reads them into Go values of the same types: null leaves the zero value,
// integers must be integers in range, strings must be strings. Errors name where (a JSON
// Pointer), never what: a decrypted payload's values are secrets.
//
// Writing follows encoding/json's output byte for byte (its string escaping, HTML-safe,
// and its compaction of raw values), so files and replies are what they were when it
// wrote them.
package strictjson

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting, as encoding/json does (it allows 10,000 levels).
const maxDepth = 10000

// A Decoder reads one JSON value from a byte slice, by the rules in the package comment.
// Its methods read the next value of the kind they name; the first error sticks, and
// every later call returns it.
type Decoder struct {
	data  []byte
	i     int
	depth int
	path  []pathElem
	err   error
	lx    *lenientRules // what only a lenient Decoder does; nil for a strict one
}

// lenientRules are the parts of reading that only a lenient Decoder has, reached through
// a pointer that only NewLenientDecoder sets: a program that reads strictly only (the
// WASM core) then links none of them.
type lenientRules struct {
	surrogate   func(d *Decoder, r rune) rune
	nonUTF8     func(d *Decoder, buf []byte, plain int, build bool) ([]byte, int)
	foldedIndex func(names []string, name string) int
}

var lenient = &lenientRules{
	surrogate:   (*Decoder).lenientSurrogate,
	nonUTF8:     (*Decoder).lenientByte,
	foldedIndex: foldedIndex,
}

type pathElem struct {
	name  string
	index int // when name is "" and isIndex
	isIdx bool
}

// NewDecoder starts reading data, which must be valid UTF-8 as a whole.
func NewDecoder(data []byte) *Decoder {
	d := &Decoder{data: data}
	if !utf8.Valid(data) {
		d.err = errors.New("invalid UTF-8")
	}
	return d
}

// NewLenientDecoder starts reading data as encoding/json reads it into Go values, for
// files other programs wrote (the import formats), where the rules of the package comment
// would refuse what users' files hold and encoding/json accepted. It differs from a
// strict Decoder in this only:
//   - invalid UTF-8 in a string and \u escapes of lone surrogates read as U+FFFD, each
//     bad byte and each lone escape one U+FFFD, as encoding/json reads them;
//   - a member name matches a known one exactly or else ignoring case, by encoding/json's
//     folding (ASCII letters, and each rune to the smallest of its Unicode fold set);
//   - a name given twice is read twice (the reader's last assignment wins, as the last
//     value does in encoding/json), and names that match no known one are skipped, in
//     Object as in Loose.
//
// Everything else (syntax, nesting, numbers, null, kinds of values) is as for NewDecoder,
// and JSON that encoding/json refuses is refused. Readers of members that are not
// pointers use StringTo, IntTo and BoolTo, which leave a value as it is for null, and
// pointers StringPtr, IntPtr, Uint64Ptr and BoolPtr, which read null as nil: what
// encoding/json does with a member given twice, the second time as null.
func NewLenientDecoder(data []byte) *Decoder {
	return &Decoder{data: data, lx: lenient}
}

// Err returns the first error met, or nil.
func (d *Decoder) Err() error { return d.err }

// End checks that only white space follows the value read, and returns the first error.
func (d *Decoder) End() error {
	if d.peek(); d.err == nil && d.i < len(d.data) {
		d.err = errors.New("data after the JSON value")
	}
	return d.err
}

func (d *Decoder) fail(err error) error {
	if d.err == nil {
		d.err = err
	}
	return d.err
}

func (d *Decoder) syntax() error {
	return d.fail(errors.New("invalid JSON at byte " + strconv.Itoa(d.i)))
}

// unexpected is a value of the wrong kind for where it stands.
func (d *Decoder) unexpected() error {
	if p := d.pointer(); p != "" {
		return d.fail(errors.New("unexpected value at " + p))
	}
	return d.fail(errors.New("unexpected value"))
}

// pointer is the JSON Pointer (RFC 6901) of the value being read, for error messages.
// Member names come from the input (a decrypted payload, too), so each is cut to
// maxNameInError bytes and control characters are replaced, and the whole pointer is cut
// to maxPointerInError bytes: an error names where, never echoes a long text.
func (d *Decoder) pointer() string {
	var b strings.Builder
	for _, e := range d.path {
		if b.Len() >= maxPointerInError {
			b.WriteString("/…")
			break
		}
		b.WriteByte('/')
		if e.isIdx {
			b.WriteString(strconv.Itoa(e.index))
			continue
		}
		name := e.name
		if len(name) > maxNameInError {
			cut := maxNameInError
			for cut > 0 && !utf8.RuneStart(name[cut]) {
				cut--
			}
			name = name[:cut] + "…"
		}
		for _, c := range []byte(name) {
			switch {
			case c == '~':
				b.WriteString("~0")
			case c == '/':
				b.WriteString("~1")
			case c < 0x20 || c == 0x7f:
				b.WriteByte('?')
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

const (
	maxNameInError    = 32
	maxPointerInError = 160
)

// peek skips white space and returns the next byte, 0 at the end.
func (d *Decoder) peek() byte {
	for d.i < len(d.data) {
		switch c := d.data[d.i]; c {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return c
		}
	}
	return 0
}

// Null reads a null if one comes next and reports whether it did.
func (d *Decoder) Null() bool {
	if d.err != nil || d.peek() != 'n' {
		return false
	}
	d.literal("null")
	return d.err == nil
}

func (d *Decoder) literal(word string) {
	if len(d.data)-d.i < len(word) || string(d.data[d.i:d.i+len(word)]) != word {
		d.syntax()
		return
	}
	d.i += len(word)
}

// String reads a string (null: "").
func (d *Decoder) String() string {
	if d.err != nil || d.Null() {
		return ""
	}
	if d.peek() != '"' {
		d.kindMismatch()
		return ""
	}
	s, _ := d.str(true)
	return s
}

// kindMismatch reports a value of another kind than asked for: an error of type if it is
// well-formed JSON, of syntax otherwise.
func (d *Decoder) kindMismatch() {
	switch d.peek() {
	case '{', '[', '"', 't', 'f', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if d.skip(); d.err == nil {
			d.unexpected()
		}
	default:
		d.syntax()
	}
}

// str reads the string at d.i (its opening quote) and returns it unescaped (when build is
// set), and its raw form with the quotes.
func (d *Decoder) str(build bool) (string, []byte) {
	start := d.i
	d.i++
	var buf []byte // nil while there is no escape: the result is then a plain slice
	plain := d.i
	for {
		if d.i >= len(d.data) {
			d.syntax()
			return "", nil
		}
		c := d.data[d.i]
		switch {
		case c == '"':
			raw := d.data[start : d.i+1]
			var s string
			switch {
			case !build:
			case buf == nil:
				s = string(d.data[plain:d.i])
			default:
				s = string(append(buf, d.data[plain:d.i]...))
			}
			d.i++
			return s, raw
		case c < 0x20:
			d.syntax()
			return "", nil
		case c == '\\':
			if build {
				buf = append(buf, d.data[plain:d.i]...)
			}
			if d.i+1 >= len(d.data) {
				d.syntax()
				return "", nil
			}
			e := d.data[d.i+1]
			d.i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := d.hex4()
				if !ok {
					return "", nil
				}
				if utf16.IsSurrogate(r) && d.lx != nil {
					buf = utf8.AppendRune(buf, d.lx.surrogate(d, r))
					plain = d.i
					continue
				}
				if utf16.IsSurrogate(r) {
					lo := rune(-1)
					if r < 0xDC00 && d.i+1 < len(d.data) && d.data[d.i] == '\\' && d.data[d.i+1] == 'u' {
						d.i += 2
						if lo, ok = d.hex4(); !ok {
							return "", nil
						}
					}
					if r = utf16.DecodeRune(r, lo); r == utf8.RuneError {
						d.fail(errors.New("invalid UTF-16 escape"))
						return "", nil
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				d.i--
				d.syntax()
				return "", nil
			}
			plain = d.i
		case c >= utf8.RuneSelf && d.lx != nil:
			buf, plain = d.lx.nonUTF8(d, buf, plain, build)
		default:
			d.i++
		}
	}
}

// lenientByte reads the rune at d.i, or an invalid byte there as U+FFFD (appended to buf
// after what it holds from plain on, when building): what encoding/json makes of bytes
// that are not UTF-8. It returns buf and where plain text starts now.
func (d *Decoder) lenientByte(buf []byte, plain int, build bool) ([]byte, int) {
	r, size := utf8.DecodeRune(d.data[d.i:])
	if r != utf8.RuneError || size != 1 {
		d.i += size
		return buf, plain
	}
	if build {
		buf = append(buf, d.data[plain:d.i]...)
		buf = utf8.AppendRune(buf, utf8.RuneError)
	}
	d.i++
	return buf, d.i
}

// lenientSurrogate returns what encoding/json makes of the surrogate r read from a \u
// escape: the rune of the pair it starts with the \u escape that follows (which is then
// read), or U+FFFD (and the escape that follows, if any, is read on its own).
func (d *Decoder) lenientSurrogate(r rune) rune {
	if len(d.data)-d.i < 6 || d.data[d.i] != '\\' || d.data[d.i+1] != 'u' {
		return utf8.RuneError
	}
	lo, ok := hexRune(d.data[d.i+2 : d.i+6])
	if !ok {
		return utf8.RuneError
	}
	pair := utf16.DecodeRune(r, lo)
	if pair != utf8.RuneError {
		d.i += 6
	}
	return pair
}

func (d *Decoder) hex4() (rune, bool) {
	if len(d.data)-d.i < 4 {
		d.i = len(d.data)
		d.syntax()
		return 0, false
	}
	r, ok := hexRune(d.data[d.i : d.i+4])
	if !ok {
		// Where the syntax error is: the first byte that is not a hex digit.
		for isHex(d.data[d.i]) {
			d.i++
		}
		d.syntax()
		return 0, false
	}
	d.i += 4
	return r, true
}

// hexRune is the value of the four hex digits in b, or false if one is not a hex digit.
func hexRune(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// number reads a JSON number and returns its text.
func (d *Decoder) number() []byte {
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.data) && '0' <= d.data[d.i] && d.data[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.i < len(d.data) && d.data[d.i] == '-' {
		d.i++
	}
	if d.i < len(d.data) && d.data[d.i] == '0' {
		d.i++
	} else if digits() == 0 {
		d.syntax()
		return nil
	}
	if d.i < len(d.data) && d.data[d.i] == '.' {
		d.i++
		if digits() == 0 {
			d.syntax()
			return nil
		}
	}
	if d.i < len(d.data) && (d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		d.i++
		if d.i < len(d.data) && (d.data[d.i] == '+' || d.data[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			d.syntax()
			return nil
		}
	}
	return d.data[start:d.i]
}

// Int reads an integer that fits in bits bits (null: 0). A fraction, an exponent or a
// value out of range is an unexpected value, as for encoding/json.
func (d *Decoder) Int(bits int) int64 {
	text := d.numberText()
	if text == nil {
		return 0
	}
	n, err := strconv.ParseInt(string(text), 10, bits)
	if err != nil {
		d.unexpected()
		return 0
	}
	return n
}

// Uint reads a non-negative integer that fits in bits bits (null: 0).
func (d *Decoder) Uint(bits int) uint64 {
	text := d.numberText()
	if text == nil {
		return 0
	}
	n, err := strconv.ParseUint(string(text), 10, bits)
	if err != nil {
		d.unexpected()
		return 0
	}
	return n
}

// numberText returns the next number's text, or nil for null and on errors.
func (d *Decoder) numberText() []byte {
	if d.err != nil || d.Null() {
		return nil
	}
	if c := d.peek(); c != '-' && (c < '0' || c > '9') {
		d.kindMismatch()
		return nil
	}
	return d.number()
}

// RawString reads a string and returns it as it stands in the input, quotes included
// (null: nil), for types that read their own text.
func (d *Decoder) RawString() []byte {
	if d.err != nil || d.Null() {
		return nil
	}
	if d.peek() != '"' {
		d.kindMismatch()
		return nil
	}
	_, raw := d.str(false)
	return raw
}

// Raw reads any value, checked by the same rules, and returns its bytes as they stand in
// the input (null included).
func (d *Decoder) Raw() []byte {
	if d.err != nil {
		return nil
	}
	d.peek()
	start := d.i
	d.skip()
	if d.err != nil {
		return nil
	}
	return d.data[start:d.i]
}

// skip reads any value, refusing duplicate member names in its objects.
func (d *Decoder) skip() {
	switch c := d.peek(); {
	case c == '{':
		d.Object(nil, func(int, string) { d.skip() })
	case c == '[':
		d.Array(func() { d.skip() })
	case c == '"':
		d.str(false)
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		d.number()
	default:
		d.syntax()
	}
}

// Object reads an object (null: nothing) whose known member names are names. For each
// member it calls member with the index of its name in names and the name, positioned
// at the value, which member must read. Names given twice are refused; a name that is
// not known is refused when it matches a known one but for case, and otherwise passed to
// member with index -1 when names is nil (any name goes: the caller reads the value) or
// refused (strict). See Loose for objects whose other members are skipped.
func (d *Decoder) Object(names []string, member func(i int, name string)) {
	d.object(names, false, member)
}

// Loose is Object for a reader that looks at some members only: unknown names (that do
// not match a known one but for case) are skipped, their values still checked.
func (d *Decoder) Loose(names []string, member func(i int, name string)) {
	d.object(names, true, member)
}

func (d *Decoder) object(names []string, loose bool, member func(int, string)) {
	if d.err != nil || d.Null() {
		return
	}
	if d.peek() != '{' {
		d.kindMismatch()
		return
	}
	if d.depth++; d.depth > maxDepth {
		d.fail(errors.New("JSON nested too deeply"))
		return
	}
	defer func() { d.depth-- }()
	d.i++
	if d.peek() == '}' {
		d.i++
		return
	}
	var seenKnown uint64 // bit i: names[i] was read (names has at most 64 entries)
	var seen []string    // other names read; objects here have few members
	var seenSet map[string]bool
	for {
		if d.peek() != '"' {
			d.syntax()
			return
		}
		_, raw := d.str(false)
		if d.err != nil {
			return
		}
		idx, name := -1, ""
		content := raw[1 : len(raw)-1]
		escaped := bytes.IndexByte(content, '\\') >= 0 || d.lx != nil && !utf8.Valid(content)
		if escaped {
			name, _ = (&Decoder{data: raw, lx: d.lx}).str(true)
		}
		for j, n := range names {
			if !escaped && n == string(content) || escaped && n == name {
				idx, name = j, n
				break
			}
		}
		if idx < 0 && !escaped {
			name = string(content)
		}
		// Lenient: a name matches a known one ignoring case, and a member may come again (its
		// last value wins), as encoding/json reads them.
		if d.lx != nil && idx < 0 && names != nil {
			if idx = d.lx.foldedIndex(names, name); idx >= 0 {
				name = names[idx]
			}
		}
		d.path = append(d.path, pathElem{name: name})
		if d.lx == nil {
			switch {
			case idx >= 0 && idx < 64:
				if seenKnown&(1<<idx) != 0 {
					d.fail(errors.New("duplicate member " + d.pointer()))
					return
				}
				seenKnown |= 1 << idx
			case seenSet != nil:
				if seenSet[name] {
					d.fail(errors.New("duplicate member " + d.pointer()))
					return
				}
				seenSet[name] = true
			default:
				for _, s := range seen {
					if s == name {
						d.fail(errors.New("duplicate member " + d.pointer()))
						return
					}
				}
				if seen = append(seen, name); len(seen) > 16 {
					seenSet = make(map[string]bool, 32)
					for _, s := range seen {
						seenSet[s] = true
					}
				}
			}
			if idx < 0 && names != nil {
				for _, n := range names {
					if strings.EqualFold(n, name) { // what encoding/json would match
						d.fail(errors.New("unexpected member " + d.pointer()))
						return
					}
				}
				if !loose {
					d.fail(errors.New("unexpected member " + d.pointer()))
					return
				}
			}
		}
		if d.peek() != ':' {
			d.syntax()
			return
		}
		d.i++
		if idx < 0 && names != nil {
			d.skip()
		} else {
			d.peek()
			member(idx, name)
		}
		if d.err != nil {
			return
		}
		d.path = d.path[:len(d.path)-1]
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return
		default:
			d.syntax()
			return
		}
	}
}

// foldedIndex is the index of the first of names that name matches when both are folded
// as encoding/json folds member names, or -1.
func foldedIndex(names []string, name string) int {
	folded := fold(name)
	for i, n := range names {
		if fold(n) == folded {
			return i
		}
	}
	return -1
}

// fold is encoding/json's folding of a member name: ASCII letters to upper case, any other
// rune to the smallest rune of its Unicode fold set (so "K", "k" and the Kelvin sign K are
// one), invalid UTF-8 as U+FFFD.
func fold(name string) string {
	b := make([]byte, 0, len(name))
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z':
			r -= 'a' - 'A'
		case r >= utf8.RuneSelf:
			for {
				next := unicode.SimpleFold(r)
				if next <= r {
					r = next
					break
				}
				r = next
			}
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// Array reads an array (null: nothing), calling elem for each element, which elem must
// read.
func (d *Decoder) Array(elem func()) {
	if d.err != nil || d.Null() {
		return
	}
	if d.peek() != '[' {
		d.kindMismatch()
		return
	}
	if d.depth++; d.depth > maxDepth {
		d.fail(errors.New("JSON nested too deeply"))
		return
	}
	defer func() { d.depth-- }()
	d.i++
	if d.peek() == ']' {
		d.i++
		return
	}
	for n := 0; ; n++ {
		d.path = append(d.path, pathElem{index: n, isIdx: true})
		d.peek()
		elem()
		if d.err != nil {
			return
		}
		d.path = d.path[:len(d.path)-1]
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.syntax()
			return
		}
	}
}

// IsNull reports whether the next value is null, without reading it.
func (d *Decoder) IsNull() bool {
	return d.err == nil && d.peek() == 'n'
}

// Strings reads an array of strings; null reads as nil, as do null elements as "".
func (d *Decoder) Strings() []string {
	if d.IsNull() {
		d.Null()
		return nil
	}
	out := []string{}
	d.Array(func() { out = append(out, d.String()) })
	return out
}

// Valid reports whether data is one JSON value by the Decoder's rules (valid UTF-8, no
// lone surrogate escapes, no duplicate member names, nothing after it).
func Valid(data []byte) bool {
	d := NewDecoder(data)
	d.skip()
	return d.End() == nil
}

// IsObject is Valid for a JSON object.
func IsObject(data []byte) bool {
	d := NewDecoder(data)
	return d.peek() == '{' && Valid(data)
}

// FirstMember reports whether data, read no further than its first limit bytes, starts
// as a JSON object whose first member is name with the string value want. What follows
// may be cut off or anything: it is the cheap test of a file's kind.
func FirstMember(data []byte, limit int, name, want string) bool {
	if len(data) > limit {
		data = data[:limit]
	}
	d := &Decoder{data: data}
	if d.peek() != '{' {
		return false
	}
	d.i++
	if d.peek() != '"' {
		return false
	}
	got, _ := d.str(true)
	if d.err != nil || got != name || d.peek() != ':' {
		return false
	}
	d.i++
	if d.peek() != '"' {
		return false
	}
	v, raw := d.str(true)
	return d.err == nil && utf8.Valid(raw) && v == want
}

// Fail records err (unless an error came first) and returns the first error.
func (d *Decoder) Fail(err error) error { return d.fail(err) }

// Bool reads true or false (null: false).
func (d *Decoder) Bool() bool {
	if d.err != nil || d.Null() {
		return false
	}
	switch d.peek() {
	case 't':
		d.literal("true")
		return d.err == nil
	case 'f':
		d.literal("false")
		return false
	}
	d.kindMismatch()
	return false
}

// Raws reads an array of any values, each as Raw returns it; null reads as nil and [] as
// an empty list that is not nil (as encoding/json reads a []json.RawMessage).
func (d *Decoder) Raws() [][]byte {
	if d.IsNull() {
		d.Null()
		return nil
	}
	out := [][]byte{}
	d.Array(func() { out = append(out, d.Raw()) })
	return out
}

// StringTo reads a string into *p; null leaves *p as it is, as encoding/json leaves a
// member of a non-pointer type.
func (d *Decoder) StringTo(p *string) {
	if !d.Null() {
		*p = d.String()
	}
}

// IntTo reads an int into *p; null leaves *p as it is.
func (d *Decoder) IntTo(p *int) {
	if !d.Null() {
		*p = int(d.Int(strconv.IntSize))
	}
}

// BoolTo reads true or false into *p; null leaves *p as it is.
func (d *Decoder) BoolTo(p *bool) {
	if !d.Null() {
		*p = d.Bool()
	}
}

// StringPtr reads a string, or nil for null (a *string member, as encoding/json sets it).
func (d *Decoder) StringPtr() *string {
	if d.Null() {
		return nil
	}
	s := d.String()
	return &s
}

// IntPtr reads an int, or nil for null.
func (d *Decoder) IntPtr() *int {
	if d.Null() {
		return nil
	}
	n := int(d.Int(strconv.IntSize))
	return &n
}

// Uint64Ptr reads a uint64, or nil for null.
func (d *Decoder) Uint64Ptr() *uint64 {
	if d.Null() {
		return nil
	}
	n := d.Uint(64)
	return &n
}

// BoolPtr reads true or false, or nil for null.
func (d *Decoder) BoolPtr() *bool {
	if d.Null() {
		return nil
	}
	b := d.Bool()
	return &b
}

// ValidLenient reports whether data is one JSON value as encoding/json's Valid says: the
// syntax only (invalid UTF-8 in strings, lone surrogate escapes and names given twice
// pass).
func ValidLenient(data []byte) bool {
	d := NewLenientDecoder(data)
	d.skip()
	return d.End() == nil
}

// ArrayInto reads an array into *list as encoding/json reads one into a slice: null sets
// nil, [] an empty slice, and element i is read by elem into the slice's i-th value,
// which is the value an earlier read left there (a member given twice reads over the
// first list, objects member by member) or else the zero value. The slice is then cut to
// the array's length.
func ArrayInto[T any](d *Decoder, list *[]T, elem func(*T)) {
	if d.IsNull() {
		d.Null()
		*list = nil
		return
	}
	s, n := *list, 0
	var zero T
	d.Array(func() {
		if n >= cap(s) {
			s = append(s[:cap(s)], zero)[:len(s)]
		}
		if n >= len(s) {
			s = s[:n+1]
		}
		elem(&s[n])
		n++
	})
	if d.err != nil {
		return
	}
	if s == nil {
		s = []T{}
	}
	*list = s[:n]
}
