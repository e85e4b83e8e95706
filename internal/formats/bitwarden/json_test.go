package bitwarden

import (
	"encoding/json"
	"reflect"
	"testing"

	"codeward.dev/internal/formats/formatstest"
)

// The hand-written readers read what encoding/json read into the same types.
func checkReadersAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	var want struct {
		Encrypted bool              `json:"encrypted"`
		Items     []json.RawMessage `json:"items"`
	}
	errStd := json.Unmarshal(data, &want)
	e, err := readExport(data)
	if (err == nil) != (errStd == nil) || err == nil && (e.Encrypted != want.Encrypted || len(e.Items) != len(want.Items)) {
		t.Fatalf("readExport(%q) = %+v, %v; encoding/json: %+v, %v", data, e, err, want, errStd)
	}
	for i := range want.Items {
		if string(e.Items[i]) != string(want.Items[i]) {
			t.Fatalf("readExport(%q): item %d = %q; encoding/json: %q", data, i, e.Items[i], want.Items[i])
		}
	}
	var wantItem item
	errStd = json.Unmarshal(data, &wantItem)
	it, err := readItem(data)
	if (err == nil) != (errStd == nil) || err == nil && !reflect.DeepEqual(it, wantItem) {
		t.Fatalf("readItem(%q) = %+v, %v; encoding/json: %+v, %v", data, it, err, wantItem, errStd)
	}
}

var readerSeeds = []string{
	`{"encrypted":false,"folders":[],"items":[{"id":"x","type":1,"name":"N","notes":null,"favorite":false,"login":{"fido2Credentials":[],"uris":[{"match":null,"uri":"https://a.example"}],"username":"u","password":"p","totp":"otpauth://totp/x?secret=JBSWY3DP"},"collectionIds":null}]}`,
	`{"Encrypted":true,"ITEMS":[1,"x",null],"Name":"n","Login":{"TOTP":"t","Uris":[{"URI":"u"},null]}}`,
	`{"login":{"uris":[{"uri":"a"},{"uri":"b"}],"uris":[{}]},"login":{"totp":"t"}}`,
	`{"login":{"totp":"t"},"login":null}`, `{"login":[]}`, `{"login":{"uris":{}}}`, `{"login":{"uris":[{"uri":1}]}}`,
	`{"encrypted":"false"}`, `{"encrypted":null,"items":null}`, `{"items":{}}`, "{\"name\":\"\xff\\ud800x\"}",
	`[]`, `null`, `{"name":"a"`,
}

func TestReadersAsEncodingJSON(t *testing.T) {
	for _, s := range readerSeeds {
		checkReadersAsEncodingJSON(t, []byte(s))
	}
	data := formatstest.ReadPeer(t, "aegis", "bitwarden.json")
	checkReadersAsEncodingJSON(t, data)
	e, err := readExport(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range e.Items {
		checkReadersAsEncodingJSON(t, raw)
	}
}

func FuzzReadersAsEncodingJSON(f *testing.F) {
	for _, s := range readerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkReadersAsEncodingJSON)
}
