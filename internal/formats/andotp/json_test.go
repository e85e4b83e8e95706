package andotp

import (
	"encoding/json"
	"reflect"
	"testing"

	"codeward.dev/internal/formats/formatstest"
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
	var list []map[string]json.RawMessage
	errStd = json.Unmarshal(data, &list)
	first, n, err := firstMembers(data)
	if (err == nil) != (errStd == nil) || err == nil && n != len(list) {
		t.Fatalf("firstMembers(%q) = %v, %d, %v; encoding/json: %q, %v", data, first, n, err, list, errStd)
	}
	if err == nil && n > 0 {
		for k := range list[0] {
			if !first[k] {
				t.Fatalf("firstMembers(%q) misses %q", data, k)
			}
		}
		if len(first) != len(list[0]) {
			t.Fatalf("firstMembers(%q) = %v; encoding/json: %q", data, first, list[0])
		}
	}
}

var readerSeeds = []string{
	`[{"secret":"JBSWY3DP","issuer":"I","label":"L","digits":6,"type":"TOTP","algorithm":"SHA1","thumbnail":"Default","last_used":1,"used_frequency":0,"period":30,"tags":[]}]`,
	`{"Secret":"x","ISSUER":null,"Label":"a","label":"b","Digits":6,"TYPE":"HOTP","Counter":3}`,
	`{"digits":6.5}`, `{"period":"30"}`, `{"counter":-1}`, `{"issuer":"a","issuer":null}`, `{"label":"a","label":null}`,
	"{\"label\":\"\xff\\ud800\"}", `[null,{"secret":1}]`, `[1]`, `[]`, `null`, `[{"a":1,"a":2}]`, `[{"x":1}`,
}

func TestReadersAsEncodingJSON(t *testing.T) {
	for _, s := range readerSeeds {
		checkReadersAsEncodingJSON(t, []byte(s))
	}
	checkReadersAsEncodingJSON(t, formatstest.ReadPeer(t, "aegis", "andotp_plain.json"))
}

func FuzzReadersAsEncodingJSON(f *testing.F) {
	for _, s := range readerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkReadersAsEncodingJSON)
}
