package strictjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// lenientTarget has a member of each kind the import formats read with a lenient
// Decoder; readLenient reads it the way they do, and encoding/json is the reference.
type lenientTarget struct {
	S  string                     `json:"s"`
	N  int                        `json:"n"`
	B  bool                       `json:"b"`
	SP *string                    `json:"sp"`
	NP *int                       `json:"np"`
	UP *uint64                    `json:"up"`
	BP *bool                      `json:"bp"`
	R  json.RawMessage            `json:"r"`
	L  []json.RawMessage          `json:"l"`
	In struct{ X string }         `json:"in"`
	IP *struct{ Y int }           `json:"ip"`
	M  map[string]json.RawMessage `json:"m"`
	K  string                     `json:"k"`
	LS []struct{ X, Y string }    `json:"ls"`
}

var lenientNames = []string{"s", "n", "b", "sp", "np", "up", "bp", "r", "l", "in", "ip", "m", "k", "ls"}

func readLenient(data []byte) (lenientTarget, error) {
	var v lenientTarget
	d := NewLenientDecoder(data)
	d.Object(lenientNames, func(i int, _ string) {
		switch i {
		case 0:
			d.StringTo(&v.S)
		case 1:
			d.IntTo(&v.N)
		case 2:
			d.BoolTo(&v.B)
		case 3:
			v.SP = d.StringPtr()
		case 4:
			v.NP = d.IntPtr()
		case 5:
			v.UP = d.Uint64Ptr()
		case 6:
			v.BP = d.BoolPtr()
		case 7:
			v.R = d.Raw()
		case 8:
			raws := d.Raws()
			v.L = nil
			if raws != nil {
				v.L = []json.RawMessage{}
			}
			for _, r := range raws {
				v.L = append(v.L, r)
			}
		case 9:
			d.Object([]string{"X"}, func(int, string) { d.StringTo(&v.In.X) })
		case 10:
			if d.Null() {
				v.IP = nil
				return
			}
			if v.IP == nil {
				v.IP = new(struct{ Y int })
			}
			d.Object([]string{"Y"}, func(int, string) { d.IntTo(&v.IP.Y) })
		case 11:
			if d.Null() {
				v.M = nil
				return
			}
			if v.M == nil {
				v.M = map[string]json.RawMessage{}
			}
			d.Object(nil, func(_ int, name string) { v.M[name] = d.Raw() })
		case 12:
			d.StringTo(&v.K)
		case 13:
			ArrayInto(d, &v.LS, func(e *struct{ X, Y string }) {
				d.Object([]string{"X", "Y"}, func(i int, _ string) {
					if i == 0 {
						d.StringTo(&e.X)
					} else {
						d.StringTo(&e.Y)
					}
				})
			})
		}
	})
	return v, d.End()
}

// checkLenient: the lenient Decoder accepts exactly what encoding/json accepts into
// lenientTarget and reads the same values.
func checkLenient(t *testing.T, data []byte) {
	t.Helper()
	var want lenientTarget
	stdErr := json.Unmarshal(data, &want)
	got, err := readLenient(data)
	if (err == nil) != (stdErr == nil) {
		t.Fatalf("%q: lenient error %v, encoding/json error %v", data, err, stdErr)
	}
	if err != nil {
		return
	}
	// Raws gives [] for [] and nil for null, as encoding/json: compare the lists apart.
	if (got.L == nil) != (want.L == nil) || len(got.L) != len(want.L) {
		t.Fatalf("%q: list %q, encoding/json %q", data, got.L, want.L)
	}
	got.L, want.L = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n lenient       %+v\n encoding/json %+v", data, got, want)
	}
	if ValidLenient(data) != json.Valid(data) {
		t.Fatalf("ValidLenient(%q) = %v", data, !json.Valid(data))
	}
}

var lenientSeeds = []string{
	`{"s":"x","n":-3,"b":true,"sp":"y","np":4,"up":5,"bp":false,"r":{"a":[1,2.5]},"l":[1,"x",null],"in":{"x":"z"},"ip":{"y":2},"m":{"a":1,"a":2},"k":"v"}`,
	`{"S":"case","N":1,"Sp":"x","IN":{"X":"y"}}`, // names in another case
	"{\"\u212a\":\"kelvin\"}",                    // the Kelvin sign folds to K
	"{\"\u017fp\":\"long s\"}",                   // ſ folds to S
	`{"s":"a","s":"b","n":1,"n":2}`,              // given twice: the last wins
	`{"s":"a","s":null,"n":1,"n":null,"b":true,"b":null}`,
	`{"sp":"a","sp":null,"np":1,"np":null,"in":{"x":"a"},"in":null,"ip":{"y":1},"ip":null}`,
	`{"in":{"x":"a"},"in":{},"ip":{"y":1},"ip":{},"m":{"a":1},"m":{"b":2}}`, // merged
	`{"s":null,"n":null,"b":null,"sp":null,"np":null,"up":null,"bp":null,"r":null,"l":null,"in":null,"ip":null,"m":null}`,
	`{"l":[]}`, `{"l":null}`, `{"m":{}}`, `{"ls":[]}`, `{"ls":null}`, `{"ls":[{"x":"a"},null,{"y":"b"}]}`,
	`{"ls":[{"x":"a"},{"x":"b"},{"x":"c"}],"ls":[{"y":"1"}],"ls":[{},{},{"y":"3"},{}]}`, // read over, stale values too
	`{"ls":[{"x":"a"}],"ls":null,"ls":[{}]}`, `{"ls":[1]}`, `{"ls":{}}`,
	"{\"s\":\"bad \xff\xfe utf-8 \xed\xa0\x80\"}",
	`{"s":"\ud800 \udc00 \ud800\u0041 \ud83d\ude00 \ud800\ud800\udc00"}`,
	`{"s":"\ud800\u00"}`,
	"{\"\xff\":1,\"s\xff\":\"x\"}",
	`{"n":1.5}`, `{"n":1e2}`, `{"n":"1"}`, `{"n":9223372036854775808}`, `{"up":-1}`, `{"up":-0}`, `{"np":-0}`,
	`{"b":1}`, `{"s":1}`, `{"in":[]}`, `{"l":{}}`, `{"m":[]}`, `{"r":}`, `{"unknown":{"a":[1,{"b":null}]},"s":"x"}`,
	`{"s":"x"} x`, `{"s":"x",}`, `[]`, `null`, ``, `{"s":"\x"}`, "{\"s\":\"a\x01\"}",
}

func TestLenientMatchesEncodingJSON(t *testing.T) {
	for _, s := range lenientSeeds {
		checkLenient(t, []byte(s))
	}
	got, err := readLenient([]byte("{\"S\":\"a\xffb\",\"\u212a\":\"k\",\"s\":\"last\"}"))
	if err != nil || got.S != "last" || got.K != "k" {
		t.Errorf("read %+v, %v", got, err)
	}
	got, err = readLenient([]byte(`{"s":"\ud800\u0041"}`))
	if err != nil || got.S != "\ufffdA" {
		t.Errorf("a lone surrogate read as %q, %v", got.S, err)
	}
}

func FuzzLenient(f *testing.F) {
	for _, s := range lenientSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkLenient)
}

func TestIndentMatchesEncodingJSON(t *testing.T) {
	v := map[string]any{
		"a": []any{}, "b": map[string]any{}, "c": []any{1, "x\"{[,:", map[string]any{"d": nil, "e": []any{true}}},
		"f": "<&>\\\"", "g": 2.5,
	}
	compact, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.MarshalIndent(v, "", "    ")
	if got := Indent(nil, compact, "    "); !bytes.Equal(got, want) {
		t.Errorf("Indent:\n%s\nwant\n%s", got, want)
	}
}

func FuzzIndent(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":[]},{}],"c":"\"x\\"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		compact, _ := json.Marshal(v)
		want, _ := json.MarshalIndent(v, "", "\t")
		if got := Indent(nil, compact, "\t"); !bytes.Equal(got, want) {
			t.Fatalf("Indent(%s) = %s, want %s", compact, got, want)
		}
	})
}
