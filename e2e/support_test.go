package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// notExtension are repository paths that are no part of the unpacked extension; CopyExtension
// leaves them out (Chromium would load them all, and node_modules is large).
var notExtension = []string{".git", ".ci", "node_modules", "dist", "e2e", "internal", "cmd", "wasm", "docs", "scripts", "bin", "testdata"}

// CopyExtension copies the built extension (the repo root after `make`, minus sources and
// tooling) to a fresh directory, lets edit change its manifest, and returns the directory —
// a test build for things a test cannot click through headless, such as granting host
// permissions. Keep such changes out of the product's manifest.
func CopyExtension(t testing.TB, edit func(manifest map[string]any)) string {
	t.Helper()
	return copyExtensionFrom(t, RepoRoot(t), edit)
}

func copyExtensionFrom(t testing.TB, src string, edit func(manifest map[string]any)) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "extension")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "." {
			return os.MkdirAll(dst, 0o755)
		}
		top := strings.Split(filepath.ToSlash(rel), "/")[0]
		if slices.Contains(notExtension, top) || (strings.HasPrefix(d.Name(), ".") && d.Name() != ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatalf("copy extension: %v", err)
	}
	if edit != nil {
		EditManifest(t, dst, edit)
	}
	return dst
}

// EditManifest rewrites dir/manifest.json through edit.
func EditManifest(t testing.TB, dir string, edit func(manifest map[string]any)) {
	t.Helper()
	path := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	edit(m)
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// WithHostPermissions is a CopyExtension edit that adds host_permissions, standing in for
// the user granting optional host access (headless Chromium never answers that prompt), e.g.
// WithHostPermissions("http://127.0.0.1/*").
func WithHostPermissions(patterns ...string) func(map[string]any) {
	return func(m map[string]any) {
		have, _ := m["host_permissions"].([]any)
		for _, p := range patterns {
			if !slices.Contains(have, any(p)) {
				have = append(have, p)
			}
		}
		m["host_permissions"] = have
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Serve starts an HTTP server on 127.0.0.1 (a random port) for the duration of the test.
// Note that a content script's match pattern "http://127.0.0.1/*" covers every port.
func Serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// ServePages serves fixed HTML documents by path (e.g. "/login") on 127.0.0.1 and returns
// the server's base URL (http://127.0.0.1:PORT).
func ServePages(t testing.TB, pages map[string]string) string {
	t.Helper()
	return Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, body)
	})).URL
}

// TOTPOpts describes a TOTP account for the independent computation; zero values mean the
// usual defaults (30 s, 6 digits, SHA-1).
type TOTPOpts struct {
	Period    uint
	Digits    int
	Algorithm otp.Algorithm // otp.AlgorithmSHA1 (the zero value), SHA256, SHA512
}

// TOTPWindow computes, with github.com/pquerna/otp and not the product's code, the codes of
// secret (base32) for the periods before, at and after `at`: a code read from the screen
// a moment ago may belong to the neighbouring period.
func TOTPWindow(t testing.TB, secret string, at time.Time, o TOTPOpts) []string {
	t.Helper()
	if o.Period == 0 {
		o.Period = 30
	}
	if o.Digits == 0 {
		o.Digits = 6
	}
	var codes []string
	for _, d := range []int{-1, 0, 1} {
		c, err := totp.GenerateCodeCustom(secret, at.Add(time.Duration(d)*time.Duration(o.Period)*time.Second), totp.ValidateOpts{
			Period: o.Period, Digits: otp.Digits(o.Digits), Algorithm: o.Algorithm,
		})
		if err != nil {
			t.Fatalf("reference TOTP: %v", err)
		}
		codes = append(codes, c)
	}
	return codes
}

// AssertTOTP fails the test unless shown (spaces ignored) is secret's code now, or in the
// period just before or after.
func AssertTOTP(t testing.TB, shown, secret string, o TOTPOpts) {
	t.Helper()
	code := strings.ReplaceAll(shown, " ", "")
	want := TOTPWindow(t, secret, time.Now(), o)
	if !slices.Contains(want, code) {
		t.Fatalf("shown code %q is not the account's code (want one of %v)", shown, want)
	}
}

// mustJSON is json.Marshal for test data that cannot fail to encode.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("json: %v", err))
	}
	return string(b)
}
