package bitwarden

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"testing"
)

// checkCSVAsEncodingCSV: csvReader gives the records encoding/csv's Reader (defaults, any
// number of fields) gives, and fails on the same record.
func checkCSVAsEncodingCSV(t *testing.T, data []byte) {
	t.Helper()
	std := csv.NewReader(bytes.NewReader(data))
	std.FieldsPerRecord = -1
	ours := csvReader{data}
	for n := 1; ; n++ {
		want, wantErr := std.Read()
		got, err := ours.Read()
		switch {
		case wantErr == io.EOF || err == io.EOF:
			if wantErr != err {
				t.Fatalf("%q record %d: csvReader %q, %v; encoding/csv %q, %v", data, n, got, err, want, wantErr)
			}
			return
		case (err != nil) != (wantErr != nil):
			t.Fatalf("%q record %d: csvReader %q, %v; encoding/csv %q, %v", data, n, got, err, want, wantErr)
		case err != nil:
			return // both refuse the file; the importer stops at the first error
		case !slices.Equal(got, want):
			t.Fatalf("%q record %d: csvReader %q; encoding/csv %q", data, n, got, want)
		}
	}
}

func TestCSVAsEncodingCSV(t *testing.T) {
	for _, in := range []string{
		"", "\n", "\r\n", "a", "a,b\nc,d", "a,b\r\nc,d\r\n", "\n\n a , b \n\r\n,\n", "a,\n,a\n,\n",
		`"a","b,c"` + "\n", `"a""b",c`, `"a` + "\n" + `b",c`, `"a` + "\r\n\r\n" + `b"`, `"a"b`, `a"b`, `"a`,
		`"a` + "\n", `"a"` + "\r", "a\r", "a\rb\n", "a\r\r\n", `""`, `"",""`, `""""`, "\"\n\"\n", "é,\xff,\"\xfe\"",
		"name,login_totp\nGitHub,\"otpauth://totp/GitHub:me?secret=JBSWY3DPEHPK3PXP\"\n",
	} {
		checkCSVAsEncodingCSV(t, []byte(in))
	}
}

func FuzzCSVAsEncodingCSV(f *testing.F) {
	f.Add([]byte("folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,0,login,\"A, \"\"B\"\"\",\"x\ny\",,0,\"https://a.example,https://b.example\",me,pw,JBSWY3DPEHPK3PXP\r\n"))
	f.Add([]byte(`"a` + "\n" + `b",c` + "\n\"\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCSVAsEncodingCSV(t, data)
	})
}
