package strictjson

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// target is read by readTarget with the Decoder, the way the formats' readers use it.
type target struct {
	A    int64
	In   *inner
	List []inner
	Raw  []byte
	Name string
	U    uint64
	S    []string
}

type inner struct{ N int64 }

func readInner(d *Decoder) inner {
	var v inner
	d.Object([]string{"n"}, func(int, string) { v.N = d.Int(64) })
	return v
}

func readTarget(data []byte) (target, error) {
	var v target
	d := NewDecoder(data)
	d.Object([]string{"a", "in", "list", "raw", "name", "u", "s"}, func(i int, _ string) {
		switch i {
		case 0:
			v.A = d.Int(32)
		case 1:
			if !d.Null() {
				in := readInner(d)
				v.In = &in
			}
		case 2:
			d.Array(func() { v.List = append(v.List, readInner(d)) })
		case 3:
			v.Raw = d.Raw()
		case 4:
			v.Name = d.String()
		case 5:
			v.U = d.Uint(8)
		case 6:
			v.S = d.Strings()
		}
	})
	return v, d.End()
}

func TestDecoderRefuses(t *testing.T) {
	for _, in := range []string{
		`{"a":1,"b":2}`,              // unknown
		`{"A":1}`,                    // case
		`{"a":1,"a":2}`,              // duplicate
		`{"a":1} x`,                  // trailing data
		`{"a":1} {"a":1}`,            // a second value
		"{\"a\":1,\"\xff\":1}",       // invalid UTF-8
		`{"a":"1"}`,                  // type
		`{"a":1.5}`,                  // fraction into an integer
		`{"a":1e2}`,                  // exponent into an integer
		`{"a":4294967296}`,           // out of range
		`{"u":-1}`,                   // negative into unsigned
		`{"u":256}`,                  // out of range
		`{"in":{"N":1}}`,             // case, nested
		`{"in":{"n":1,"n":1}}`,       // duplicate, nested
		`{"list":[{"n":1},{"m":1}]}`, // unknown, in an array
		`{"raw":{"x":1,"x":2}}`,      // duplicate inside a raw value
		`{"raw":[{"x":1,"x":2}]}`,    // duplicate deeper inside
		"{\"\u212a\":1}",             // K (Kelvin sign), which encoding/json folds to k... (no "k" here: unknown)
		"{\"N\u212a\":1}",
		`{"name":"\ud800"}`,       // lone high surrogate
		`{"name":"\udc00x"}`,      // lone low surrogate
		`{"name":"\ud800\u0041"}`, // high surrogate, then no low one
		`{"raw":"\udfff"}`,        // in a raw value too
		`{"name":"a` + "\x01" + `"}`,
		`{"name":"\x"}`,
		`{"a":01}`,
		`{"a":-}`,
		`{"a":1.}`,
		`{"a":}`,
		`{"a":1,}`,
		`{"a" 1}`,
		`{"raw":tru}`,
		`{"raw":[1,]}`,
		`{"s":["a",1]}`,
		`{"a":`, // truncated
		`{`,
		``,
		` `,
		`[]`,
		`"x"`,
	} {
		if _, err := readTarget([]byte(in)); err == nil {
			t.Errorf("read %q: no error", in)
		}
	}
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	if Valid([]byte(deep)) {
		t.Error("Valid accepted nesting deeper than encoding/json allows")
	}
}

func TestDecoderReads(t *testing.T) {
	v, err := readTarget([]byte(` {"a":-7,"in":{"n":2},"list":[{"n":1},{"n":3}],"raw":{"big":1e400,"Same":1,"same":2, "x":[null,true]},"name":"\ud83d\ude00 \\ud800 \u00e9\/\"","u":255,"s":["x",null]}` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v.A != -7 || v.In == nil || v.In.N != 2 || len(v.List) != 2 || v.List[1].N != 3 || v.U != 255 ||
		string(v.Raw) != `{"big":1e400,"Same":1,"same":2, "x":[null,true]}` || v.Name != "\U0001F600 \\ud800 é/\"" ||
		len(v.S) != 2 || v.S[1] != "" {
		t.Errorf("read %+v", v)
	}
	v, err = readTarget([]byte(`{"a":null,"in":null,"list":null,"name":null,"s":null,"raw":null}`))
	if err != nil || v.A != 0 || v.In != nil || v.List != nil || v.Name != "" || v.S != nil || string(v.Raw) != "null" {
		t.Errorf("nulls read as %+v, %v", v, err)
	}
}

func TestLoose(t *testing.T) {
	read := func(in string) (string, error) {
		var format string
		d := NewDecoder([]byte(in))
		d.Loose([]string{"format"}, func(int, string) { format = d.String() })
		return format, d.End()
	}
	if f, err := read(`{"other":{"a":[1]},"format":"x"}`); err != nil || f != "x" {
		t.Errorf("Loose: %q, %v", f, err)
	}
	for _, in := range []string{
		`{"Format":"x"}`, // would match "format" in encoding/json
		`{"format":"x","format":"y"}`,
		`{"format":"x","other":{"a":1,"a":2}}`, // duplicates in skipped members too
		`{"format":"x","other":"\ud800"}`,
		`{"format":"x"} 1`,
	} {
		if _, err := read(in); err == nil {
			t.Errorf("Loose(%q): no error", in)
		}
	}
}

// Error messages name where (member names, as a JSON Pointer), never what: a decrypted
// payload's values are secrets.
func TestErrorsHoldNoInput(t *testing.T) {
	for _, in := range []string{
		`{"a":"SECRETVALUE"}`,
		`{"a":SECRETVALUE}`,
		`{"a":1e999}`,
		`{"a":99999999999}`,
		`{"name":SECRETVALUE}`,
		`{"list":[{"n":"SECRET"}]}`,
	} {
		_, err := readTarget([]byte(in))
		if err == nil {
			t.Fatalf("read %q: no error", in)
		}
		if msg := err.Error(); strings.Contains(msg, "SECRET") || strings.Contains(msg, "999") || strings.Contains(msg, "'") {
			t.Errorf("read %q: the error quotes the input: %s", in, msg)
		}
	}
	_, err := readTarget([]byte(`{"list":[{"n":1},{"n":"x"}]}`))
	if err == nil || err.Error() != "unexpected value at /list/1/n" {
		t.Errorf("error = %v, want it to point at /list/1/n", err)
	}
	_, err = readTarget([]byte(`{"raw":{"a/b~":{"x":1,"x":2}}}`))
	if err == nil || err.Error() != "duplicate member /raw/a~1b~0/x" {
		t.Errorf("error = %v, want a JSON Pointer", err)
	}
	// Member names come from the input: long ones are cut, control characters replaced, and a
	// deep pointer ends early.
	long := strings.Repeat("é", 40) + "TAIL"
	_, err = readTarget([]byte(`{"raw":{"` + long + `\n":{"x":1,"x":2}}}`))
	if err == nil || strings.Contains(err.Error(), "TAIL") || len(err.Error()) > 100 || !strings.HasPrefix(err.Error(), "duplicate member /raw/éé") {
		t.Errorf("a long member name: error = %v", err)
	}
	_, err = readTarget([]byte(`{"raw":{"a\u0007b":{"x":1,"x":2}}}`))
	if err == nil || err.Error() != "duplicate member /raw/a?b/x" {
		t.Errorf("a control character in a member name: error = %v", err)
	}
	deep := strings.Repeat(`{"abcdefghij":`, 100) + `{"x":1,"x":2}` + strings.Repeat(`}`, 100)
	_, err = readTarget([]byte(`{"raw":` + deep + `}`))
	if err == nil || len(err.Error()) > 220 || !strings.HasSuffix(err.Error(), "/…") {
		t.Errorf("a deep pointer: error = %v", err)
	}
}

func TestIsObjectAndFirstMember(t *testing.T) {
	for in, want := range map[string]bool{
		`{}`:             true,
		` {"a":[1,{}]} `: true,
		`{"a":1,"a":2}`:  false,
		`{"a":"\udc00"}`: false,
		`[]`:             false,
		`{"a":1}x`:       false,
		"{\"\xff\":1}":   false,
		``:               false,
	} {
		if got := IsObject([]byte(in)); got != want {
			t.Errorf("IsObject(%q) = %v", in, got)
		}
	}
	for in, want := range map[string]bool{
		`{"format": "codeward-backup", "version": 1`:  true, // cut off after the first member
		` { "format" : "codeward-\u0062ackup"}`:       true,
		`{"format": "codeward-backup"`:                true,
		`{"version": 1, "format": "codeward-backup"}`: false,
		`{"format": "codeward-backup2"}`:              false,
		`{"Format": "codeward-backup"}`:               false,
		`["format", "codeward-backup"]`:               false,
		`{"format": "codeward-back`:                   false,
	} {
		if got := FirstMember([]byte(in), 1024, "format", "codeward-backup"); got != want {
			t.Errorf("FirstMember(%q) = %v", in, got)
		}
	}
	if FirstMember([]byte(`{"format": "codeward-backup"}`), 20, "format", "codeward-backup") {
		t.Error("FirstMember looked past its limit")
	}
}

func TestAppendMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "q\"b\\s/", "<a href='x'>&amp;</a>", "\b\f\n\r\t\x00\x01\x1f\x7f",
		"é 例 😀", "\u2028\u2029", "bad \xff utf-8 \xe2\x80", "\ufffd"} {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
	for _, raw := range []string{`{}`, ` { "a" : [ 1 , 2.5e3 , "x <y> & \u0041 \" \\ \u2028" , null ] , "b":{ } } `, `"\u2029 ` + "\u2028\u2029" + `"`, `[ ]`} {
		want, err := json.Marshal(json.RawMessage(raw))
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendCompact(nil, []byte(raw))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("AppendCompact(%q) = %s, %v; want %s", raw, got, err, want)
		}
	}
	if _, err := AppendCompact(nil, []byte(`{"a":1,"a":2}`)); err == nil {
		t.Error("AppendCompact accepted a duplicate member")
	}
	if got := string(AppendStrings(nil, nil)); got != "null" {
		t.Errorf("AppendStrings(nil) = %s", got)
	}
	if got := string(AppendStrings(nil, []string{"a", "<"})); got != `["a","\u003c"]` {
		t.Errorf("AppendStrings = %s", got)
	}
}

// FuzzDecoder: the Decoder never accepts what encoding/json refuses, refuses what it
// accepts only for this package's own rules, reads strings as encoding/json does, and
// AppendCompact writes what encoding/json writes for a raw value.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":1,"a":2}`, `[1,"\ud800"]`, `{"raw":{"Same":1,"same":2}}`,
		`"\ud83d\ude00 <&>"`, `[1e400, -0, 0.5, true, false, null]`, "\"\u2028\"", `{"a":[{"b":{}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ok := Valid(data)
		std := json.Valid(data)
		if ok && !std {
			t.Fatalf("Valid(%q) but encoding/json refuses it", data)
		}
		if std && !ok {
			d := NewDecoder(data)
			d.skip()
			err := d.End()
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			if !strings.HasPrefix(msg, "duplicate member") && msg != "invalid UTF-16 escape" && msg != "invalid UTF-8" && msg != "JSON nested too deeply" {
				t.Fatalf("%q: refused with %q although only encoding/json's rules apply", data, msg)
			}
		}
		if !ok {
			return
		}
		got, err := AppendCompact(nil, data)
		want, err2 := json.Marshal(json.RawMessage(data))
		if err != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Fatalf("AppendCompact(%q) = %s, %v; encoding/json: %s, %v", data, got, err, want, err2)
		}
		d := NewDecoder(data)
		if d.peek() == '"' {
			s := d.String()
			var std string
			if err := json.Unmarshal(data, &std); err != nil || s != std || !utf8.ValidString(s) {
				t.Fatalf("String(%q) = %q; encoding/json: %q, %v", data, s, std, err)
			}
		}
	})
}
