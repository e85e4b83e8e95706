package twofas

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
		Services          []json.RawMessage `json:"services"`
		SchemaVersion     int               `json:"schemaVersion"`
		ServicesEncrypted string            `json:"servicesEncrypted"`
	}
	errStd := json.Unmarshal(data, &want)
	b, err := readBackup(data)
	if (err == nil) != (errStd == nil) || err == nil && (b.SchemaVersion != want.SchemaVersion ||
		b.ServicesEncrypted != want.ServicesEncrypted || (b.Services == nil) != (want.Services == nil) || len(b.Services) != len(want.Services)) {
		t.Fatalf("readBackup(%q) = %+v, %v; encoding/json: %+v, %v", data, b, err, want, errStd)
	}
	var wantService service
	errStd = json.Unmarshal(data, &wantService)
	s, err := readServiceJSON(data)
	if (err == nil) != (errStd == nil) || err == nil && !reflect.DeepEqual(s, wantService) {
		t.Fatalf("readServiceJSON(%q) = %+v, %v; encoding/json: %+v, %v", data, s, err, wantService, errStd)
	}
}

var readerSeeds = []string{
	`{"services":[{"name":"N","secret":"JBSWY3DP","updatedAt":1,"otp":{"label":"L","account":"a","issuer":"i","digits":6,"period":30,"algorithm":"SHA1","tokenType":"TOTP","source":"Link"},"order":{"position":0},"icon":{"selected":"Label","label":{"text":"NA","backgroundColor":"Orange"}}}],"groups":[],"updatedAt":1,"schemaVersion":4,"appVersionCode":5000000,"appOrigin":"android"}`,
	`{"Services":null,"SCHEMAVERSION":3,"ServicesEncrypted":"a:b:c","Name":"n","OTP":{"TokenType":"HOTP","Counter":4,"Digits":null}}`,
	`{"otp":{"label":"a"},"otp":{"account":"b"},"otp":null}`, `{"otp":[]}`, `{"otp":{"digits":6.0}}`, `{"otp":{"period":"30"}}`,
	`{"schemaVersion":4.0}`, `{"schemaVersion":null,"servicesEncrypted":null}`, `{"services":{}}`, "{\"name\":\"\xff\\ud800\"}",
	`[]`, `null`, `{"name":"x"`,
}

func TestReadersAsEncodingJSON(t *testing.T) {
	for _, s := range readerSeeds {
		checkReadersAsEncodingJSON(t, []byte(s))
	}
	for _, name := range []string{"2fas_authenticator_plain.2fas", "2fas_authenticator_plain_v3.2fas", "2fas_authenticator_plain_v4.2fas", "2fas_authenticator_encrypted_v4.2fas"} {
		data := formatstest.ReadPeer(t, "aegis", name)
		checkReadersAsEncodingJSON(t, data)
		b, _ := readBackup(data)
		for _, raw := range b.Services {
			checkReadersAsEncodingJSON(t, raw)
		}
	}
}

func FuzzReadersAsEncodingJSON(f *testing.F) {
	for _, s := range readerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkReadersAsEncodingJSON)
}
