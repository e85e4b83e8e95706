package bitwarden

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/vault"
)

func steam(itemName string) vault.Account {
	a := formatstest.Vector("V7")
	a.Issuer, a.Name = itemName, "" // steam:// carries only the secret
	return a
}

func TestPeerFixtures(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []vault.Account
	}{
		{"bitwarden.json", append(formatstest.Vectors("V1", "V2", "V3"), steam("Test Steam"))},
		{"bitwarden.csv", append(formatstest.Vectors("V1", "V2", "V3"), steam("Test 4"))},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := formatstest.ReadPeer(t, "aegis", tc.file)
			formatstest.CheckImport(t, Importer{}, data, nil, tc.want)
		})
	}
}

func TestFallbacksAndSites(t *testing.T) {
	data := `{"encrypted":false,"items":[
	 {"type":1,"name":"GitHub","login":{"username":"octo","totp":"JBSW Y3DP EHPK 3PXP","uris":[{"uri":"https://github.com/login"},{"uri":"gist.github.com"},{"uri":"androidapp://com.github"}]}},
	 {"type":1,"name":"Mail","login":{"username":"me","totp":"otpauth://totp/Label?secret=JBSWY3DPEHPK3PXP"}},
	 {"type":1,"name":"No TOTP","login":{"username":"x","password":"y"}},
	 {"type":2,"name":"A note"},
	 {"type":1,"name":"Bad","login":{"totp":"not a key!"}},
	 7
	]}`
	res, err := Importer{}.Import([]byte(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	formatstest.Valid(t, res.Accounts)
	if len(res.Accounts) != 2 {
		t.Fatalf("%d accounts", len(res.Accounts))
	}
	gh := res.Accounts[0]
	if gh.Issuer != "GitHub" || gh.Name != "octo" || gh.Digits != 6 || gh.Period != 30 || gh.Secret != "JBSWY3DPEHPK3PXP" {
		t.Errorf("bare key account = %+v", gh)
	}
	if !slices.Equal(gh.Sites, []string{"github.com"}) {
		t.Errorf("sites = %v", gh.Sites)
	}
	if m := res.Accounts[1]; m.Issuer != "Mail" || m.Name != "Label" {
		t.Errorf("otpauth without issuer: %q / %q", m.Issuer, m.Name)
	}
	if len(res.Problems) != 2 || res.Problems[0].Index != 5 || res.Problems[1].Index != 6 {
		t.Errorf("problems = %v", res.Problems)
	}
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "2 items") {
		t.Errorf("warnings = %v", res.Warnings)
	}
}

func TestRefusals(t *testing.T) {
	enc := []byte(`{"encrypted":true,"passwordProtected":true,"salt":"x","kdfType":0,"kdfIterations":600000,"data":"2.x|y|z"}`)
	if !(Importer{}).Detect(enc) || !(Importer{}).Encrypted(enc) {
		t.Error("encrypted export not recognised")
	}
	if _, err := (Importer{}).Import(enc, []byte("pw")); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted: %v", err)
	}
	for _, s := range []string{
		"folder,favorite,type,name,login_totp\n,,login,x,\n",
		`{"encrypted":false,"items":[]}`,
		"folder,login_totp\n\"unterminated\n",
	} {
		if _, err := (Importer{}).Import([]byte(s), nil); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	for _, s := range []string{"name,url\nx,y\n", `{"items":[]}`, "otpauth://totp/x?secret=AA"} {
		if (Importer{}).Detect([]byte(s)) {
			t.Errorf("Detect(%q) = true", s)
		}
	}
}

func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"encrypted":false,"items":[{"name":"n","login":{"totp":"steam://JBSWY3DP","uris":[{"uri":"a.example"}]}}]}`))
	f.Add([]byte("name,login_username,login_uri,login_totp\nn,u,\"a.example,b.example\",JBSWY3DP\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formatstest.Fuzz(t, Importer{}, data, nil)
	})
}
