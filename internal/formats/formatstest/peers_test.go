package formatstest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeward.dev/internal/formats"
	_ "codeward.dev/internal/formats/all"
	ft "codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/vault"
)

type fixture struct {
	dir, file string
	format    string // what auto-detection must pick ("" = no format)
	password  string
	want      []vault.Account
	err       bool // the right importer must refuse the file
}

func steamAs(issuer string) vault.Account {
	a := ft.Vector("V7")
	a.Issuer, a.Name = issuer, ""
	return a
}

func acct(typ, issuer, name string, counter uint64) vault.Account {
	a := ft.Vector("V1")
	a.Issuer, a.Name, a.Secret = issuer, name, "7KSQL2JTUDIS5EF65KLMRQIIGY"
	if typ == "hotp" {
		a = ft.Vector("V4")
		a.Issuer, a.Name, a.Secret, a.Counter = issuer, name, "7KSQL2JTUDIS5EF65KLMRQIIGY", counter
	}
	return a
}

func serenity(n int, secret string) vault.Account {
	a := ft.Vector("V1")
	a.Issuer, a.Name, a.Secret = "SerenityLabs", fmt.Sprintf("test%d@serenitylabs.co.uk", n), secret
	return a
}

// piAccounts are what the Google samples' example export holds, both as migration URIs
// and as the otpauth lines the samples' decoder wrote from them.
var piAccounts = []vault.Account{
	acct("totp", "raspberrypi", "pi@raspberrypi", 0),
	acct("totp", "", "pi@raspberrypi", 0),
	acct("totp", "", "pi@raspberrypi", 0),
	acct("totp", "raspberrypi", "pi@raspberrypi", 0),
	acct("hotp", "", "hotp demo", 4),
	acct("totp", "encoding", "¿äÄéÉ? (demo)", 0),
}

// fixtures lists every file in ../shared/peers with what it holds (see EXPECTED.md and
// the Google samples' README there). Adjustments follow EXPECTED.md; where Codeward does
// better than the app that wrote the file (old andOTP labels) the canonical account is
// expected.
var fixtures = []fixture{
	{"aegis", "aegis_plain.json", "aegis", "", ft.All(), false},
	{"aegis", "aegis_encrypted.json", "aegis", "test", ft.All(), false},
	{"aegis", "andotp_plain.json", "andotp", "", ft.All(), false},
	{"aegis", "andotp_encrypted.bin", "andotp", "test", ft.All(), false},
	{"aegis", "andotp_encrypted_old.bin", "andotp", "test", ft.Vectors("V1", "V2", "V3", "V4", "V5", "V6"), false},
	{"aegis", "2fas_authenticator.json", "2fas", "", ft.Map(ft.Vectors("V1", "V2", "V3", "V4", "V5", "V6"), ft.AsPlainTOTP), false},
	{"aegis", "2fas_authenticator_plain.2fas", "2fas", "", ft.Map(ft.Vectors("V1", "V3", "V4", "V6"), ft.AsTOTP), false},
	{"aegis", "2fas_authenticator_encrypted.2fas", "2fas", "test", ft.Map(ft.Vectors("V1", "V3", "V4", "V6"), ft.AsTOTP), false},
	{"aegis", "2fas_authenticator_plain_v3.2fas", "2fas", "", ft.Vectors("V1", "V2", "V3", "V4", "V5", "V6"), false},
	{"aegis", "2fas_authenticator_encrypted_v3.2fas", "2fas", "test", ft.Vectors("V1", "V2", "V3", "V4", "V5", "V6"), false},
	{"aegis", "2fas_authenticator_plain_v4.2fas", "2fas", "", ft.Vectors("V1", "V4", "V5", "V6", "V7"), false},
	{"aegis", "2fas_authenticator_encrypted_v4.2fas", "2fas", "test", ft.Vectors("V1", "V4", "V5", "V6", "V7"), false},
	{"aegis", "plain.txt", "otpauth", "", ft.All(), false},
	{"aegis", "ente_auth.txt", "ente", "", ft.Vectors("V5", "V3", "V7", "V1", "V4", "V2", "V6"), false},
	{"aegis", "bitwarden.json", "bitwarden", "", append(ft.Vectors("V1", "V2", "V3"), steamAs("Test Steam")), false},
	{"aegis", "bitwarden.csv", "bitwarden", "", append(ft.Vectors("V1", "V2", "V3"), steamAs("Test 4")), false},
	{"aegis", "stratum_plain.json", "stratum", "", ft.All(), false},
	{"aegis", "stratum_encrypted.bin", "stratum", "test", ft.All(), false},
	{"aegis", "stratum_encrypted_legacy.bin", "stratum", "test", ft.All(), false},
	{"google-migration", "example_export.txt", "google", "", piAccounts, false},
	{"google-migration", "test_plus_problem_export.txt", "google", "", []vault.Account{
		serenity(1, "A4RFDYMF4GSLUIBQV4ZP67OJEZ2XUQVM"),
		serenity(2, "SCDDZ7PW5MOZLE3PQCAZM7L4S35K3UDX"),
		serenity(3, "TR76272RVYO6EAEY2FX7W7R7KUDEGPJ4"),
		serenity(4, "N2ILWSXSJUQUB7S6NONPJSC62NPG7EXN"),
	}, false},
	{"google-migration", "test_export_wrong_data.txt", "google", "", nil, true},
	{"google-migration", "url_list_output.txt", "otpauth", "", piAccounts, false},
}

// known lists the files in the peer folders that are not importer fixtures.
var known = map[string]bool{
	"EXPECTED.md": true, "README.md": true, "example_output.json": true,
}

// secrets are the strings no error, problem or warning may contain.
func secrets() []string {
	var s []string
	for _, id := range []string{"V1", "V2", "V3", "V4", "V5", "V6", "V7"} {
		s = append(s, ft.Vector(id).Secret[:12])
	}
	return append(s, "7KSQL2JTUDIS", "A4RFDYMF4GSL")
}

func leaks(msg string) string {
	for _, s := range secrets() {
		if strings.Contains(msg, s) {
			return s
		}
	}
	return ""
}

// TestPeerFixtures runs every registered importer on every peer fixture: the format the
// file belongs to must be the one detected and must read exactly the expected accounts;
// every other importer must not panic or leak a secret in what it reports.
func TestPeerFixtures(t *testing.T) {
	listed := map[string]bool{}
	for _, fx := range fixtures {
		listed[fx.dir+"/"+fx.file] = true
		t.Run(fx.file, func(t *testing.T) {
			data := ft.ReadPeer(t, fx.dir, fx.file)
			var pw []byte
			if fx.password != "" {
				pw = []byte(fx.password)
			}
			f, err := formats.Detect(data)
			if err != nil || f.Name != fx.format {
				t.Fatalf("detected as %q (%v), want %q", f.Name, err, fx.format)
			}
			if fx.err {
				if f.Importer.Encrypted(data) != (pw != nil) {
					t.Errorf("Encrypted = %v", f.Importer.Encrypted(data))
				}
				if res, err := f.Importer.Import(data, pw); err == nil {
					t.Fatalf("imported %d accounts from a bad file", len(res.Accounts))
				}
				return
			}
			ft.CheckImport(t, f.Importer, data, pw, fx.want)

			for _, other := range formats.All() {
				if other.Importer == nil || other.Name == f.Name {
					continue
				}
				other.Importer.Detect(data)
				other.Importer.Encrypted(data)
				res, err := other.Importer.Import(data, pw)
				msgs := fmt.Sprint(res.Problems, res.Warnings)
				if err != nil {
					msgs += err.Error()
				}
				if s := leaks(msgs); s != "" {
					t.Errorf("importer %s reports a secret (%s…): %s", other.Name, s[:4], msgs)
				}
			}
		})
	}
	// Every fixture file is accounted for, so a new one is not silently ignored.
	for _, dir := range []string{"aegis", "google-migration", "authenticator-extension"} {
		entries, err := os.ReadDir(ft.PeersDir(t, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !listed[dir+"/"+e.Name()] && !known[e.Name()] {
				t.Errorf("peer fixture %s is not in the table", filepath.Join(dir, e.Name()))
			}
		}
	}
}

// TestExportRoundTrips exports the canonical accounts with every exporter and imports the
// result with the same format.
func TestExportRoundTrips(t *testing.T) {
	for _, f := range formats.All() {
		if f.Exporter == nil || f.Importer == nil {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			want := ft.All()
			if f.Name == "google" {
				want = ft.Vectors("V1", "V4", "V6") // what the format can hold
			}
			var pw []byte
			if f.Exporter.NeedsPassword() {
				pw = []byte("round trip")
			}
			out, err := f.Exporter.Export(want, pw)
			if err != nil {
				t.Fatal(err)
			}
			if d, err := formats.Detect(out); err != nil || d.Name != f.Name {
				t.Errorf("export detected as %q (%v)", d.Name, err)
			}
			res, err := f.Importer.Import(out, pw)
			if err != nil {
				t.Fatal(err)
			}
			ft.Compare(t, res.Accounts, want)
		})
	}
}
