package backupserver_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"codeward.dev/internal/backupserver"
)

// countingBody counts what the handler reads of an upload.
type countingBody struct {
	r    io.Reader
	read int
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}
func (c *countingBody) Close() error { return nil }

func serve(h http.Handler, method, path string, body io.ReadCloser, length int64) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.Body = body
	req.ContentLength = length
	req.Header.Set("Authorization", "Bearer "+checkToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// The size cap is checked before the body is read whole: a declared length over the cap
// reads nothing, an undeclared one stops just past the cap, and a body that does not
// begin like a backup is refused after its first bytes.
func TestUploadIsNotReadWhole(t *testing.T) {
	store := &backupserver.MemStore{}
	h := backupserver.New(backupserver.Config{Token: checkToken, MaxBytes: 1000}, store)
	huge := func() *countingBody { return &countingBody{r: bytes.NewReader(fakeBackup("huge", 1<<20))} }

	b := huge()
	if rec := serve(h, "PUT", "/backups/a.json", b, 1<<20); rec.Code != 413 {
		t.Errorf("declared 1 MiB: %d %s", rec.Code, rec.Body)
	}
	if b.read != 0 {
		t.Errorf("declared too large: read %d bytes, want 0", b.read)
	}

	b = huge()
	if rec := serve(h, "PUT", "/backups/a.json", b, -1); rec.Code != 413 {
		t.Errorf("undeclared 1 MiB: %d %s", rec.Code, rec.Body)
	}
	if b.read > 1000+32*1024 {
		t.Errorf("undeclared too large: read %d bytes of 1 MiB", b.read)
	}

	b = &countingBody{r: io.MultiReader(strings.NewReader(`{"format":"something-else",`), bytes.NewReader(make([]byte, 900)))}
	if rec := serve(h, "PUT", "/backups/a.json", b, -1); rec.Code != 422 {
		t.Errorf("not a backup: %d %s", rec.Code, rec.Body)
	}
	if b.read > 256 {
		t.Errorf("not a backup: read %d bytes, want at most the first 256", b.read)
	}
	if l, _ := store.List(); len(l) != 0 {
		t.Errorf("stored %v", l)
	}
}

// A PUT without any body (nil, as the Worker's glue leaves it) is refused, not a panic.
func TestPutWithoutBody(t *testing.T) {
	h := backupserver.New(backupserver.Config{Token: checkToken}, &backupserver.MemStore{})
	if rec := serve(h, "PUT", "/backups/a.json", nil, 0); rec.Code != 422 || !strings.Contains(rec.Body.String(), "not_a_backup") {
		t.Errorf("PUT without a body: %d %s", rec.Code, rec.Body)
	}
}

func TestParseConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c := backupserver.ParseConfig(env(map[string]string{
		"TOKEN": checkToken, "MAX_BYTES": "1000", "KEEP": "30", "ALLOWED_ORIGINS": " chrome-extension://a , moz-extension://b,",
	}))
	if c.Token != checkToken || c.MaxBytes != 1000 || c.Keep != 30 || c.Invalid != "" ||
		len(c.AllowedOrigins) != 2 || c.AllowedOrigins[0] != "chrome-extension://a" || c.AllowedOrigins[1] != "moz-extension://b" {
		t.Errorf("ParseConfig = %+v", c)
	}
	if c := backupserver.ParseConfig(env(nil)); c.MaxBytes != 0 || c.Keep != 0 || c.Invalid != "" || c.AllowedOrigins != nil {
		t.Errorf("empty environment: %+v", c)
	}
	// A setting that cannot be read makes the server refuse everything rather than guess.
	for k, v := range map[string]string{"MAX_BYTES": "4MB", "KEEP": "-1"} {
		c := backupserver.ParseConfig(env(map[string]string{"TOKEN": checkToken, k: v}))
		if c.Invalid != k {
			t.Errorf("%s=%q: Invalid = %q", k, v, c.Invalid)
		}
		rec := serve(backupserver.New(c, &backupserver.MemStore{}), "GET", "/backups", http.NoBody, 0)
		if rec.Code != 503 || !strings.Contains(rec.Body.String(), "server_not_configured") || !strings.Contains(rec.Body.String(), k) {
			t.Errorf("%s=%q: %d %s", k, v, rec.Code, rec.Body)
		}
	}
}

func TestValidName(t *testing.T) {
	for _, ok := range []string{"a.json", "codeward-backup-2026-12-06T04-19-00Z.json", "A_b-c.1.json", strings.Repeat("x", 123) + ".json"} {
		if !backupserver.ValidName(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", ".json", "x", "a.JSON", "../a.json", "a/b.json", `a\b.json`, ".a.json", "_a.json", "a..json", "a b.json", "a\x00.json", "é.json", strings.Repeat("x", 124) + ".json"} {
		if backupserver.ValidName(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLooksLikeBackup(t *testing.T) {
	for _, ok := range []string{`{"format":"codeward-backup","version":1}`, " \n{ \"format\" :\t\"codeward-backup\" ,", `{"format":"codeward-backup"}`} {
		if !backupserver.LooksLikeBackup([]byte(ok)) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "{", `{"format":"codeward-backup"`, `{"format":"codeward-backupx"}`, `{"format":"codeward-vault"}`, `{"version":1,"format":"codeward-backup"}`, `["format","codeward-backup"]`, `{"Format":"codeward-backup"}`} {
		if backupserver.LooksLikeBackup([]byte(bad)) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Retention deletes by upload time, not by name.
func TestRetentionByUploadTime(t *testing.T) {
	now := time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)
	store := &backupserver.MemStore{Now: func() time.Time { now = now.Add(time.Minute); return now }}
	h := backupserver.New(backupserver.Config{Token: checkToken, Keep: 2}, store)
	for _, name := range []string{"c.json", "b.json", "a.json"} {
		body := fakeBackup(name, 100)
		if rec := serve(h, "PUT", "/backups/"+name, io.NopCloser(bytes.NewReader(body)), int64(len(body))); rec.Code != 201 {
			t.Fatalf("PUT %s: %d %s", name, rec.Code, rec.Body)
		}
	}
	rec := serve(h, "GET", "/backups", http.NoBody, 0)
	want := `{"backups":[{"name":"a.json","size":100,"uploaded":"2026-12-06T04:03:00.000Z"},{"name":"b.json","size":100,"uploaded":"2026-12-06T04:02:00.000Z"}]}` + "\n"
	if rec.Body.String() != want {
		t.Errorf("list = %s\nwant   %s", rec.Body, want)
	}
}
