package main

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// Tests run with the cheapest Argon2id parameters; TestBinary runs the real binary at the
// default parameters.
func TestMain(m *testing.M) {
	testKDF = &vault.KDFParams{Memory: 8, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

const (
	password = "tr0ub4dor&3 ünïcode"
	at       = "1672531200"
)

// Secrets of the test accounts: none may ever appear on stderr.
var secrets = []string{"4SJHB4GSD43FZBAI7C2HLRJGPQ", "5OM4WOOGPLQEF6UGN3CPEOOLWU", "JRZCL47CMXVOQMNPZR2F7J4RGI", "5VAML3X35THCEBVRLV24CGBKOY"}

type result struct {
	status         int
	stdout, stderr string
}

func cw(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return cwReader(t, strings.NewReader(stdin), args...)
}

func cwReader(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	status := run(args, stdin, &out, &errb)
	return result{status, out.String(), errb.String()}
}

// checkStderr enforces the output rules on every run: valid UTF-8, only "codeward: "
// lines, never a secret, a password or a URI, never a Go panic.
func checkStderr(t *testing.T, r result) {
	t.Helper()
	if !utf8.ValidString(r.stderr) {
		t.Errorf("stderr is not valid UTF-8: %q", r.stderr)
	}
	for _, l := range lines(r.stderr) {
		if !strings.HasPrefix(l, "codeward: ") {
			t.Errorf("stderr line without the codeward: prefix: %q", l)
		}
	}
	for _, bad := range append([]string{password, "otpauth://t", "otpauth://h", "goroutine ", "panic:", ".go:"}, secrets...) {
		if strings.Contains(r.stderr, bad) {
			t.Errorf("stderr contains %q:\n%s", bad, r.stderr)
		}
	}
}

// wantError checks a failed run: non-zero status, nothing on stdout, exactly one error
// line containing want, then only hint lines.
func wantError(t *testing.T, r result, want string) {
	t.Helper()
	checkStderr(t, r)
	if r.status == 0 {
		t.Fatalf("status 0, want an error; stdout %q", r.stdout)
	}
	if r.stdout != "" {
		t.Errorf("stdout on error: %q", r.stdout)
	}
	ls := lines(r.stderr)
	if len(ls) == 0 {
		t.Fatal("no error message")
	}
	if strings.HasPrefix(ls[0], "codeward: hint:") || strings.HasPrefix(ls[0], "codeward: warning:") {
		t.Errorf("first stderr line is not the error: %q", ls[0])
	}
	for _, l := range ls[1:] {
		if !strings.HasPrefix(l, "codeward: hint: ") {
			t.Errorf("extra stderr line after the error: %q", l)
		}
	}
	if !strings.Contains(ls[0], want) {
		t.Errorf("error %q does not contain %q", ls[0], want)
	}
}

func wantOK(t *testing.T, r result) {
	t.Helper()
	checkStderr(t, r)
	if r.status != 0 {
		t.Fatalf("status %d; stderr:\n%s", r.status, r.stderr)
	}
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func passwordFile(t *testing.T) string {
	return writeFile(t, "pw", []byte(password+"\n"))
}

// The accounts of the round trips: the canonical test vectors, unicode, punctuation,
// HOTP counters (zero and huge), Steam both ways, non-canonical spellings.
var roundTripURIs = []string{
	"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno",
	"otpauth://totp/SPDX:James?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&algorithm=SHA256&digits=7&period=20",
	"otpauth://totp/Airbnb:Elijah?secret=7ELGJSGXNCCTV3O6LKJWYFV2RA&issuer=Airbnb&algorithm=sha512&digits=8&period=50",
	"otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&counter=1",
	"otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&issuer=Air+Canada&algorithm=SHA256&digits=7&counter=50",
	"otpauth://hotp/WWE:Mason?secret=5VAML3X35THCEBVRLV24CGBKOY&algorithm=SHA512&digits=8&counter=10300",
	"otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI",
	"otpauth://totp/Steam:gabe?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=Steam&encoder=steam",
	"otpauth://totp/%E6%9D%B1%E4%BA%AC%E9%8A%80%E8%A1%8C:Jos%C3%A9%20%C3%98rsted%20%F0%9F%9A%80?secret=jbsw-y3dp-ehpk-3pxp",
	"otpauth://totp/Ben%20%26%20Jerry%27s%20(EU)!:o%27neil%2Btag@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Ben%20%26%20Jerry%27s%20(EU)!&digits=10&period=3600",
	"otpauth://totp/a%2Fb%3Fc%23d%3De%25f%20%22q%22%20%3Ctag%3E?secret=MFRGG&digits=5&period=1",
	"otpauth://hotp/Max?secret=MFRGGZDFMZTWQ2LK&counter=18446744073709551615",
	"otpauth://hotp/Zero?secret=MFRGGZDFMZTWQ2LK&counter=0",
	"otpauth://totp/Battle.net:US-2211-2050-3346?secret=BMGRXPGFARQQF4GMT25JATL2VYLAHDBI&digits=8",
}

func canonical(t *testing.T, uris []string) string {
	t.Helper()
	var b strings.Builder
	for _, u := range uris {
		k, err := otp.ParseURI(u)
		if err != nil {
			t.Fatalf("test URI does not parse: %v", err)
		}
		b.WriteString(k.URI() + "\n")
	}
	return b.String()
}

// exportBackup writes roundTripURIs (or uris) to a Codeward backup and returns its path.
func exportBackup(t *testing.T, uris ...string) string {
	t.Helper()
	if len(uris) == 0 {
		uris = roundTripURIs
	}
	out := filepath.Join(t.TempDir(), "backup.json")
	r := cw(t, strings.Join(uris, "\n")+"\n", "export", "--to", "codeward", "--password-file", passwordFile(t), "--out", out)
	wantOK(t, r)
	if r.stdout != "" {
		t.Errorf("export with --out wrote to stdout: %q", r.stdout)
	}
	return out
}

func TestCode(t *testing.T) {
	uris := []string{
		"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ",
		"otpauth://totp/SPDX:James?secret=5OM4WOOGPLQEF6UGN3CPEOOLWU&algorithm=SHA256&digits=7&period=20",
		"otpauth://totp/Airbnb:Elijah?secret=7ELGJSGXNCCTV3O6LKJWYFV2RA&algorithm=SHA512&digits=8&period=50",
		"otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&counter=1",
		"otpauth://hotp/Air%20Canada:Benjamin?secret=KUVJJOM753IHTNDSZVCNKL7GII&algorithm=SHA256&digits=7&counter=50",
		"otpauth://hotp/WWE:Mason?secret=5VAML3X35THCEBVRLV24CGBKOY&algorithm=SHA512&digits=8&counter=10300",
		"otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI",
		"otpauth://totp/Steam:x?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&encoder=steam",
	}
	want := "547265\n8897402\n35899575\n253717\n4444976\n24622277\nB2MYW\n7W6CJ\n"

	r := cw(t, "", append([]string{"code", "--at", at}, uris...)...)
	wantOK(t, r)
	if r.stdout != want {
		t.Errorf("codes:\n%s\nwant:\n%s", r.stdout, want)
	}
	// Flags after the URIs, --at=N, and URIs from stdin.
	r = cw(t, "", "code", uris[0], "--at="+at)
	wantOK(t, r)
	if r.stdout != "547265\n" {
		t.Errorf("--at after the URI: %q", r.stdout)
	}
	r = cw(t, "# mine\r\n"+strings.Join(uris, "\r\n")+"\r\n", "code", "--at", at, "-")
	wantOK(t, r)
	if r.stdout != want {
		t.Errorf("codes from stdin:\n%s", r.stdout)
	}
	// Without --at: the current time; a 6-digit code in any case.
	r = cw(t, "", "code", uris[0])
	wantOK(t, r)
	if len(r.stdout) != 7 {
		t.Errorf("code now: %q", r.stdout)
	}
}

func TestRoundTripCodeward(t *testing.T) {
	want := canonical(t, roundTripURIs)
	backup := exportBackup(t)
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode: %v %v", fi.Mode(), err)
	}
	for _, from := range []string{"codeward", "auto"} {
		r := cw(t, "", "import", "--from", from, "--password-file", passwordFile(t), backup)
		wantOK(t, r)
		if r.stdout != want {
			t.Errorf("--from %s:\n%s\nwant:\n%s", from, r.stdout, want)
		}
		if r.stderr != "" {
			t.Errorf("stderr: %s", r.stderr)
		}
	}
	// The file argument before the flags, the backup on stdin.
	data, _ := os.ReadFile(backup)
	r := cw(t, string(data), "import", "-", "--password-file", passwordFile(t))
	wantOK(t, r)
	if r.stdout != want {
		t.Errorf("from stdin:\n%s", r.stdout)
	}
	// Export to stdout.
	r = cw(t, want, "export", "--to", "codeward", "--password-file", passwordFile(t))
	wantOK(t, r)
	r = cw(t, r.stdout, "import", "--password-file", passwordFile(t), "-")
	wantOK(t, r)
	if r.stdout != want {
		t.Errorf("via stdout:\n%s", r.stdout)
	}
}

func TestRoundTripOtpauth(t *testing.T) {
	want := canonical(t, roundTripURIs)
	r := cw(t, strings.Join(roundTripURIs, "\n"), "export", "--to", "otpauth")
	wantOK(t, r)
	if r.stdout != want {
		t.Errorf("export --to otpauth:\n%s\nwant:\n%s", r.stdout, want)
	}
	f := writeFile(t, "uris.txt", []byte(r.stdout))
	r = cw(t, "", "import", "--from", "otpauth", f)
	wantOK(t, r)
	if r.stdout != want {
		t.Errorf("import:\n%s", r.stdout)
	}
}

func TestImportPartlyBad(t *testing.T) {
	f := writeFile(t, "mixed.txt", []byte(strings.Join([]string{
		"# header",
		roundTripURIs[0],
		"otpauth://totp/Bad?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=12",
		"",
		"otpauth://totp/%FF%FE:x?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ",
		"otpauth://totp/\xff:raw?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ",
		roundTripURIs[6],
	}, "\r\n")))
	// --from otpauth: with a raw non-UTF-8 byte in it the file is binary, which
	// auto-detection may take for an encrypted format.
	r := cw(t, "", "import", "--from", "otpauth", f)
	wantOK(t, r)
	if want := canonical(t, []string{roundTripURIs[0], roundTripURIs[6]}); r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
	warn := lines(r.stderr)
	wantWarn := []string{
		"codeward: warning: entry 2: line 3: invalid otpauth URI: invalid key: 12 digits is out of range 5–10",
		"codeward: warning: entry 3: line 5: invalid otpauth URI: invalid key: issuer is not valid UTF-8",
		"codeward: warning: entry 4: line 6: invalid otpauth URI: invalid key: issuer is not valid UTF-8",
	}
	if strings.Join(warn, "\n") != strings.Join(wantWarn, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", r.stderr, strings.Join(wantWarn, "\n"))
	}
	// A UTF-8 file with percent-encoded bad names is detected as otpauth text.
	f = writeFile(t, "mixed2.txt", []byte(roundTripURIs[0]+"\notpauth://totp/x:%C3?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ\n"))
	r = cw(t, "", "import", f)
	wantOK(t, r)
	if r.stdout != canonical(t, roundTripURIs[:1]) || !strings.Contains(r.stderr, "codeward: warning: entry 2: line 2: invalid otpauth URI: invalid key: name is not valid UTF-8") {
		t.Errorf("auto import of a partly bad file:\n%s%s", r.stdout, r.stderr)
	}
}

func TestImportAllBad(t *testing.T) {
	f := writeFile(t, "bad.txt", []byte("otpauth://totp/a?secret=\notpauth://hotp/b?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ\n"))
	r := cw(t, "", "import", f)
	wantError(t, r, "no account could be imported")
	if !strings.Contains(r.stderr, "codeward: hint: entry 2: line 2: invalid otpauth URI: hotp needs a counter") {
		t.Errorf("hints do not list the bad entries:\n%s", r.stderr)
	}
}

func TestWrongPassword(t *testing.T) {
	backup := exportBackup(t)
	for _, pw := range []string{"wrong", password + " ", strings.ToUpper(password)} {
		r := cw(t, "", "import", "--from", "codeward", "--password-file", writeFile(t, "pw", []byte(pw)), backup)
		wantError(t, r, "wrong password")
		if r.status != exitError {
			t.Errorf("status %d", r.status)
		}
	}
}

func TestPasswordFile(t *testing.T) {
	backup := exportBackup(t) // password file had "\n"
	for name, content := range map[string]string{"no newline": password, "crlf": password + "\r\n"} {
		r := cw(t, "", "import", "--password-file", writeFile(t, "pw", []byte(content)), backup)
		if wantOK(t, r); len(lines(r.stdout)) != len(roundTripURIs) {
			t.Errorf("%s: %d accounts", name, len(lines(r.stdout)))
		}
	}
	// Only one newline is dropped: the rest is part of the password.
	r := cw(t, "", "import", "--password-file", writeFile(t, "pw", []byte(password+"\n\n")), backup)
	wantError(t, r, "wrong password")
	r = cw(t, "", "import", "--password-file", writeFile(t, "pw", []byte("\n")), backup)
	wantError(t, r, "the password file is empty")
	r = cw(t, "", "import", "--password-file", writeFile(t, "pw", bytes.Repeat([]byte("x"), maxPassword+1)), backup)
	wantError(t, r, "not a password file")
	r = cw(t, "", "import", "--password-file", filepath.Join(t.TempDir(), "none"), backup)
	wantError(t, r, "no such file")
}

func TestDamaged(t *testing.T) {
	backup := exportBackup(t, roundTripURIs[0], roundTripURIs[6])
	good, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	pw := passwordFile(t)
	importBytes := func(data []byte) result {
		return cw(t, string(data), "import", "--from", "codeward", "--password-file", pw, "-")
	}

	t.Run("truncated", func(t *testing.T) {
		for _, n := range []int{1, 2, 10, len(good) / 3, len(good) / 2, len(good) - 40, len(good) - 2} {
			wantError(t, importBytes(good[:n]), "damaged")
		}
	})
	t.Run("one flipped bit", func(t *testing.T) {
		// Every byte position, a different bit each time. The check value and the
		// KDF fields make some flips read as a wrong password: that is as it should be
		// (they are what a password is checked against); any other flip is damage.
		for i := range good {
			bad := bytes.Clone(good)
			bad[i] ^= 1 << (i % 8)
			r := importBytes(bad)
			if r.status == 0 {
				t.Fatalf("flipping bit %d of byte %d (%q) went unnoticed", i%8, i, good[i])
			}
			wantError(t, r, "")
			msg := lines(r.stderr)[0]
			if !strings.Contains(msg, "damaged") && !strings.Contains(msg, "wrong password") &&
				!strings.Contains(msg, "out of bounds") && !strings.Contains(msg, "unsupported") {
				t.Errorf("byte %d: unclear message %q", i, msg)
			}
		}
	})
	t.Run("unknown version", func(t *testing.T) {
		bad := bytes.Replace(good, []byte(`"version": 1`), []byte(`"version": 2`), 1)
		if bytes.Equal(bad, good) {
			t.Fatal(`no "version": 1 in the backup`)
		}
		r := importBytes(bad)
		wantError(t, r, "unsupported")
		if !strings.Contains(r.stderr, "codeward: hint: the file was written by a newer Codeward") {
			t.Errorf("no hint about a newer version:\n%s", r.stderr)
		}
	})
	t.Run("kdf out of bounds", func(t *testing.T) {
		bad := bytes.Replace(good, []byte(`"memory": 8,`), []byte(`"memory": 4294967296,`), 1)
		if bytes.Equal(bad, good) {
			t.Fatal(`no "memory": 8 in the backup`)
		}
		wantError(t, importBytes(bad), "out of bounds")
	})
	t.Run("empty", func(t *testing.T) {
		wantError(t, importBytes(nil), "empty")
		wantError(t, cw(t, "", "import", "--from", "codeward", writeFile(t, "e", nil)), "empty")
		wantError(t, cw(t, "", "import", writeFile(t, "e", nil)), "empty")
	})
	t.Run("not a backup", func(t *testing.T) {
		wantError(t, importBytes([]byte(`{"hello": "world"}`)), "damaged")
		wantError(t, cw(t, "", "import", writeFile(t, "x", []byte("hello\n"))), "not recognised")
	})
}

// countingReader is an endless stream of zeros that counts what was read from it.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	clear(p)
	c.n += int64(len(p))
	return len(p), nil
}

func TestTooLarge(t *testing.T) {
	// 50 MB of zeros as a (sparse) file: refused by its size, without reading it.
	p := filepath.Join(t.TempDir(), "zeros")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50_000_000); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, from := range []string{"auto", "codeward", "otpauth"} {
		wantError(t, cw(t, "", "import", "--from", from, "--password-file", passwordFile(t), p), "larger than 16 MiB")
	}
	// The same on stdin: refused after reading just past the limit.
	for _, args := range [][]string{{"import", "-"}, {"export", "--to", "otpauth"}, {"code", "-"}} {
		zeros := &countingReader{}
		wantError(t, cwReader(t, io.LimitReader(zeros, 50_000_000), args...), "larger than 16 MiB")
		if zeros.n > maxInput+64<<10 {
			t.Errorf("%v read %d bytes of a stream over the limit", args, zeros.n)
		}
	}
}

func TestExportErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.json")
	pw := passwordFile(t)
	tests := []struct {
		name, stdin string
		to          string // the format; "" means codeward
		want        string
	}{
		{"non-UTF-8 name", roundTripURIs[0] + "\notpauth://totp/ACME:%FF?secret=JBSWY3DPEHPK3PXP\n", "", "name is not valid UTF-8"},
		{"raw non-UTF-8 name", "otpauth://totp/\xc3:x?secret=JBSWY3DPEHPK3PXP\n", "", "issuer is not valid UTF-8"},
		{"one bad line", roundTripURIs[0] + "\notpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=0\n", "", "line 2: invalid otpauth URI"},
		{"several bad lines", "x\ny\n" + roundTripURIs[0], "", "2 lines are not valid otpauth URIs"},
		{"nothing", "\n# only a comment\n", "", "no account could be imported"},
		{"empty", "", "", "no account could be imported"},
		// A password for a format that cannot use one: refused, not plaintext written.
		{"password for otpauth", roundTripURIs[0] + "\n", "otpauth", "this format is not encrypted, so it takes no password"},
		{"password for google", roundTripURIs[0] + "\n", "google", "this format is not encrypted, so it takes no password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := cmp.Or(tt.to, "codeward")
			args := []string{"export", "--to", to, "--password-file", pw, "--out", out}
			wantError(t, cw(t, tt.stdin, args...), tt.want)
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed export left %s behind", out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	uri := roundTripURIs[0]
	tests := []struct {
		name   string
		args   []string
		want   string
		status int
	}{
		{"no command", nil, "no command given", exitUsage},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`, exitUsage},
		{"code without URI", []string{"code"}, "no otpauth:// URI given", exitUsage},
		{"code bad --at", []string{"code", "--at", "yesterday", uri}, "--at takes a Unix time", exitUsage},
		{"code negative --at", []string{"code", "--at=-5", uri}, "--at takes a Unix time", exitUsage},
		{"code --at without value", []string{"code", uri, "--at"}, "--at needs a value", exitUsage},
		{"code unknown flag", []string{"code", "--when", "5", uri}, `unknown flag "--when"`, exitUsage},
		{"code bad URI", []string{"code", uri, "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=4"}, "URI 2: invalid otpauth URI: invalid key: 4 digits", exitError},
		{"code not a URI", []string{"code", "JBSWY3DPEHPK3PXP"}, "URI 1: invalid otpauth URI: does not start with otpauth://", exitError},
		{"import without file", []string{"import", "--from", "otpauth"}, "exactly one FILE", exitUsage},
		{"import two files", []string{"import", "a", "b"}, "exactly one FILE", exitUsage},
		{"import unknown format", []string{"import", "--from", "lastpass", "x"}, `unknown format "lastpass"`, exitUsage},
		{"import missing file", []string{"import", "/nonexistent/backup.json"}, "/nonexistent/backup.json: no such file", exitError},
		{"import directory", []string{"import", os.TempDir()}, "is a directory", exitError},
		{"import flag twice", []string{"import", "--from", "otpauth", "--from=codeward", "x"}, "--from given twice", exitUsage},
		{"export without --to", []string{"export"}, "export needs --to FORMAT", exitUsage},
		{"export unknown format", []string{"export", "--to", "lastpass"}, `unknown format "lastpass"`, exitUsage},
		{"export import-only format", []string{"export", "--to", "bitwarden"}, `format "bitwarden" cannot export`, exitUsage},
		{"export with a file", []string{"export", "--to", "otpauth", "uris.txt"}, "takes no FILE", exitUsage},
		{"export no password source", []string{"export", "--to", "codeward"}, "a password is needed and standard input is not a terminal", exitError},
		{"formats with args", []string{"formats", "x"}, "formats takes no arguments", exitUsage},
		{"file name with a newline", []string{"import", "evil\nname\x1b[31m"}, "evil\uFFFDname\uFFFD[31m: no such file", exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cw(t, uri+"\n", tt.args...)
			wantError(t, r, tt.want)
			if r.status != tt.status {
				t.Errorf("status %d, want %d", r.status, tt.status)
			}
		})
	}
}

func TestImportEncryptedNeedsPassword(t *testing.T) {
	backup := exportBackup(t)
	r := cw(t, "", "import", backup)
	wantError(t, r, "a password is needed")
	if !strings.Contains(r.stderr, "codeward: hint: give it with --password-file FILE") {
		t.Errorf("no hint:\n%s", r.stderr)
	}
}

func TestPlainImportIgnoresPasswordFile(t *testing.T) {
	f := writeFile(t, "uris.txt", []byte(roundTripURIs[0]))
	r := cw(t, "", "import", "--password-file", passwordFile(t), f)
	wantOK(t, r)
	if !strings.Contains(r.stderr, "codeward: warning:") || !strings.Contains(r.stderr, "not encrypted") {
		t.Errorf("no warning about the unused password file: %q", r.stderr)
	}
}

// fakePrompt answers password prompts from a list and records the labels.
type fakePrompt struct {
	answers []string
	labels  []string
}

func (f *fakePrompt) ask(label string) ([]byte, error) {
	f.labels = append(f.labels, label)
	if len(f.answers) == 0 {
		return nil, io.EOF
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return []byte(a), nil
}

func runPrompt(t *testing.T, p *fakePrompt, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, prompt: p.ask, now: nil, kdf: testKDF}
	status := c.main(args)
	return result{status, out.String(), errb.String()}
}

func TestPrompt(t *testing.T) {
	in := strings.Join(roundTripURIs[:3], "\n")
	p := &fakePrompt{answers: []string{password, password}}
	r := runPrompt(t, p, in, "export", "--to", "codeward")
	wantOK(t, r)
	if len(p.labels) != 2 || !strings.HasPrefix(p.labels[1], "Repeat") {
		t.Errorf("export prompts: %q", p.labels)
	}
	backup := writeFile(t, "b.json", []byte(r.stdout))

	p = &fakePrompt{answers: []string{password}}
	r = runPrompt(t, p, "", "import", backup)
	wantOK(t, r)
	if len(p.labels) != 1 || r.stdout != canonical(t, roundTripURIs[:3]) {
		t.Errorf("import prompts %q, output %q", p.labels, r.stdout)
	}

	wantError(t, runPrompt(t, &fakePrompt{answers: []string{"wrong"}}, "", "import", backup), "wrong password")
	wantError(t, runPrompt(t, &fakePrompt{answers: []string{password, password + "x"}}, in, "export", "--to", "codeward"), "the passwords do not match")
	wantError(t, runPrompt(t, &fakePrompt{answers: []string{""}}, in, "export", "--to", "codeward"), "the password is empty")
	wantError(t, runPrompt(t, &fakePrompt{}, in, "export", "--to", "codeward"), "could not read the password")
	// A plain export asks for nothing.
	p = &fakePrompt{}
	wantOK(t, runPrompt(t, p, in, "export", "--to", "otpauth"))
	if len(p.labels) != 0 {
		t.Errorf("plain export prompted: %q", p.labels)
	}
}

// panicky is a format whose importer panics, to test the top-level recovery.
type panicky struct{ runtimeError bool }

func (p panicky) Detect([]byte) bool    { return false }
func (p panicky) Encrypted([]byte) bool { return false }
func (p panicky) Import([]byte, []byte) (formats.Result, error) {
	if p.runtimeError {
		var m map[string]int
		m["x"]++ // a nil map write: a runtime error
	}
	panic("secret " + secrets[0])
}

func TestPanicRecovered(t *testing.T) {
	formats.Register(formats.Format{Name: "test-panic-runtime", Description: "test", Priority: 1000, Importer: panicky{runtimeError: true}})
	formats.Register(formats.Format{Name: "test-panic-value", Description: "test", Priority: 1000, Importer: panicky{}})
	f := writeFile(t, "x", []byte("x"))
	r := cw(t, "", "import", "--from", "test-panic-runtime", f)
	wantError(t, r, "internal error: assignment to entry in nil map")
	r = cw(t, "", "import", "--from", "test-panic-value", f)
	wantError(t, r, "internal error")
}

func TestFormatsAndHelp(t *testing.T) {
	r := cw(t, "", "formats")
	wantOK(t, r)
	for _, name := range []string{"codeward", "otpauth", "auto"} {
		if !strings.Contains(r.stdout, "\n"+name+" ") {
			t.Errorf("formats does not list %s:\n%s", name, r.stdout)
		}
	}
	for _, arg := range []string{"help", "--help", "-h"} {
		r := cw(t, "", arg)
		wantOK(t, r)
		if !strings.Contains(r.stdout, "codeward import") {
			t.Errorf("%s: %q", arg, r.stdout)
		}
	}
}
