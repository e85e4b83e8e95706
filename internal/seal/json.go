package seal

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// DecodeStrict decodes data into v refusing what encoding/json lets through by itself:
// unknown, duplicate or differently-cased member names (encoding/json matches names
// case-insensitively and keeps the last of duplicates), invalid UTF-8 including escaped
// lone surrogates (which it would turn into U+FFFD) and trailing data. Every failure wraps
// ErrCorrupt. Envelope fields are all authenticated, so this strictness is what keeps a
// flipped bit in a member name from being silently ignored.
func DecodeStrict(data []byte, v any) error { return decode(data, v, true) }

// DecodeLoose is DecodeStrict without the unknown-member rule, for reading the format
// name and version before knowing which members a version has. Duplicate and
// differently-cased names are still refused.
func DecodeLoose(data []byte, v any) error { return decode(data, v, false) }

func decode(data []byte, v any, strict bool) error {
	if err := check(data, reflect.TypeOf(v), strict); err != nil {
		return fmt.Errorf("%w: %s", ErrCorrupt, err.Error())
	}
	d := json.NewDecoder(bytes.NewReader(data))
	if strict {
		d.DisallowUnknownFields()
	}
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %s", ErrCorrupt, describe(err))
	}
	// check has already refused trailing data; this keeps decode safe on its own.
	if _, err := d.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the JSON value", ErrCorrupt)
	}
	return nil
}

// describe keeps JSON errors short and free of input excerpts (encoding/json quotes the
// offending character or number), which could be secrets once a payload is decrypted.
func describe(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("unexpected value at %s", te.Field)
		}
		return "unexpected value"
	}
	return "invalid JSON"
}

// check reads data as one JSON value (and nothing after it) and refuses the member names
// that encoding/json would accept: duplicates anywhere, names that match a field of the
// Go type t only when case is ignored, and, when strict, names the type does not have.
// It refuses invalid UTF-8 and escaped lone surrogates as well.
//
// The syntax is checked first by json.Valid, so the walk below can read the structure
// byte by byte without a tokenizer: encoding/json's Decoder.Token made reading a
// 500-account vault several times slower than decoding it.
func check(data []byte, t reflect.Type, strict bool) error {
	if !utf8.Valid(data) {
		return errors.New("invalid UTF-8")
	}
	if err := checkSurrogates(data); err != nil {
		return err
	}
	if !json.Valid(data) {
		return syntaxError(json.Unmarshal(data, new(any)))
	}
	w := &walker{data: data, strict: strict}
	return w.value(t, "")
}

// walker reads syntactically valid JSON; peek returns 0 past the end so that even input
// json.Valid let through by mistake cannot make it index out of range.
type walker struct {
	data   []byte
	i      int
	strict bool
}

func (w *walker) peek() byte {
	for w.i < len(w.data) {
		switch c := w.data[w.i]; c {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return c
		}
	}
	return 0
}

// str skips the string at w.i and returns it with its quotes.
func (w *walker) str() []byte {
	start := w.i
	for w.i++; w.i < len(w.data); w.i++ {
		switch w.data[w.i] {
		case '\\':
			w.i++
		case '"':
			w.i++
			return w.data[start:w.i]
		}
	}
	return w.data[start:]
}

// value reads one value that will be decoded into a t (nil: no type to check names
// against, as for interfaces, json.RawMessage or members loose decoding skips).
func (w *walker) value(t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && decodesItself(t) {
		t = nil
	}
	switch w.peek() {
	case '{':
		w.i++
		return w.object(t, path)
	case '[':
		w.i++
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		if w.peek() == ']' {
			w.i++
			return nil
		}
		for i := 0; ; i++ {
			if err := w.value(elem, path+"/"+strconv.Itoa(i)); err != nil {
				return err
			}
			if c := w.peek(); c != ',' {
				w.i++ // ']'
				return nil
			}
			w.i++
		}
	case '"':
		w.str()
	case 0:
		return errors.New("invalid JSON")
	default: // number, true, false, null
		for w.i < len(w.data) && !bytes.ContainsRune([]byte(",]} \t\n\r"), rune(w.data[w.i])) {
			w.i++
		}
	}
	return nil
}

func (w *walker) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields = fieldsOf(t)
		case reflect.Map:
			elem = t.Elem()
		}
	}
	if w.peek() == '}' {
		w.i++
		return nil
	}
	seen := map[string]bool{}
	for {
		if w.peek() != '"' {
			return errors.New("invalid JSON")
		}
		raw := w.str()
		var name string
		if bytes.IndexByte(raw, '\\') < 0 {
			name = string(raw[1 : len(raw)-1])
		} else if err := json.Unmarshal(raw, &name); err != nil {
			return syntaxError(err)
		}
		at := path + "/" + pointerEscape(name)
		if seen[name] {
			return fmt.Errorf("duplicate member %s", at)
		}
		seen[name] = true
		mt := elem
		if fields != nil {
			var ok bool
			if mt, ok = fields[name]; !ok {
				for known := range fields {
					if strings.EqualFold(known, name) { // what encoding/json would match
						return fmt.Errorf("unexpected member %s", at)
					}
				}
				if w.strict {
					return fmt.Errorf("unexpected member %s", at)
				}
			}
		}
		if w.peek() != ':' {
			return errors.New("invalid JSON")
		}
		w.i++
		if err := w.value(mt, at); err != nil {
			return err
		}
		if c := w.peek(); c != ',' {
			w.i++ // '}'
			return nil
		}
		w.i++
	}
}

// fieldCache holds fieldsOf's answers: a vault has hundreds of objects of one type, and
// reflecting over it again for each one cost more than the decoding itself.
var fieldCache sync.Map // reflect.Type → map[string]reflect.Type (never modified once stored)

// fieldsOf returns the JSON member names of struct t and their types.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	fields := map[string]reflect.Type{}
	structFields(t, fields)
	fieldCache.Store(t, fields)
	return fields
}

// structFields adds the JSON member names of struct t and their types to fields, the way
// encoding/json names them: the tag's name or the Go name, embedded structs without a
// tag flattened. (Name conflicts between embedded structs, which encoding/json resolves by
// depth, do not occur in the formats read here.)
func structFields(t reflect.Type, fields map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				structFields(ft, fields)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodesItself reports whether t reads its own JSON (time.Time, json.RawMessage...):
// then its members are not Go fields to check names against.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler)
}

func syntaxError(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(describe(err))
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointerEscape writes a member name as a JSON Pointer token (RFC 6901).
func pointerEscape(name string) string {
	if !strings.ContainsAny(name, "~/") {
		return name
	}
	return pointerEscaper.Replace(name)
}

// checkSurrogates refuses \u escapes of UTF-16 surrogates that do not form a pair:
// encoding/json would decode them to U+FFFD without a word. Malformed JSON is left for
// the decoder to report.
func checkSurrogates(data []byte) error {
	in := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case !in:
			in = c == '"'
		case c == '"':
			in = false
		case c == '\\' && i+1 < len(data):
			i++
			if data[i] != 'u' {
				continue
			}
			r, ok := hex4(data, i+1)
			if !ok {
				continue
			}
			i += 4
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return errors.New("invalid UTF-16 escape")
			case r >= 0xD800 && r <= 0xDBFF:
				if i+2 >= len(data) || data[i+1] != '\\' || data[i+2] != 'u' {
					return errors.New("invalid UTF-16 escape")
				}
				lo, ok := hex4(data, i+3)
				if !ok || lo < 0xDC00 || lo > 0xDFFF {
					return errors.New("invalid UTF-16 escape")
				}
				i += 6
			}
		}
	}
	return nil
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(data[i:i+4]), 16, 16)
	return rune(n), err == nil
}

// FirstMember reports whether data is a JSON object whose first member is name with the
// string value want, looking no further than the first limit bytes. It is the cheap test
// behind Detect.
func FirstMember(data []byte, limit int, name, want string) bool {
	if len(data) > limit {
		data = data[:limit]
	}
	d := json.NewDecoder(bytes.NewReader(data))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	if tok, err := d.Token(); err != nil || tok != name {
		return false
	}
	tok, err := d.Token()
	return err == nil && tok == want
}

// IsObject reports whether raw is one valid JSON object, by the rules of DecodeStrict
// (no duplicate names, valid UTF-8).
func IsObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{' && check(raw, nil, false) == nil
}
