package twofas

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/vault"
)

func TestPeerFixtures(t *testing.T) {
	schema2 := formatstest.Map(formatstest.Vectors("V1", "V3", "V4", "V6"), formatstest.AsTOTP)
	v3 := formatstest.Vectors("V1", "V2", "V3", "V4", "V5", "V6")
	v4 := formatstest.Vectors("V1", "V4", "V5", "V6", "V7")
	for _, tc := range []struct {
		file     string
		password []byte
		want     []vault.Account
	}{
		{"2fas_authenticator.json", nil, formatstest.Map(v3, formatstest.AsPlainTOTP)},
		{"2fas_authenticator_plain.2fas", nil, schema2},
		{"2fas_authenticator_encrypted.2fas", []byte("test"), schema2},
		{"2fas_authenticator_plain_v3.2fas", nil, v3},
		{"2fas_authenticator_encrypted_v3.2fas", []byte("test"), v3},
		{"2fas_authenticator_plain_v4.2fas", nil, v4},
		{"2fas_authenticator_encrypted_v4.2fas", []byte("test"), v4},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := formatstest.ReadPeer(t, "aegis", tc.file)
			formatstest.CheckImport(t, Importer{}, data, tc.password, tc.want)
		})
	}
}

// encrypt builds a servicesEncrypted field the way 2FAS does.
func encrypt(t *testing.T, services string, password string) string {
	t.Helper()
	salt, iv := []byte("0123456789abcdef0123456789abcdef"), []byte("iv-iv-iv-iv!")
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(block)
	ct := gcm.Seal(nil, iv, []byte(services), nil)
	b64 := base64.StdEncoding.EncodeToString
	return b64(ct) + ":" + b64(salt) + ":" + b64(iv)
}

const hotp = `{"name":"Issuu","secret":"YOOMIXWS5GN6RTBPUFFWKTW5M4","otp":{"label":"Issuu:James","account":"","digits":6,"algorithm":"SHA1","counter":1,"tokenType":"HOTP"}}`

func file(schema int, services, encrypted string) []byte {
	return []byte(fmt.Sprintf(`{"services":[%s],"schemaVersion":%d,"servicesEncrypted":%q}`, services, schema, encrypted))
}

func TestSynthetic(t *testing.T) {
	enc := encrypt(t, "["+hotp+"]", "pw")
	for _, tc := range []struct {
		name     string
		data     []byte
		password string
		want     error
		problems int
	}{
		{"encrypted", file(4, "", enc), "pw", nil, 0},
		{"label fallback", file(4, hotp, ""), "", nil, 0},
		{"schema 5", file(5, hotp, ""), "", ErrCorrupt, 0},
		{"damaged field", file(4, "", enc[:10]+"!"+enc[11:]), "pw", ErrCorrupt, 0},
		{"two parts", file(4, "", enc[:strings.LastIndex(enc, ":")]), "pw", ErrCorrupt, 0},
		{"flipped ciphertext", file(4, "", "A"+enc[1:]), "pw", vault.ErrWrongPassword, 0},
		{"unknown token type", file(4, hotp+","+strings.Replace(hotp, "HOTP", "YANDEX", 1), ""), "", nil, 1},
		{"HOTP without counter", file(4, hotp+","+strings.Replace(hotp, `"counter":1,`, "", 1), ""), "", nil, 1},
		{"MD5", file(4, hotp+","+strings.Replace(hotp, "SHA1", "MD5", 1), ""), "", nil, 1},
		{"schema 3 needs a token type", file(3, hotp+","+strings.Replace(hotp, `,"tokenType":"HOTP"`, "", 1), ""), "", nil, 1},
		{"all bad", file(4, strings.Replace(hotp, "HOTP", "X", 1), ""), "", errAny, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pw []byte
			if tc.password != "" {
				pw = []byte(tc.password)
			}
			res, err := Importer{}.Import(tc.data, pw)
			switch {
			case tc.want == errAny && err == nil, tc.want != errAny && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want %v", err, tc.want)
			case err != nil:
				return
			}
			if len(res.Problems) != tc.problems {
				t.Errorf("problems = %v", res.Problems)
			}
			formatstest.Compare(t, res.Accounts, formatstest.Vectors("V4"))
			for _, p := range res.Problems {
				if strings.Contains(p.String(), "YOOMIX") {
					t.Errorf("problem shows the secret: %s", p)
				}
			}
		})
	}
}

var errAny = errors.New("any error")

func FuzzImport(f *testing.F) {
	f.Add(file(4, hotp, ""), []byte(nil))
	f.Add(file(1, `{"name":"x","secret":"JBSWY3DP","otp":{}}`, ""), []byte(nil))
	f.Add(file(2, "", "AAAAAAAAAAAAAAAAAAAAAA==:AA==:AAAAAAAAAAAAAAAA"), []byte("p"))
	f.Fuzz(func(t *testing.T, data, pw []byte) {
		imp := Importer{}
		if !imp.Detect(data) {
			return
		}
		formatstest.Fuzz(t, imp, data, pw)
	})
}
