package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// GoogleDouble stands in for the Google endpoints automatic backups use — the OAuth 2.0
// authorization page, token (authorization code with PKCE S256, refresh) and revoke
// endpoints, and the Drive v3 files API (create folder, multipart upload, list by
// appProperties, download, delete) — on 127.0.0.1, with switches to expire access tokens,
// revoke every grant and inject 429/503 answers. It checks what Google checks that matters
// here (client id, redirect URI, PKCE verifier, scope, bearer tokens) and refuses the rest.
type GoogleDouble struct {
	URL      string
	ClientID string

	t      testing.TB
	mu     sync.Mutex
	codes  map[string]authCode
	grants map[string]bool      // refresh token → valid
	tokens map[string]tokenInfo // access token → grant and expiry
	files  map[string]*DriveFile
	seq    int
	fail   []int // statuses the next Drive requests answer with, in order
	// Requests counts requests by "METHOD /path".
	Requests map[string]int
}

type authCode struct{ challenge, redirect, scope string }

type tokenInfo struct {
	refresh string
	expires time.Time
}

// DriveFile is a file the double holds.
type DriveFile struct {
	ID, Name, MimeType string
	Parents            []string
	AppProperties      map[string]string
	Created            time.Time
	Body               []byte
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// StartGoogleDouble serves the double until the test ends.
func StartGoogleDouble(t testing.TB) *GoogleDouble {
	g := &GoogleDouble{ClientID: "codeward-test-client.apps.example", t: t, codes: map[string]authCode{}, grants: map[string]bool{},
		tokens: map[string]tokenInfo{}, files: map[string]*DriveFile{}, Requests: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /auth", g.authPage)
	mux.HandleFunc("POST /auth/allow", g.allow)
	mux.HandleFunc("POST /token", g.token)
	mux.HandleFunc("POST /revoke", g.revoke)
	mux.HandleFunc("GET /drive/v3/files", g.drive(g.list))
	mux.HandleFunc("POST /drive/v3/files", g.drive(g.createMeta))
	mux.HandleFunc("GET /drive/v3/files/{id}", g.drive(g.download))
	mux.HandleFunc("DELETE /drive/v3/files/{id}", g.drive(g.remove))
	mux.HandleFunc("POST /upload/drive/v3/files", g.drive(g.upload))
	srv := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.Requests[r.Method+" "+r.URL.Path]++
		g.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	g.URL = srv.URL
	return g
}

// Settings is extension/google.json pointing at the double.
func (g *GoogleDouble) Settings() map[string]string {
	return map[string]string{
		"clientId":  g.ClientID,
		"authUrl":   g.URL + "/auth",
		"tokenUrl":  g.URL + "/token",
		"revokeUrl": g.URL + "/revoke",
		"apiUrl":    g.URL + "/drive/v3",
		"uploadUrl": g.URL + "/upload/drive/v3",
		"scope":     "https://www.googleapis.com/auth/drive.file",
	}
}

// ExtensionCopy is a test build of the extension whose endpoint settings point at the
// double and which holds host access to 127.0.0.1 (standing in for the user's grant).
func (g *GoogleDouble) ExtensionCopy(t testing.TB) string {
	dir := CopyExtension(t, WithHostPermissions("http://127.0.0.1/*"))
	data, _ := json.MarshalIndent(g.Settings(), "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "extension", "google.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ExpireAccessTokens makes every access token issued so far answer 401.
func (g *GoogleDouble) ExpireAccessTokens() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for k, v := range g.tokens {
		v.expires = time.Now().Add(-time.Second)
		g.tokens[k] = v
	}
}

// RevokeAll ends every grant, as the user removing Codeward from their Google account does.
func (g *GoogleDouble) RevokeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	clear(g.grants)
	clear(g.tokens)
}

// FailNext makes the next Drive requests answer with these statuses, one each.
func (g *GoogleDouble) FailNext(statuses ...int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fail = append(g.fail, statuses...)
}

// Backups returns the backup files (appProperties codeward=backup), oldest first.
func (g *GoogleDouble) Backups() []DriveFile {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []DriveFile
	for _, f := range g.files {
		if f.AppProperties["codeward"] == "backup" {
			out = append(out, *f)
		}
	}
	slices.SortFunc(out, func(a, b DriveFile) int { return a.Created.Compare(b.Created) })
	return out
}

// Grants is the number of refresh tokens still valid.
func (g *GoogleDouble) Grants() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.grants)
}

// RefreshTokens lists the valid refresh tokens (for storage scans).
func (g *GoogleDouble) RefreshTokens() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for k := range g.grants {
		out = append(out, k)
	}
	return out
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":%q}`, code)
}

func (g *GoogleDouble) authPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("client_id") != g.ClientID:
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code", q.Get("code_challenge_method") != "S256", len(q.Get("code_challenge")) != 43:
		http.Error(w, "code flow with PKCE S256 required", http.StatusBadRequest)
		return
	case q.Get("scope") != "https://www.googleapis.com/auth/drive.file":
		http.Error(w, "only drive.file is allowed", http.StatusBadRequest)
		return
	case !strings.HasPrefix(q.Get("redirect_uri"), "https://") || !strings.Contains(q.Get("redirect_uri"), ".chromiumapp.org/") && !strings.Contains(q.Get("redirect_uri"), ".allizom.org/"):
		http.Error(w, "redirect_uri is not an extension's", http.StatusBadRequest)
		return
	}
	var hidden strings.Builder
	for _, k := range []string{"redirect_uri", "state", "code_challenge", "scope"} {
		fmt.Fprintf(&hidden, `<input type="hidden" name="%s" value="%s">`, k, html.EscapeString(q.Get(k)))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Sign in - Google Accounts (double)</title>
<h1>Codeward wants to access your Google Account</h1><p>See, edit, create and delete only the specific Google Drive files you use with this app.</p>
<form method="post" action="/auth/allow">%s<button type="submit">Allow</button></form></html>`, hidden.String())
}

func (g *GoogleDouble) allow(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	code := randomID(16)
	g.mu.Lock()
	g.codes[code] = authCode{challenge: r.PostForm.Get("code_challenge"), redirect: r.PostForm.Get("redirect_uri"), scope: r.PostForm.Get("scope")}
	g.mu.Unlock()
	to, _ := url.Parse(r.PostForm.Get("redirect_uri"))
	v := url.Values{"code": {code}, "state": {r.PostForm.Get("state")}, "scope": {r.PostForm.Get("scope")}}
	to.RawQuery = v.Encode()
	http.Redirect(w, r, to.String(), http.StatusFound)
}

func (g *GoogleDouble) issue(w http.ResponseWriter, refresh string, withRefresh bool) {
	access := "ya29." + randomID(16)
	g.tokens[access] = tokenInfo{refresh: refresh, expires: time.Now().Add(time.Hour)}
	out := map[string]any{"access_token": access, "expires_in": 3599, "token_type": "Bearer", "scope": "https://www.googleapis.com/auth/drive.file"}
	if withRefresh {
		out["refresh_token"] = refresh
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (g *GoogleDouble) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	g.mu.Lock()
	defer g.mu.Unlock()
	if f.Get("client_id") != g.ClientID {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	switch f.Get("grant_type") {
	case "authorization_code":
		c, ok := g.codes[f.Get("code")]
		delete(g.codes, f.Get("code")) // a code works once
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		if !ok || c.redirect != f.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		refresh := "1//" + randomID(24)
		g.grants[refresh] = true
		g.issue(w, refresh, true)
	case "refresh_token":
		if !g.grants[f.Get("refresh_token")] {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		g.issue(w, f.Get("refresh_token"), false)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
	}
}

func (g *GoogleDouble) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	tok := r.PostForm.Get("token")
	g.mu.Lock()
	defer g.mu.Unlock()
	refresh := tok
	if info, ok := g.tokens[tok]; ok {
		refresh = info.refresh
	}
	if !g.grants[refresh] {
		oauthError(w, http.StatusBadRequest, "invalid_token")
		return
	}
	delete(g.grants, refresh)
	for k, v := range g.tokens {
		if v.refresh == refresh {
			delete(g.tokens, k)
		}
	}
}

// drive wraps a Drive handler with the bearer token check and the injected failures.
func (g *GoogleDouble) drive(h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		if len(g.fail) > 0 {
			status := g.fail[0]
			g.fail = g.fail[1:]
			g.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error":{"code":%d,"message":"injected by the test"}}`, status)
			return
		}
		info, ok := g.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		valid := ok && time.Now().Before(info.expires) && g.grants[info.refresh]
		g.mu.Unlock()
		if !valid {
			w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"code":401,"message":"Request had invalid authentication credentials."}}`)
			return
		}
		h(w, r)
	}
}

func (f *DriveFile) json() map[string]any {
	return map[string]any{"id": f.ID, "name": f.Name, "mimeType": f.MimeType, "parents": f.Parents, "appProperties": f.AppProperties,
		"size": fmt.Sprint(len(f.Body)), "createdTime": f.Created.UTC().Format(time.RFC3339Nano)}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// list answers the two queries Codeward makes: its folder, and its backups (by appProperties).
func (g *GoogleDouble) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	var want string
	switch {
	case strings.Contains(q, "appProperties has { key='codeward' and value='folder' }"):
		want = "folder"
	case strings.Contains(q, "appProperties has { key='codeward' and value='backup' }"):
		want = "backup"
	default:
		http.Error(w, `{"error":{"code":400,"message":"the double answers only Codeward's queries"}}`, http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	var files []*DriveFile
	for _, f := range g.files {
		if f.AppProperties["codeward"] == want {
			files = append(files, f)
		}
	}
	g.mu.Unlock()
	slices.SortFunc(files, func(a, b *DriveFile) int { return b.Created.Compare(a.Created) })
	out := []map[string]any{}
	for _, f := range files {
		out = append(out, f.json())
	}
	writeJSON(w, map[string]any{"files": out})
}

func (g *GoogleDouble) add(f *DriveFile) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	f.ID = fmt.Sprintf("file%03d%s", g.seq, randomID(4))
	f.Created = time.Now().Add(time.Duration(g.seq) * time.Microsecond)
	g.files[f.ID] = f
}

func (g *GoogleDouble) createMeta(w http.ResponseWriter, r *http.Request) {
	var meta DriveFile
	if err := json.NewDecoder(r.Body).Decode(&meta); err != nil || meta.Name == "" {
		http.Error(w, "bad metadata", http.StatusBadRequest)
		return
	}
	g.add(&meta)
	writeJSON(w, meta.json())
}

func (g *GoogleDouble) upload(w http.ResponseWriter, r *http.Request) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.URL.Query().Get("uploadType") != "multipart" || err != nil || mt != "multipart/related" {
		http.Error(w, "multipart/related upload expected", http.StatusBadRequest)
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var f DriveFile
	for i := 0; i < 2; i++ {
		part, err := mr.NextPart()
		if err != nil {
			http.Error(w, "two parts expected", http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(part)
		if i == 0 {
			if err := json.Unmarshal(data, &f); err != nil {
				http.Error(w, "metadata part is not JSON", http.StatusBadRequest)
				return
			}
		} else {
			f.Body = data
		}
	}
	g.mu.Lock()
	parentOK := len(f.Parents) == 1 && g.files[f.Parents[0]] != nil
	g.mu.Unlock()
	if !parentOK {
		http.Error(w, `{"error":{"code":404,"message":"File not found: parent."}}`, http.StatusNotFound)
		return
	}
	g.add(&f)
	writeJSON(w, map[string]any{"id": f.ID, "name": f.Name, "size": fmt.Sprint(len(f.Body))})
}

func (g *GoogleDouble) download(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	f := g.files[r.PathValue("id")]
	g.mu.Unlock()
	if f == nil || r.URL.Query().Get("alt") != "media" {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(f.Body)
}

func (g *GoogleDouble) remove(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.files[r.PathValue("id")] == nil {
		http.NotFound(w, r)
		return
	}
	delete(g.files, r.PathValue("id"))
	w.WriteHeader(http.StatusNoContent)
}
