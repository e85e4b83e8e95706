package otpauth

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/formats/formatstest"
)

func TestRegistered(t *testing.T) {
	f, ok := formats.Lookup("otpauth")
	if !ok || f.Importer == nil || f.Exporter == nil {
		t.Fatalf("otpauth not registered with importer and exporter: %+v", f)
	}
}

func TestPeerFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"plain.txt", []string{"V1", "V2", "V3", "V4", "V5", "V6", "V7"}},
		{"ente_auth.txt", []string{"V5", "V3", "V7", "V1", "V4", "V2", "V6"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := formatstest.ReadPeer(t, "aegis", tt.file)
			formatstest.CheckImport(t, Importer{}, data, nil, formatstest.Vectors(tt.want...))
		})
	}
}

func TestImportTolerance(t *testing.T) {
	data := "\xef\xbb\xbf# exported by hand\r\n\r\n" +
		"  otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno  \r\n" +
		"\t\n   # indented comment\n" +
		"otpauth://hotp/Issuu:James?secret=yoom-ixws-5gn6-rtbp-uffw-ktw5-m4&counter=1\n" +
		"otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI" // no final newline
	res, err := Importer{}.Import([]byte(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems: %v", res.Problems)
	}
	formatstest.Compare(t, res.Accounts, formatstest.Vectors("V1", "V4", "V7"))
}

func TestImportProblems(t *testing.T) {
	data := strings.Join([]string{
		"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno",
		"otpauth://totp/Bad:digits?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=12",
		"",
		"# comment",
		"otpauth://hotp/Bad:counter?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ",
		"otpauth-migration://offline?data=AAAA",
		"otpauth://totp/SPDX:James?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&issuer=SPDX&algorithm=SHA256&digits=7&period=20",
	}, "\n")
	res, err := Importer{}.Import([]byte(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	formatstest.Compare(t, res.Accounts, formatstest.Vectors("V1", "V2"))
	want := []struct {
		index int
		line  string
	}{{2, "line 2:"}, {3, "line 5:"}, {4, "line 6:"}}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems: %v", res.Problems)
	}
	for i, w := range want {
		p := res.Problems[i]
		if p.Index != w.index || !strings.HasPrefix(p.Message, w.line) {
			t.Errorf("problem %d = %+v, want entry %d, %s", i, p, w.index, w.line)
		}
		if strings.Contains(p.String(), "4SJHB4GSD43FZBAI7C2HLRJGPQ") || strings.Contains(p.String(), "secret=") || strings.Contains(p.String(), "offline") {
			t.Errorf("problem %q leaks the secret or URI", p)
		}
	}
}

func TestImportNothing(t *testing.T) {
	for name, data := range map[string]string{
		"empty":         "",
		"blank lines":   "\n\r\n  \n",
		"comments only": "# a\n# b\n",
		"one bad":       "otpauth://totp/a?secret=",
		"all bad":       "otpauth://totp/a?secret=\nhello\notpauth://motp/x?secret=AAAA\n",
		"binary":        "\x00\xff\xfe\x01",
	} {
		t.Run(name, func(t *testing.T) {
			res, err := Importer{}.Import([]byte(data), nil)
			if !errors.Is(err, ErrNoAccounts) {
				t.Fatalf("err = %v, want ErrNoAccounts", err)
			}
			if len(res.Accounts) != 0 {
				t.Errorf("accounts: %v", res.Accounts)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := map[string]bool{
		"otpauth://totp/a?secret=AAAA":           true,
		"\xef\xbb\xbf\r\n# c\n OTPAUTH://totp/a": true,
		"otpauth://":                             true,
		"":                                       false,
		"# only a comment":                       false,
		"otpauth-migration://offline?data=x":     false,
		"{\"otpauth://\": 1}":                    false,
		"hello\notpauth://totp/a?secret=AAAA":    false,
		"otpauth:/":                              false,
	}
	for data, want := range tests {
		if got := (Importer{}).Detect([]byte(data)); got != want {
			t.Errorf("Detect(%q) = %v, want %v", data, got, want)
		}
	}
}

func TestExport(t *testing.T) {
	accounts := formatstest.All()
	out, err := Exporter{}.Export(accounts, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	if len(lines) != len(accounts)+1 || lines[len(lines)-1] != "" {
		t.Fatalf("want %d lines ending in a newline, got %q", len(accounts), out)
	}
	if want := "otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air%20Canada&algorithm=SHA256&digits=7&counter=50"; lines[4] != want {
		t.Errorf("line 5 = %s\nwant     %s", lines[4], want)
	}
	if !strings.HasSuffix(lines[6], "&encoder=steam") {
		t.Errorf("steam line = %s", lines[6])
	}
	res, err := Importer{}.Import(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	formatstest.Compare(t, res.Accounts, accounts)

	bad := formatstest.Vectors("V1", "V2")
	bad[1].Digits = 3
	if _, err := (Exporter{}).Export(bad, nil); err == nil || !strings.HasPrefix(err.Error(), "account 2:") {
		t.Errorf("export of an invalid account: err = %v", err)
	}
}

// FuzzImport checks that Import never panics and that export → import returns what was
// imported. Seeds are in testdata/fuzz/FuzzImport.
func FuzzImport(f *testing.F) {
	f.Add([]byte("otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		(Importer{}).Detect(data)
		res, err := Importer{}.Import(data, nil)
		if err != nil {
			if len(res.Accounts) != 0 {
				t.Fatal("error with accounts")
			}
			return
		}
		formatstest.Valid(t, res.Accounts)
		out, err := Exporter{}.Export(res.Accounts, nil)
		if err != nil {
			t.Fatalf("export of imported accounts: %v", err)
		}
		again, err := Importer{}.Import(out, nil)
		if err != nil || len(again.Problems) != 0 {
			t.Fatalf("re-import: %v %v", err, again.Problems)
		}
		formatstest.Compare(t, again.Accounts, res.Accounts)
	})
}

// TestImportManyBadLinesBounded: a file of many bad lines keeps MaxProblems problems and
// counts the rest, rather than holding one Problem per line; a file of more than
// MaxEntries lines is refused before it is read.
func TestImportManyBadLinesBounded(t *testing.T) {
	const n = formats.MaxEntries - 1
	data := []byte("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP\n" + strings.Repeat("x\n", n))
	res, err := Importer{}.Import(data, nil)
	if err != nil || len(res.Accounts) != 1 {
		t.Fatalf("%d accounts, %v", len(res.Accounts), err)
	}
	if len(res.Problems) != formats.MaxProblems || res.ProblemCount() != n {
		t.Fatalf("%d problems kept, %d in all; want %d and %d", len(res.Problems), res.ProblemCount(), formats.MaxProblems, n)
	}
	if last := res.Problems[len(res.Problems)-1]; last.Index != formats.MaxProblems+1 {
		t.Errorf("last problem kept is entry %d", last.Index)
	}
	_, err = Importer{}.Import([]byte(strings.Repeat("x\n", n)), nil)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("all %d entries", n)) {
		t.Errorf("a file of only bad lines: %v", err)
	}
	_, err = Importer{}.Import(append(data, "x\n"...), nil)
	if !errors.Is(err, formats.ErrTooManyEntries) {
		t.Errorf("%d lines: %v", formats.MaxEntries+1, err)
	}
}
