package stratum

import (
	"errors"
	"strings"
	"testing"

	"codeward.dev/internal/formats/formatstest"
)

// The Argon2id-encrypted fixture (stratum_encrypted.bin) is read by the table test in
// formatstest, which runs every fixture; its 64 MiB KDF is not run twice.
func TestPeerFixtures(t *testing.T) {
	for _, tc := range []struct {
		file     string
		password []byte
	}{
		{"stratum_plain.json", nil},
		{"stratum_encrypted_legacy.bin", []byte("test")},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := formatstest.ReadPeer(t, "aegis", tc.file)
			formatstest.CheckImport(t, Importer{}, data, tc.password, formatstest.All())
		})
	}
}

const entryV4 = `{"Type":1,"Issuer":"Issuu","Username":"James","Secret":"YOOMIXWS5GN6RTBPUFFWKTW5M4","Algorithm":0,"Digits":6,"Period":30,"Counter":1}`

func TestEntries(t *testing.T) {
	for _, tc := range []struct{ name, from, to string }{
		{"motp", `"Type":1`, `"Type":3`},
		{"no counter", `,"Counter":1`, ``},
		{"algorithm 3", `"Algorithm":0`, `"Algorithm":3`},
		{"bad secret", `YOOMIX`, `1OOMIX`},
		{"no digits", `"Digits":6,`, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(entryV4, tc.from, tc.to, 1)
			res, err := Importer{}.Import([]byte(`{"Authenticators":[`+entryV4+","+bad+`]}`), nil)
			if err != nil {
				t.Fatal(err)
			}
			formatstest.Compare(t, res.Accounts, formatstest.Vectors("V4"))
			formatstest.CheckProblem(t, res, 2, "OOMIX")
		})
	}
	for _, s := range []string{"AUTHENTICATORPRO\x00", "AuthenticatorPro" + strings.Repeat("x", 20+16+15), `{"Authenticators":null}`} {
		if _, err := (Importer{}).Import([]byte(s), []byte("pw")); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%q: %v", s, err)
		}
	}
}

func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"Authenticators":[` + entryV4 + `]}`))
	f.Add([]byte(`{"Authenticators":[{"Type":4,"Secret":"JBSWY3DP","Algorithm":0,"Digits":5,"Period":30,"Username":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		imp := Importer{}
		imp.Detect(data)
		if imp.Encrypted(data) {
			return // the KDF runs are fixed and costly; decryption is tested on the fixtures
		}
		formatstest.Fuzz(t, imp, data, nil)
	})
}
