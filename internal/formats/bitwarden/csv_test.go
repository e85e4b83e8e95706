package bitwarden

import (
	"bytes"
	"encoding/csv"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"

	"codeward.dev/internal/formats"
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
		case wantErr == nil && len(want) > maxCSVFields && err == errCSV:
			return // a record longer than any export's is refused (TestCSVFieldBound)
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

// TestCSVFieldBound: a record of more fields than any export's (a 16 MiB file of commas,
// which the format detection reads as a header) is refused before it costs ~60 bytes of
// memory per byte of file; records up to the bound read as encoding/csv reads them.
func TestCSVFieldBound(t *testing.T) {
	data := bytes.Repeat([]byte(","), 16<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := csvReader{data}
	_, err := r.Read()
	runtime.ReadMemStats(&after)
	if err != errCSV {
		t.Errorf("a record of %d fields: %v", len(data)+1, err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(data)) {
		t.Errorf("reading it allocated %d MB", n>>20)
	}
	checkCSVAsEncodingCSV(t, bytes.Repeat([]byte("a,"), maxCSVFields-1))
	checkCSVAsEncodingCSV(t, []byte(strings.Repeat(`"",`, maxCSVFields-1)+"\n"+strings.Repeat(",", maxCSVFields)))
}

func FuzzCSVAsEncodingCSV(f *testing.F) {
	f.Add([]byte("folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,0,login,\"A, \"\"B\"\"\",\"x\ny\",,0,\"https://a.example,https://b.example\",me,pw,JBSWY3DPEHPK3PXP\r\n"))
	f.Add([]byte(`"a` + "\n" + `b",c` + "\n\"\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCSVAsEncodingCSV(t, data)
	})
}

// TestCSVRowBound: an export of more rows than any vault's items is refused with a plain
// error, before holding a record for each; one at the bound reads.
func TestCSVRowBound(t *testing.T) {
	header := "name,login_totp\n"
	if _, err := readCSV([]byte(header + strings.Repeat("a,JBSWY3DPEHPK3PXP\n", formats.MaxEntries))); err != nil {
		t.Fatalf("%d rows: %v", formats.MaxEntries, err)
	}
	_, err := readCSV([]byte(header + strings.Repeat("a,b\n", formats.MaxEntries+1)))
	if err == nil || !strings.Contains(err.Error(), "more than 200000 rows") {
		t.Fatalf("%d rows: %v", formats.MaxEntries+1, err)
	}
}
