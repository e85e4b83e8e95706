package backupserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These checks drive a running server over HTTP. They run against the handler natively
// (TestHTTPInMemory) and against the built Worker under workerd (TestWorkerd), which is why
// they only use what a client sees. The server must be empty and configured with
// checkToken, checkMaxBytes, checkKeep and checkOrigin.
const (
	checkToken    = "test-token-0123456789-abcdefghijklmnop"
	checkMaxBytes = 300_000
	checkKeep     = 3
	checkOrigin   = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
)

type client struct {
	t     *testing.T
	base  string
	token string
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// code is the stable error code of a JSON error reply.
func (r reply) code() string {
	var e struct{ Error, Message string }
	json.Unmarshal(r.body, &e)
	return e.Error
}

func (c client) do(method, path string, body io.Reader, headers ...string) reply {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading the reply: %v", method, path, err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

func (c client) with(token string) client { c.token = token; return c }

// fakeBackup is shaped like a Codeward backup (the server reads only its beginning), of
// about size bytes, told apart by tag.
func fakeBackup(tag string, size int) []byte {
	head := `{"format":"codeward-backup","version":1,"note":"` + tag + `","ciphertext":"`
	pad := size - len(head) - 2
	if pad < 0 {
		pad = 0
	}
	return []byte(head + strings.Repeat("A", pad) + `"}`)
}

type listing struct {
	Backups []struct {
		Name     string
		Size     int64
		Uploaded string
	}
}

func (c client) list() listing {
	c.t.Helper()
	r := c.do("GET", "/backups", nil)
	if r.status != 200 {
		c.t.Fatalf("GET /backups = %d %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		c.t.Errorf("list Content-Type = %q", ct)
	}
	var l listing
	if err := json.Unmarshal(r.body, &l); err != nil {
		c.t.Fatalf("list is not JSON: %v: %s", err, r.body)
	}
	return l
}

func (c client) names() []string {
	var out []string
	for _, b := range c.list().Backups {
		out = append(out, b.Name)
	}
	return out
}

func expectError(t *testing.T, what string, r reply, status int, code string) {
	t.Helper()
	if r.status != status || r.code() != code {
		t.Errorf("%s: got %d %s, want %d with error %q", what, r.status, r.body, status, code)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: error Content-Type = %q, want JSON", what, ct)
	}
}

// runChecks is the whole contract of the server, as a client sees it.
func runChecks(t *testing.T, base string) {
	c := client{t: t, base: base, token: checkToken}

	t.Run("auth", func(t *testing.T) {
		c := c
		c.t = t
		for name, token := range map[string]string{
			"missing":   "",
			"wrong":     strings.Repeat("x", len(checkToken)),
			"prefix":    checkToken[:len(checkToken)-1],
			"extended":  checkToken + "x",
			"last char": checkToken[:len(checkToken)-1] + "?",
		} {
			r := c.with(token).do("GET", "/backups", nil)
			expectError(t, name+" token", r, 401, "unauthorized")
			if h := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
				t.Errorf("%s token: WWW-Authenticate = %q, want Bearer", name, h)
			}
			// A wrong token stores nothing either.
			r = c.with(token).do("PUT", "/backups/intruder.json", bytes.NewReader(fakeBackup("x", 100)))
			expectError(t, name+" token PUT", r, 401, "unauthorized")
		}
		r := c.with("").do("GET", "/backups", nil, "Authorization", "Basic "+checkToken)
		expectError(t, "Basic scheme", r, 401, "unauthorized")
		r = c.with("").do("GET", "/backups", nil, "Authorization", "bearer "+checkToken)
		if r.status != 200 {
			t.Errorf("lower-case scheme: %d %s", r.status, r.body)
		}
		if got := c.names(); len(got) != 0 {
			t.Errorf("after refused uploads the server holds %v", got)
		}
	})

	t.Run("store and fetch", func(t *testing.T) {
		c := c
		c.t = t
		data := fakeBackup("one", 200_000)
		r := c.do("PUT", "/backups/codeward-backup-2026-12-06T041900Z.json", bytes.NewReader(data), "If-None-Match", "*", "Content-Type", "application/json")
		if r.status != 201 {
			t.Fatalf("PUT = %d %s", r.status, r.body)
		}
		var created struct {
			Name     string
			Size     int64
			Uploaded string
		}
		if err := json.Unmarshal(r.body, &created); err != nil || created.Name != "codeward-backup-2026-12-06T041900Z.json" || created.Size != int64(len(data)) {
			t.Errorf("PUT reply = %s (%v)", r.body, err)
		}
		if _, err := time.Parse(time.RFC3339, created.Uploaded); err != nil {
			t.Errorf("uploaded %q: %v", created.Uploaded, err)
		}

		r = c.do("GET", "/backups/codeward-backup-2026-12-06T041900Z.json", nil)
		if r.status != 200 || !bytes.Equal(r.body, data) {
			t.Errorf("GET = %d, %d bytes (want %d)", r.status, len(r.body), len(data))
		}
		r = c.do("HEAD", "/backups/codeward-backup-2026-12-06T041900Z.json", nil)
		if r.status != 200 || r.header.Get("Content-Length") != strconv.Itoa(len(data)) || len(r.body) != 0 {
			t.Errorf("HEAD = %d, Content-Length %q, body %d bytes", r.status, r.header.Get("Content-Length"), len(r.body))
		}

		// Never overwritten: with If-None-Match: * and without it.
		other := fakeBackup("two", 1000)
		expectError(t, "overwrite", c.do("PUT", "/backups/codeward-backup-2026-12-06T041900Z.json", bytes.NewReader(other), "If-None-Match", "*"), 412, "exists")
		expectError(t, "overwrite without If-None-Match", c.do("PUT", "/backups/codeward-backup-2026-12-06T041900Z.json", bytes.NewReader(other)), 412, "exists")
		if r := c.do("GET", "/backups/codeward-backup-2026-12-06T041900Z.json", nil); !bytes.Equal(r.body, data) {
			t.Error("the stored backup changed after a refused overwrite")
		}

		l := c.list()
		if len(l.Backups) != 1 || l.Backups[0].Size != int64(len(data)) {
			t.Errorf("list = %+v", l)
		}

		if r := c.do("DELETE", "/backups/codeward-backup-2026-12-06T041900Z.json", nil); r.status != 204 {
			t.Errorf("DELETE = %d %s", r.status, r.body)
		}
		expectError(t, "GET after DELETE", c.do("GET", "/backups/codeward-backup-2026-12-06T041900Z.json", nil), 404, "not_found")
		expectError(t, "HEAD after DELETE", c.do("HEAD", "/backups/codeward-backup-2026-12-06T041900Z.json", nil), 404, "")
	})

	t.Run("real backup file", func(t *testing.T) {
		c := c
		c.t = t
		data, err := os.ReadFile("../backup/testdata/v1-basic.json")
		if err != nil {
			t.Fatal(err)
		}
		if r := c.do("PUT", "/backups/v1-basic.json", bytes.NewReader(data), "If-None-Match", "*"); r.status != 201 {
			t.Fatalf("PUT of a real backup = %d %s", r.status, r.body)
		}
		if r := c.do("GET", "/backups/v1-basic.json", nil); !bytes.Equal(r.body, data) {
			t.Error("the real backup did not come back byte for byte")
		}
		c.do("DELETE", "/backups/v1-basic.json", nil)
	})

	t.Run("names", func(t *testing.T) {
		c := c
		c.t = t
		for _, path := range []string{
			"/backups/x",
			"/backups/a%2Fb.json",
			"/backups/a%5Cb.json",
			"/backups/.hidden.json",
			"/backups/-x.json",
			"/backups/a..json",
			"/backups/..%2Fescape.json",
			"/backups/with%20space.json",
			"/backups/%C3%A9t%C3%A9.json",
			"/backups/nul%00.json",
			"/backups/" + strings.Repeat("a", 124) + ".json",
			"/backups/backup.json.txt",
		} {
			r := c.do("PUT", path, bytes.NewReader(fakeBackup("n", 100)), "If-None-Match", "*")
			expectError(t, "PUT "+path, r, 400, "bad_name")
			expectError(t, "GET "+path, c.do("GET", path, nil), 400, "bad_name")
		}
		if got := c.names(); len(got) != 0 {
			t.Errorf("after refused names the server holds %v", got)
		}
		if r := c.do("PUT", "/backups/"+strings.Repeat("a", 123)+".json", bytes.NewReader(fakeBackup("n", 100))); r.status != 201 {
			t.Errorf("a 128-character name: %d %s", r.status, r.body)
		}
		c.do("DELETE", "/backups/"+strings.Repeat("a", 123)+".json", nil)
	})

	t.Run("not a backup", func(t *testing.T) {
		c := c
		c.t = t
		for what, body := range map[string]string{
			"empty":          "",
			"a vault":        `{"format":"codeward-vault","version":1}`,
			"format second":  `{"version":1,"format":"codeward-backup"}`,
			"an array":       `[{"format":"codeward-backup"}]`,
			"text":           "hello, server",
			"prefix only":    `{"format":"codeward-backup-extra"}`,
			"other exporter": `{"format":"aegis","db":"..."}`,
			"binary":         "\x00\x01\x02\xff",
		} {
			r := c.do("PUT", "/backups/odd.json", strings.NewReader(body))
			expectError(t, what, r, 422, "not_a_backup")
		}
		if got := c.names(); len(got) != 0 {
			t.Errorf("after refused bodies the server holds %v", got)
		}
	})

	t.Run("size cap", func(t *testing.T) {
		c := c
		c.t = t
		big := fakeBackup("big", checkMaxBytes+1)
		expectError(t, "with Content-Length", c.do("PUT", "/backups/big.json", bytes.NewReader(big)), 413, "too_large")
		// No Content-Length (chunked): the server must count as it reads.
		expectError(t, "chunked", c.do("PUT", "/backups/big.json", io.MultiReader(bytes.NewReader(big))), 413, "too_large")
		if got := c.names(); len(got) != 0 {
			t.Errorf("after refused uploads the server holds %v", got)
		}
		exact := fakeBackup("exact", checkMaxBytes)
		if r := c.do("PUT", "/backups/exact.json", io.MultiReader(bytes.NewReader(exact))); r.status != 201 {
			t.Errorf("an upload of exactly the cap: %d %s", r.status, r.body)
		}
		c.do("DELETE", "/backups/exact.json", nil)
	})

	t.Run("retention and order", func(t *testing.T) {
		c := c
		c.t = t
		var names []string
		for i := 1; i <= 5; i++ {
			name := "codeward-backup-2026-12-0" + strconv.Itoa(i) + ".json"
			names = append(names, name)
			if r := c.do("PUT", "/backups/"+name, bytes.NewReader(fakeBackup(name, 500*i)), "If-None-Match", "*"); r.status != 201 {
				t.Fatalf("PUT %s = %d %s", name, r.status, r.body)
			}
		}
		l := c.list()
		want := []string{names[4], names[3], names[2]}
		if len(l.Backups) != checkKeep {
			t.Fatalf("kept %d backups, want the newest %d: %+v", len(l.Backups), checkKeep, l)
		}
		var prev time.Time
		for i, b := range l.Backups {
			if b.Name != want[i] {
				t.Errorf("backup %d is %s, want %s (newest first)", i, b.Name, want[i])
			}
			if b.Size != int64(len(fakeBackup(b.Name, 0))) && b.Size < 500 {
				t.Errorf("%s size %d", b.Name, b.Size)
			}
			at, err := time.Parse(time.RFC3339, b.Uploaded)
			if err != nil {
				t.Errorf("%s uploaded %q: %v", b.Name, b.Uploaded, err)
			}
			if i > 0 && at.After(prev) {
				t.Errorf("%s is newer than the one listed before it", b.Name)
			}
			prev = at
		}
		expectError(t, "a pruned backup", c.do("GET", "/backups/"+names[0], nil), 404, "not_found")
		for _, n := range want {
			c.do("DELETE", "/backups/"+n, nil)
		}
	})

	t.Run("routes", func(t *testing.T) {
		c := c
		c.t = t
		expectError(t, "unknown path", c.do("GET", "/secrets", nil), 404, "not_found")
		r := c.do("POST", "/backups", strings.NewReader("{}"))
		expectError(t, "POST /backups", r, 405, "method_not_allowed")
		if r.header.Get("Allow") == "" {
			t.Error("405 without Allow")
		}
		expectError(t, "PATCH one", c.do("PATCH", "/backups/a.json", nil), 405, "method_not_allowed")
	})

	t.Run("CORS", func(t *testing.T) {
		c := c
		c.t = t
		r := c.do("GET", "/backups", nil, "Origin", checkOrigin)
		if r.header.Get("Access-Control-Allow-Origin") != checkOrigin {
			t.Errorf("allowed origin: Access-Control-Allow-Origin = %q", r.header.Get("Access-Control-Allow-Origin"))
		}
		r = c.do("GET", "/backups", nil, "Origin", "https://evil.example")
		if v := r.header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("other origin got Access-Control-Allow-Origin %q", v)
		}
		pre := c.with("").do("OPTIONS", "/backups/a.json", nil, "Origin", checkOrigin, "Access-Control-Request-Method", "PUT")
		if pre.status != 204 || !strings.Contains(pre.header.Get("Access-Control-Allow-Methods"), "PUT") || !strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "Authorization") {
			t.Errorf("preflight from the allowed origin: %d %v", pre.status, pre.header)
		}
		pre = c.with("").do("OPTIONS", "/backups/a.json", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "PUT")
		expectError(t, "preflight from another origin", pre, 403, "origin_not_allowed")
		if v := pre.header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("preflight from another origin got Access-Control-Allow-Origin %q", v)
		}
	})
}

// runNotConfigured checks a server whose secret is missing or short: it refuses every
// request, with that very secret too.
func runNotConfigured(t *testing.T, base, secret string) {
	c := client{t: t, base: base, token: secret}
	for _, token := range []string{secret, "", checkToken} {
		r := c.with(token).do("GET", "/backups", nil)
		expectError(t, "GET with token "+strconv.Quote(token), r, 503, "server_not_configured")
		r = c.with(token).do("PUT", "/backups/a.json", bytes.NewReader(fakeBackup("a", 100)))
		expectError(t, "PUT with token "+strconv.Quote(token), r, 503, "server_not_configured")
	}
}
