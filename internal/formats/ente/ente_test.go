package ente

import (
	"errors"
	"strings"
	"testing"

	"codeward.dev/internal/formats/formatstest"
)

func TestPeerFixture(t *testing.T) {
	data := formatstest.ReadPeer(t, "aegis", "ente_auth.txt")
	// Ente sorts its export by issuer.
	formatstest.CheckImport(t, Importer{}, data, nil, formatstest.Vectors("V5", "V3", "V7", "V1", "V4", "V2", "V6"))
}

const cd = `&codeDisplay=%7B%22pinned%22%3Afalse%2C%22trashed%22%3A`

func TestTrashNoteAndProblems(t *testing.T) {
	text := "\xef\xbb\xbfotpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A" + cd + `false%2C%22note%22%3A%22hi%22%7D` + "\r\n" +
		"otpauth://totp/B:b?secret=JBSWY3DPEHPK3PXP&issuer=B" + cd + "true%7D\n" +
		"otpauth://totp/C:c?secret=!!&issuer=C" + cd + "false%7D\n" +
		"otpauth://totp/D:d?secret=JBSWY3DPEHPK3PXP&issuer=D&codeDisplay=%7Bnot-json\n"
	imp := Importer{}
	if !imp.Detect([]byte(text)) {
		t.Fatal("not detected")
	}
	res, err := imp.Import([]byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) != 1 || res.Accounts[0].Issuer != "A" || res.Accounts[0].Note != "hi" {
		t.Fatalf("accounts = %+v", res.Accounts)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "1 entries") {
		t.Errorf("warnings = %v", res.Warnings)
	}
	if len(res.Problems) != 2 || res.Problems[0].Index != 3 || res.Problems[1].Index != 4 {
		t.Errorf("problems = %v", res.Problems)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.String(), "JBSWY3DP") {
			t.Errorf("problem shows the secret: %s", p)
		}
	}
}

func TestDetectAndRefuse(t *testing.T) {
	plain := "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A\n"
	if (Importer{}).Detect([]byte(plain)) {
		t.Error("a plain otpauth list is claimed by ente")
	}
	enc := []byte(`{"version":1,"kdfParams":{"memLimit":1,"opsLimit":1,"salt":"x"},"encryptedData":"x","encryptionNonce":"x"}`)
	if !(Importer{}).Detect(enc) || !(Importer{}).Encrypted(enc) {
		t.Error("encrypted export not recognised")
	}
	if _, err := (Importer{}).Import(enc, []byte("pw")); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted: %v", err)
	}
	if _, err := (Importer{}).Import([]byte("# only a comment\n"), nil); !errors.Is(err, ErrNoAccounts) {
		t.Errorf("empty: %v", err)
	}
}

func FuzzImport(f *testing.F) {
	f.Add([]byte("otpauth://hotp/A:a?secret=JBSWY3DPEHPK3PXP&counter=3" + cd + "false%7D\n"))
	f.Add([]byte(`{"kdfParams":{},"encryptedData":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		formatstest.Fuzz(t, Importer{}, data, nil)
	})
}
