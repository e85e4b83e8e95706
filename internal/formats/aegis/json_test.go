package aegis

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/vault"
)

// The hand-written readers read what encoding/json read into the same structs, and the
// writers write what it wrote: checked here against encoding/json itself.

type stdFile struct {
	Version int             `json:"version"`
	Header  header          `json:"header"`
	DB      json.RawMessage `json:"db"`
}

type stdDB struct {
	Version int               `json:"version"`
	Entries []json.RawMessage `json:"entries"`
}

func checkReadersAsEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	var wantF stdFile
	errStd := json.Unmarshal(data, &wantF)
	f, err := readFile(data)
	if (err == nil) != (errStd == nil) {
		t.Fatalf("readFile(%q): %v; encoding/json: %v", data, err, errStd)
	}
	if err == nil && (!reflect.DeepEqual(f.Header, wantF.Header) || f.Version != wantF.Version || string(f.DB) != string(wantF.DB)) {
		t.Fatalf("readFile(%q) = %+v; encoding/json: %+v", data, f, wantF)
	}
	var wantD stdDB
	errStd = json.Unmarshal(data, &wantD)
	d, err := readDB(data)
	if (err == nil) != (errStd == nil) || err == nil && (d.Version != wantD.Version || (d.Entries == nil) != (wantD.Entries == nil) || len(d.Entries) != len(wantD.Entries)) {
		t.Fatalf("readDB(%q) = %+v, %v; encoding/json: %+v, %v", data, d, err, wantD, errStd)
	}
	var wantE entry
	errStd = json.Unmarshal(data, &wantE)
	e, err := readEntryJSON(data)
	if (err == nil) != (errStd == nil) || err == nil && !reflect.DeepEqual(e, wantE) {
		t.Fatalf("readEntryJSON(%q) = %+v, %v; encoding/json: %+v, %v", data, e, err, wantE, errStd)
	}
}

var readerSeeds = []string{
	`{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[]}}`,
	`{"Version":1,"HEADER":{"Slots":[],"Params":{"Nonce":"a","TAG":"b"}},"DB":"c2VjcmV0","icon":{"x":[1]}}`,
	`{"version":1,"header":{"slots":[{"type":1,"uuid":"u","key":"k","key_params":{"nonce":"n","tag":"t"},"n":32768,"r":8,"p":1,"salt":"s","repaired":true,"is_backup":false},null]}}`,
	`{"type":"totp","uuid":"u","name":"n","issuer":"i","note":null,"icon":null,"groups":["g"],"info":{"secret":"JBSWY3DP","algo":"SHA1","digits":6,"period":30}}`,
	`{"Type":"HOTP","Name":"a","name":"b","info":{"Secret":"x","digits":6,"counter":3},"info":{"algo":"SHA256"}}`,
	`{"info":{"digits":6.0}}`, `{"info":{"digits":"6"}}`, `{"info":{"counter":-1}}`, `{"info":{"period":1e1}}`,
	`{"info":{"digits":6,"digits":null}}`, `{"name":"a","name":null}`, "{\"name\":\"bad \xff\",\"issuer\":\"\\udc00\"}",
	`{"header":{"slots":[{"type":1,"n":2},{"uuid":"b"}],"slots":[{"key":"k"}],"slots":[{},{}]}}`,
	`{"version":1,"db":null}`, `{"version":"1"}`, `{"header":[]}`, `{"entries":{}}`, `[]`, `null`, `{"version":1`,
}

func TestReadersAsEncodingJSON(t *testing.T) {
	for _, s := range readerSeeds {
		checkReadersAsEncodingJSON(t, []byte(s))
	}
	for _, name := range []string{"aegis_plain.json", "aegis_encrypted.json"} {
		checkReadersAsEncodingJSON(t, formatstest.ReadPeer(t, "aegis", name))
	}
}

func FuzzReadersAsEncodingJSON(f *testing.F) {
	for _, s := range readerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkReadersAsEncodingJSON)
}

func TestExportAsEncodingJSON(t *testing.T) {
	accounts := formatstest.All()
	accounts[0].Note = "a <note> & \"quotes\" \u2028 é"
	accounts[1].Issuer = "Iss<&>\\"
	for _, pw := range [][]byte{nil, []byte("pw")} {
		for _, list := range [][]int{{0, 1, 2, 3, 4, 5, 6}, {}} {
			var in = accounts[:0:0]
			for _, i := range list {
				in = append(in, accounts[i])
			}
			out, err := tiny.Export(in, pw)
			if err != nil {
				t.Fatal(err)
			}
			// What the same values make through encoding/json, in the shapes the export had
			// when encoding/json wrote it.
			var want []byte
			if pw == nil {
				var v struct {
					Version int    `json:"version"`
					Header  header `json:"header"`
					DB      any    `json:"db"`
				}
				var content struct {
					Version int     `json:"version"`
					Entries []entry `json:"entries"`
				}
				v.DB = &content
				if err := json.Unmarshal(out, &v); err != nil {
					t.Fatal(err)
				}
				v.DB = content
				want, _ = json.MarshalIndent(v, "", "    ")
			} else {
				var v struct {
					Version int    `json:"version"`
					Header  header `json:"header"`
					DB      string `json:"db"`
				}
				if err := json.Unmarshal(out, &v); err != nil {
					t.Fatal(err)
				}
				want, _ = json.MarshalIndent(v, "", "    ")
			}
			if string(out) != string(want) {
				t.Errorf("export (password %v, %d accounts):\n%s\nencoding/json:\n%s", pw != nil, len(in), out, want)
			}
		}
	}
	// The encrypted db's content, and entries with what Export never writes (no digits).
	six, c := 6, uint64(0)
	entries := []entry{
		{Type: "hotp", UUID: "u", Name: "<n>", Issuer: "", Info: info{Secret: "S", Algo: "SHA1", Counter: &c}},
		{Type: "totp", Note: "x", Info: info{Digits: &six, Period: &six}},
	}
	want, _ := json.Marshal(struct {
		Version int     `json:"version"`
		Entries []entry `json:"entries"`
	}{1, entries})
	if got := appendDB(nil, entries); string(got) != string(want) {
		t.Errorf("appendDB = %s\nencoding/json: %s", got, want)
	}
	yes := true
	h := header{Slots: []slot{{Type: 2, Repaired: &yes}, {N: 1, Salt: "s", KeyParams: &params{"<", ">"}}}}
	want, _ = json.Marshal(h)
	if got := appendHeader(nil, h); string(got) != string(want) {
		t.Errorf("appendHeader = %s\nencoding/json: %s", got, want)
	}
}

// BenchmarkPlainVault reads and writes a plain vault of 1,000 entries (docs/benchmarks.md
// compares it with encoding/json's).
func BenchmarkPlainVault(b *testing.B) {
	var accounts []vault.Account
	for i := range 1000 {
		a := formatstest.All()[i%7]
		a.Name = fmt.Sprintf("user%d@example.com", i)
		accounts = append(accounts, a)
	}
	x := Exporter{Rand: rand.New(rand.NewSource(1))}
	data, err := x.Export(accounts, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			if _, err := (Importer{}).Import(data, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("export", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.Export(accounts, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
