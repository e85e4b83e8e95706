package ente

import (
	"encoding/json"
	"testing"
)

// readDisplay reads what encoding/json read into display, over what an earlier
// codeDisplay left.
func checkDisplayAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	start := display{Trashed: true, Note: "earlier"}
	want, got := start, start
	errStd := json.Unmarshal(data, &want)
	err := readDisplay(string(data), &got)
	if (err == nil) != (errStd == nil) || err == nil && got != want {
		t.Fatalf("readDisplay(%q) = %+v, %v; encoding/json: %+v, %v", data, got, err, want, errStd)
	}
}

var displaySeeds = []string{
	`{"pinned":false,"trashed":false,"lastUsedAt":0,"tapCount":0,"tags":["a"],"note":"n","position":0,"iconSrc":"","iconID":""}`,
	`{"Trashed":false,"NOTE":null}`, `{"note":"a","note":"b","trashed":true,"trashed":null}`, `{"trashed":"true"}`,
	`{"trashed":0}`, `{"note":1}`, "{\"note\":\"\xff\\ud800\"}", `null`, `[]`, `{"note":"x"`, ``,
}

func TestDisplayAsEncodingJSON(t *testing.T) {
	for _, s := range displaySeeds {
		checkDisplayAsEncodingJSON(t, []byte(s))
	}
}

func FuzzDisplayAsEncodingJSON(f *testing.F) {
	for _, s := range displaySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDisplayAsEncodingJSON)
}
