package stratum

import (
	"encoding/json"
	"reflect"
	"testing"

	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/strictjson"
)

// The hand-written readers read what encoding/json read into the same types.
func checkReadersAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	var want struct {
		Authenticators []json.RawMessage `json:"Authenticators"`
	}
	errStd := json.Unmarshal(data, &want)
	list, err := readAuthenticators(data)
	if (err == nil) != (errStd == nil) || err == nil && ((list == nil) != (want.Authenticators == nil) || len(list) != len(want.Authenticators)) {
		t.Fatalf("readAuthenticators(%q) = %q, %v; encoding/json: %q, %v", data, list, err, want.Authenticators, errStd)
	}
	var wantEntry entry
	errStd = json.Unmarshal(data, &wantEntry)
	e, err := readEntryJSON(data)
	if (err == nil) != (errStd == nil) || err == nil && !reflect.DeepEqual(e, wantEntry) {
		t.Fatalf("readEntryJSON(%q) = %+v, %v; encoding/json: %+v, %v", data, e, err, wantEntry, errStd)
	}
	if strictjson.ValidLenient(data) != json.Valid(data) {
		t.Fatalf("ValidLenient(%q) = %v", data, !json.Valid(data))
	}
}

var readerSeeds = []string{
	`{"Authenticators":[{"Type":2,"Icon":"x","Issuer":"I","Username":"u","Secret":"JBSWY3DP","Pin":null,"Algorithm":0,"Digits":6,"Period":30,"Counter":0,"CopyCount":0,"Ranking":0}],"Categories":[],"AuthenticatorCategories":[],"CustomIcons":[]}`,
	`{"authenticators":[],"type":1,"issuer":"i","username":null,"SECRET":"s","algorithm":1,"digits":7,"period":null,"counter":3}`,
	`{"Authenticators":null}`, `{"Authenticators":{}}`, `{"Authenticators":[1],"Authenticators":null}`,
	`{"Type":2.0}`, `{"Digits":"6"}`, `{"Counter":-1}`, `{"Username":"a","Username":null}`, "{\"Issuer\":\"\xff\\udc00\"}",
	`[]`, `null`, `{"Type":2`,
}

func TestReadersAsEncodingJSON(t *testing.T) {
	for _, s := range readerSeeds {
		checkReadersAsEncodingJSON(t, []byte(s))
	}
	data := formatstest.ReadPeer(t, "aegis", "stratum_plain.json")
	checkReadersAsEncodingJSON(t, data)
	list, _ := readAuthenticators(data)
	for _, raw := range list {
		checkReadersAsEncodingJSON(t, raw)
	}
}

func FuzzReadersAsEncodingJSON(f *testing.F) {
	for _, s := range readerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkReadersAsEncodingJSON)
}
