package authext

import (
	"encoding/hex"
	"errors"
	"testing"

	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// backup is written the way the extension's backupGetExport writes entries: keyed by hash,
// defaults left out, counters only on HOTP entries.
var backup = `{
 "h7": {"encrypted":false,"hash":"h7","index":6,"type":"totp","secret":"stm-JRZCL47CMXVOQMNPZR2F7J4RGI","issuer":"Boeing","account":"Sophia","dataType":"OTPStorage"},
 "h1": {"encrypted":false,"hash":"h1","index":0,"type":"totp","secret":"4SJHB4GSD43FZBAI7C2HLRJGPQ","issuer":"Deno","account":"Mason","dataType":"OTPStorage"},
 "h2": {"encrypted":false,"hash":"h2","index":1,"type":"totp","secret":"5OM4WOOGPLQEF6UGN3CPEOOLWU","issuer":"SPDX","account":"James","period":20,"digits":7,"algorithm":"SHA256","dataType":"OTPStorage"},
 "h4": {"encrypted":false,"hash":"h4","index":3,"type":"hotp","secret":"YOOMIXWS5GN6RTBPUFFWKTW5M4","issuer":"Issuu","account":"James","counter":1,"dataType":"OTPStorage"},
 "h6": {"encrypted":false,"hash":"h6","index":5,"type":"hhex","secret":"` + v6hex + `","issuer":"WWE","account":"Mason","counter":10300,"digits":8,"algorithm":"SHA512","dataType":"OTPStorage"},
 "h3": {"encrypted":false,"hash":"h3","index":2,"type":"hex","secret":"` + v3hex + `","issuer":"Airbnb","account":"Elijah","period":50,"digits":8,"algorithm":"SHA512","dataType":"OTPStorage"},
 "h8": {"encrypted":false,"hash":"h8","index":7,"type":"battle","secret":"blz-BMGRXPGFARQQF4GMT25JATL2VYLAHDBI","issuer":"Battle.net","account":"US-2211-2050-3346","dataType":"OTPStorage"},
 "h5": {"encrypted":false,"hash":"h5","index":4,"type":"steam","secret":"JRZC L47C MXVO QMNP ZR2F 7J4R GI==","issuer":"Boeing","account":"Sophia","dataType":"OTPStorage"}
}`

var (
	v3hex = secretHex("V3")
	v6hex = secretHex("V6")
)

func secretHex(id string) string {
	k, err := formatstest.Vector(id).Key()
	if err != nil {
		panic(err)
	}
	return hex.EncodeToString(k.Secret)
}

func TestImport(t *testing.T) {
	formatstest.CheckImport(t, Importer{}, []byte(backup), nil, formatstest.Vectors("V1", "V2", "V3", "V4", "V7", "V6", "V7", "V8"))
}

func TestHexFallback(t *testing.T) {
	// "HOTP with HEX secret": a type hotp entry whose secret is hex, not base32.
	data := []byte(`{"a":{"hash":"a","type":"hotp","secret":"0123456789abcdef0189","issuer":"I","account":"n","counter":7}}`)
	res, err := Importer{}.Import(data, nil)
	if err != nil || len(res.Accounts) != 1 {
		t.Fatalf("err %v, %d accounts", err, len(res.Accounts))
	}
	want := vault.AccountFromKey(otp.Key{Type: otp.HOTP, Issuer: "I", Name: "n", Secret: []byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x89}, Algorithm: otp.SHA1, Digits: 6, Counter: 7})
	formatstest.Compare(t, res.Accounts, []vault.Account{want})
}

func TestRefusals(t *testing.T) {
	enc := `{"a":{"encrypted":true,"hash":"a","secret":"U2FsdGVkX1+xxx","index":0,"type":"totp"},"key":{"dataType":"Key","salt":"x","hash":"y"}}`
	if !(Importer{}).Encrypted([]byte(enc)) {
		t.Error("encrypted backup not reported")
	}
	if _, err := (Importer{}).Import([]byte(enc), []byte("pw")); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted: %v", err)
	}
	for _, tc := range []struct{ name, entry string }{
		{"unknown type", `"type":"motp","secret":"JBSWY3DP"`},
		{"hotp without counter", `"type":"hotp","secret":"JBSWY3DP"`},
		{"bad hex", `"type":"hex","secret":"xyz"`},
		{"gost", `"type":"totp","secret":"JBSWY3DP","algorithm":"GOST3411_2012_256"`},
		{"bad secret", `"type":"totp","secret":"!!"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := `{"a":{"hash":"a","index":0,"type":"totp","secret":"JBSWY3DPEHPK3PXP"},"b":{"hash":"b","index":1,` + tc.entry + `}}`
			res, err := Importer{}.Import([]byte(data), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Accounts) != 1 {
				t.Fatalf("%d accounts", len(res.Accounts))
			}
			formatstest.CheckProblem(t, res, 2, "JBSWY3DP")
		})
	}
}

func TestDetect(t *testing.T) {
	for _, s := range []string{
		`{"version":1,"header":{},"db":{}}`,
		`{"services":[],"schemaVersion":4}`,
		`{"a":{"secret":"x"}}`,
		`{"items":[{"login":{"totp":"x"}}],"encrypted":false}`,
		`[]`, `{}`, `otpauth://totp/x?secret=AA`,
	} {
		if (Importer{}).Detect([]byte(s)) {
			t.Errorf("Detect(%s) = true", s)
		}
	}
}

func FuzzImport(f *testing.F) {
	f.Add([]byte(backup))
	f.Add([]byte(`{"a":{"hash":"a","type":"hhex","secret":"00ff","counter":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		formatstest.Fuzz(t, Importer{}, data, nil)
	})
}
