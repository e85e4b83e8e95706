package authext

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The hand-written readers read what encoding/json read into the same types.
func checkReadersAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	var want entry
	errStd := json.Unmarshal(data, &want)
	e, err := readEntryJSON(data)
	if (err == nil) != (errStd == nil) || err == nil && !reflect.DeepEqual(e, want) {
		t.Fatalf("readEntryJSON(%q) = %+v, %v; encoding/json: %+v, %v", data, e, err, want, errStd)
	}
	var idx struct {
		Index *int `json:"index"`
	}
	errStd = json.Unmarshal(data, &idx)
	i, err := readIndex(data)
	if (err == nil) != (errStd == nil) || err == nil && !reflect.DeepEqual(i, idx.Index) {
		t.Fatalf("readIndex(%q) = %v, %v; encoding/json: %v, %v", data, i, err, idx.Index, errStd)
	}
	var m map[string]json.RawMessage
	errStd = json.Unmarshal(data, &m)
	got, err := members(data)
	if (err == nil) != (errStd == nil) || err == nil && len(got) != len(m) {
		t.Fatalf("members(%q) = %q, %v; encoding/json: %q, %v", data, got, err, m, errStd)
	}
	for k, v := range m {
		if string(got[k]) != string(v) {
			t.Fatalf("members(%q)[%q] = %q; encoding/json: %q", data, k, got[k], v)
		}
	}
}

var readerSeeds = []string{
	`{"account":"a","hash":"h","index":0,"issuer":"I","secret":"JBSWY3DP","type":"totp","encrypted":false,"counter":0,"period":30,"digits":6,"algorithm":"SHA256","pinned":false}`,
	`{"Account":"a","INDEX":2,"Secret":"x","Encrypted":true,"DataType":"Key","dataType":"Other"}`,
	`{"index":1.5}`, `{"index":"1"}`, `{"index":null}`, `{"index":3,"index":null}`, `{"digits":6,"period":1e1}`,
	`{"encrypted":"true"}`, `{"encrypted":1}`, `{"counter":-1}`, `{"type":"hotp","type":null}`,
	"{\"issuer\":\"\xff\\udfff\",\"s\xfe\":1}", `null`, `"x"`, `[]`, `{"a":1,"a":{"b":[]}}`, `{"a":`,
}

func TestReadersAsEncodingJSON(t *testing.T) {
	for _, s := range readerSeeds {
		checkReadersAsEncodingJSON(t, []byte(s))
	}
}

func FuzzReadersAsEncodingJSON(f *testing.F) {
	for _, s := range readerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkReadersAsEncodingJSON)
}
