//go:build js && wasm

package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/qr"
	"codeward.dev/internal/restore"
	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
	"codeward.dev/wasm/bridge/bridgetest"
)

var (
	invoke = bridgetest.Invoke
	str    = bridgetest.Str
	jsonOf = bridgetest.JSONOf
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

type importResult struct {
	Format, Description string
	Encrypted           bool
	Accounts            []vault.Account
	Problems            []struct {
		Index          int
		Label, Message string
	}
	Warnings []string
	Codes    int
}

// readImport decodes a formatImport/qrImport value (accounts arrive as a JSON string).
func readImport(t *testing.T, r bridgetest.Result) importResult {
	t.Helper()
	if !r.OK {
		t.Fatalf("import failed: %s %s", r.Code, r.Msg)
	}
	js, err := jsonOf(r)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		importResult
		Accounts string
	}
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatal(err)
	}
	out := raw.importResult
	if err := json.Unmarshal([]byte(raw.Accounts), &out.Accounts); err != nil {
		t.Fatal(err)
	}
	for _, a := range out.Accounts {
		if err := a.Validate(); err != nil {
			t.Errorf("imported account does not validate: %v", err)
		}
	}
	return out
}

func uris(t *testing.T, accounts []vault.Account) []string {
	t.Helper()
	var out []string
	for _, a := range accounts {
		k, err := a.Key()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k.URI())
	}
	return out
}

const (
	uriGitHub = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"
	uriBank   = "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&issuer=Bank&counter=7&digits=8&algorithm=SHA256"
)

func TestFormatsList(t *testing.T) {
	r := invoke(t, "formatsList")
	js, _ := jsonOf(r)
	var list []struct {
		Name           string
		Import, Export bool
	}
	if !r.OK || json.Unmarshal([]byte(js), &list) != nil {
		t.Fatalf("formatsList: %+v", r)
	}
	can := map[string][2]bool{}
	for _, f := range list {
		can[f.Name] = [2]bool{f.Import, f.Export}
	}
	for name, want := range map[string][2]bool{"aegis": {true, true}, "google": {true, true}, "otpauth": {true, true}, "andotp": {true, false}, "2fas": {true, false}} {
		if can[name] != want {
			t.Errorf("%s: import/export = %v, want %v", name, can[name], want)
		}
	}
}

func TestFormatImportText(t *testing.T) {
	tests := []struct {
		name, data, format string
		wantFormat         string
		wantURIs           []string
		problems           int
		code               string
	}{
		{"otpauth lines", uriGitHub + "\n\n" + uriBank + "\n", "", "otpauth", []string{uriGitHub, uriBank}, 0, ""},
		{"one bad line", uriGitHub + "\notpauth://totp/x?secret=1\n", "auto", "otpauth", []string{uriGitHub}, 1, ""},
		// One stray byte makes the file invalid UTF-8; it must not be taken for an encrypted
		// andOTP backup (which would ask for a password).
		{"stray byte", uriGitHub + "\n# \xff\n", "", "otpauth", []string{uriGitHub}, 0, ""},
		{"named format", uriGitHub + "\n", "otpauth", "otpauth", []string{uriGitHub}, 0, ""},
		{"unknown", "hello, world", "", "", nil, 0, codeUnknownFormat},
		{"all bad", "otpauth://totp/x?secret=1\n", "", "", nil, 0, codeUnreadable},
		{"encrypted bitwarden", `{"encrypted":true,"passwordProtected":true,"encKeyValidation_DO_NOT_EDIT":"x","data":"y"}`, "bitwarden", "", nil, 0, codeUnsupported},
		{"no such format", uriGitHub, "nosuch", "", nil, 0, bridge.CodeBadArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := invoke(t, "formatImport", b64(tt.data), tt.format)
			if tt.code != "" {
				if r.OK || r.Code != tt.code {
					t.Fatalf("got ok=%v code=%q (%s), want %q", r.OK, r.Code, r.Msg, tt.code)
				}
				if strings.Contains(r.Msg, "JBSWY3DP") {
					t.Errorf("error message holds a secret: %s", r.Msg)
				}
				return
			}
			got := readImport(t, r)
			if got.Format != tt.wantFormat {
				t.Errorf("format %q, want %q", got.Format, tt.wantFormat)
			}
			if u := uris(t, got.Accounts); strings.Join(u, "\n") != strings.Join(canonical(t, tt.wantURIs), "\n") {
				t.Errorf("accounts\n%s\nwant\n%s", strings.Join(u, "\n"), strings.Join(tt.wantURIs, "\n"))
			}
			if len(got.Problems) != tt.problems {
				t.Errorf("problems %+v, want %d", got.Problems, tt.problems)
			}
			ids := map[string]bool{}
			for i, a := range got.Accounts {
				if a.ID == "" || ids[a.ID] || a.Order != i || a.Created.IsZero() {
					t.Errorf("account %d not ready for the vault: id %q order %d created %v", i, a.ID, a.Order, a.Created)
				}
				ids[a.ID] = true
			}
		})
	}
	if r := invoke(t, "formatImport", "", ""); r.OK || r.Code != bridge.CodeInvalid {
		t.Errorf("empty file: %+v", r)
	}
	if r := invoke(t, "formatImport", "%%%", ""); r.OK || r.Code != bridge.CodeBadArgument {
		t.Errorf("not base64: %+v", r)
	}
}

// canonical rewrites URIs the way the core writes them.
func canonical(t *testing.T, in []string) []string {
	t.Helper()
	r := invoke(t, "formatImport", b64(strings.Join(in, "\n")), "otpauth")
	if !r.OK {
		t.Fatalf("canonical: %s", r.Msg)
	}
	return uris(t, readImport(t, r).Accounts)
}

func peer(t *testing.T, rel string) []byte {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "peers", rel)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("peer fixture %s not available (%v): run from the project checkout next to ../shared", rel, err)
	}
	return data
}

func TestFormatImportEncryptedAegis(t *testing.T) {
	data := base64.StdEncoding.EncodeToString(peer(t, "aegis/aegis_encrypted.json"))
	d := invoke(t, "formatDetect", data)
	js, _ := jsonOf(d)
	if !d.OK || !strings.Contains(js, `"format":"aegis"`) || !strings.Contains(js, `"encrypted":true`) {
		t.Fatalf("formatDetect: %s %+v", js, d)
	}
	if r := invoke(t, "formatImport", data, ""); r.OK || r.Code != codePasswordRequired {
		t.Fatalf("no password: %+v", r)
	}
	if r := invoke(t, "formatImport", data, "", "wrong"); r.OK || r.Code != bridge.CodeWrongPassword {
		t.Fatalf("wrong password: %+v", r)
	}
	got := readImport(t, invoke(t, "formatImport", data, "", "test"))
	if got.Format != "aegis" || !got.Encrypted || len(got.Accounts) != 7 || len(got.Problems) != 0 {
		t.Fatalf("import: format %s, %d accounts, problems %+v", got.Format, len(got.Accounts), got.Problems)
	}
	// EXPECTED.md, V4 and V7.
	if a := got.Accounts[3]; a.Issuer != "Issuu" || a.Type != "hotp" || a.Counter != 1 || a.Secret != "YOOMIXWS5GN6RTBPUFFWKTW5M4" {
		t.Errorf("V4: %+v", a)
	}
	if a := got.Accounts[6]; a.Issuer != "Boeing" || a.Type != "steam" || a.Digits != 5 {
		t.Errorf("V7: %+v", a)
	}
}

func TestFormatExportRoundTrip(t *testing.T) {
	src := readImport(t, invoke(t, "formatImport", b64(uriGitHub+"\n"+uriBank), "otpauth"))
	accounts, _ := json.Marshal(src.Accounts)
	for _, tt := range []struct{ format, password string }{
		{"aegis", ""}, {"aegis", "export pw"}, {"otpauth", ""}, {"google", ""},
	} {
		t.Run(tt.format+"/"+tt.password, func(t *testing.T) {
			r := invoke(t, "formatExport", string(accounts), tt.format, tt.password)
			if !r.OK {
				t.Fatalf("export: %s %s", r.Code, r.Msg)
			}
			file := str(t, r.Value)
			if tt.password != "" && strings.Contains(file, "JBSWY3DP") {
				t.Fatal("encrypted export holds a secret in the clear")
			}
			back := readImport(t, invoke(t, "formatImport", b64(file), "", tt.password))
			if back.Format != tt.format {
				t.Errorf("re-import detected %s", back.Format)
			}
			if got, want := strings.Join(uris(t, back.Accounts), "\n"), strings.Join(uris(t, src.Accounts), "\n"); got != want {
				t.Errorf("round trip\n%s\nwant\n%s", got, want)
			}
		})
	}
	if r := invoke(t, "formatExport", string(accounts), "codeward"); r.OK || r.Code != bridge.CodeInvalid {
		t.Errorf("codeward without a password: %+v", r)
	}
	if r := invoke(t, "formatExport", string(accounts), "andotp"); r.OK || r.Code != bridge.CodeBadArgument {
		t.Errorf("import-only format: %+v", r)
	}
	if r := invoke(t, "formatExport", "[]", "aegis"); r.OK || r.Code != codeNothingToExport {
		t.Errorf("no accounts: %+v", r)
	}
}

func pngOf(t *testing.T, text string) []byte {
	t.Helper()
	r := invoke(t, "qrEncode", text, 300)
	if !r.OK {
		t.Fatalf("qrEncode: %s %s", r.Code, r.Msg)
	}
	b, err := base64.StdEncoding.DecodeString(str(t, r.Value))
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("qrEncode did not return a PNG")
	}
	return b
}

// grey turns a PNG into qrImport's arguments, as the background does with the browser's
// decoders: grey levels (a Uint8Array), width, height.
func grey(t *testing.T, p []byte) (safejs.Value, int, int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(p))
	if err != nil {
		t.Fatal(err)
	}
	r := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(g, g.Bounds(), img, r.Min, draw.Src)
	return bridgetest.Uint8Array(t, g.Pix), r.Dx(), r.Dy()
}

// scan calls qrImport on a PNG.
func scan(t *testing.T, p []byte) bridgetest.Result {
	t.Helper()
	pix, w, h := grey(t, p)
	return invoke(t, "qrImport", pix, w, h)
}

// sideBySide draws PNGs next to each other on one white image, like a page showing several codes.
func sideBySide(t *testing.T, pngs ...[]byte) []byte {
	t.Helper()
	var imgs []image.Image
	w, h := 0, 0
	for _, p := range pngs {
		img, err := png.Decode(bytes.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
		w += img.Bounds().Dx() + 40
		h = max(h, img.Bounds().Dy())
	}
	canvas := image.NewRGBA(image.Rect(0, 0, max(w, 200), h+40))
	draw.Draw(canvas, canvas.Bounds(), image.White, image.Point{}, draw.Src)
	x := 20
	for _, img := range imgs {
		draw.Draw(canvas, img.Bounds().Add(image.Pt(x, 20)), img, img.Bounds().Min, draw.Src)
		x += img.Bounds().Dx() + 40
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, canvas); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestQRImport(t *testing.T) {
	// A migration URI of one account, from the core's own exporter.
	src := readImport(t, invoke(t, "formatImport", b64(uriBank), "otpauth"))
	list, _ := json.Marshal(src.Accounts)
	mig := invoke(t, "formatExport", string(list), "google")
	if !mig.OK {
		t.Fatalf("google export: %s", mig.Msg)
	}
	migration := strings.TrimSpace(str(t, mig.Value))

	image := sideBySide(t, pngOf(t, uriGitHub), pngOf(t, migration), pngOf(t, "https://example.com/not-a-code"))
	got := readImport(t, scan(t, image))
	if got.Codes != 3 || got.Format != "qr" {
		t.Errorf("codes %d format %s, want 3 qr", got.Codes, got.Format)
	}
	want := strings.Join(canonical(t, []string{uriBank, uriGitHub}), "\n") // migration codes first
	if u := strings.Join(uris(t, got.Accounts), "\n"); u != want {
		t.Errorf("scanned\n%s\nwant\n%s", u, want)
	}
	if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "1 of the 3") {
		t.Errorf("warnings %q, want one about the code that is not an account", got.Warnings)
	}

	blank, bw, bh := grey(t, sideBySide(t))
	hello, hw, hh := grey(t, pngOf(t, "hello"))
	for _, tt := range []struct {
		name string
		args []any
		code string
	}{
		{"no code", []any{blank, bw, bh}, codeNoQR},
		{"only other codes", []any{hello, hw, hh}, codeNoAccounts},
		{"too many pixels", []any{bridgetest.Uint8Array(t, nil), 10000, 5000}, codeTooLarge},
		{"fewer pixels than width × height", []any{blank, bw, bh + 1}, bridge.CodeBadArgument},
		{"more pixels than width × height", []any{blank, bw, bh - 1}, bridge.CodeBadArgument},
		{"base64, not bytes", []any{"AAAAAAAAAAAA", 3, 3}, bridge.CodeBadArgument},
		{"no size", []any{blank}, bridge.CodeBadArgument},
		{"width 0", []any{bridgetest.Uint8Array(t, nil), 0, 1}, bridge.CodeBadArgument},
	} {
		if r := invoke(t, "qrImport", tt.args...); r.OK || r.Code != tt.code {
			t.Errorf("%s: ok=%v code=%q (%s), want %q", tt.name, r.OK, r.Code, r.Msg, tt.code)
		}
	}
	if r := invoke(t, "qrDecode", hello, hw, hh); !r.OK {
		t.Errorf("qrDecode: %s %s", r.Code, r.Msg)
	} else if js, _ := jsonOf(r); js != `["hello"]` {
		t.Errorf("qrDecode: %s, want [\"hello\"]", js)
	}
	if r := invoke(t, "qrEncode", uriGitHub, 10); r.OK || r.Code != bridge.CodeBadArgument {
		t.Errorf("qrEncode size 10: %+v", r)
	}
}

func TestGoogleQRCodes(t *testing.T) {
	var accounts []vault.Account
	now := time.Now().UTC()
	for i := range 12 {
		accounts = append(accounts, vault.Account{
			ID: fmt.Sprintf("id%d", i), Type: "totp", Issuer: "Issuer", Name: fmt.Sprintf("user%d", i),
			Secret: "JBSWY3DPEHPK3PXP", Algorithm: "SHA1", Digits: 6, Period: 30, Order: i, Created: now, Updated: now,
		})
	}
	steam := accounts[0]
	steam.ID, steam.Type, steam.Name, steam.Digits = "steam", "steam", "gamer", 5
	accounts = append(accounts, steam)
	list, _ := json.Marshal(accounts)
	r := invoke(t, "googleQRCodes", string(list), 400)
	js, _ := jsonOf(r)
	var got struct {
		Codes []struct {
			Image string
			Count int
		}
		Skipped []struct{ Label, Message string }
	}
	if !r.OK || json.Unmarshal([]byte(js), &got) != nil {
		t.Fatalf("googleQRCodes: %s %s", r.Code, r.Msg)
	}
	if len(got.Codes) != 2 || got.Codes[0].Count != 10 || got.Codes[1].Count != 2 {
		t.Fatalf("codes %d (%+v), want batches of 10 and 2", len(got.Codes), got.Codes)
	}
	if len(got.Skipped) != 1 || got.Skipped[0].Label != "Issuer (gamer)" || !strings.Contains(got.Skipped[0].Message, "Steam") {
		t.Errorf("skipped %+v", got.Skipped)
	}
	// Scanning both codes, as the phone would, gives the 12 accounts back.
	var texts []string
	for _, c := range got.Codes {
		b, _ := base64.StdEncoding.DecodeString(c.Image)
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r := img.Bounds()
		grey := image.NewGray(r)
		draw.Draw(grey, r, img, r.Min, draw.Src)
		found, err := qr.DecodeGray(r.Dx(), r.Dy(), grey.Pix)
		if err != nil || len(found) != 1 {
			t.Fatalf("decode batch: %v %d", err, len(found))
		}
		texts = append(texts, found...)
	}
	g, _ := formats.Lookup("google")
	res, err := g.Importer.Import([]byte(strings.Join(texts, "\n")), nil)
	if err != nil || len(res.Accounts) != 12 || len(res.Warnings) != 0 {
		t.Fatalf("re-import: %v, %d accounts, warnings %q", err, len(res.Accounts), res.Warnings)
	}
	only, _ := json.Marshal([]vault.Account{steam})
	if r := invoke(t, "googleQRCodes", string(only), 400); r.OK || r.Code != codeNothingToExport {
		t.Errorf("only Steam: %+v", r)
	}
}

func TestFormatImportTooManyAccounts(t *testing.T) {
	var lines []string
	for i := range restore.MaxImport + 1 {
		lines = append(lines, fmt.Sprintf("otpauth://totp/Bulk:user%d?secret=JBSWY3DPEHPK3PXP&issuer=Bulk", i))
	}
	r := invoke(t, "formatImport", b64(strings.Join(lines, "\n")), "otpauth")
	if r.OK || r.Code != codeTooLarge || !strings.Contains(r.Msg, "20000") {
		t.Fatalf("%d accounts: ok=%v %s %s", len(lines), r.OK, r.Code, r.Msg)
	}
	if r := invoke(t, "formatImport", b64(strings.Join(lines[:restore.MaxImport], "\n")), "otpauth"); !r.OK {
		t.Fatalf("%d accounts: %s %s", restore.MaxImport, r.Code, r.Msg)
	}
}

// The preview lists at most maxNotes problems of at most maxNoteRunes runes each (the
// background refuses more from a page), and counts the rest in a warning.
func TestFormatImportProblemsBounded(t *testing.T) {
	lines := []string{uriGitHub}
	long := strings.Repeat("é", 600)
	for i := range maxNotes + 200 {
		lines = append(lines, fmt.Sprintf("otpauth://totp/%s%d?secret=1", long, i))
	}
	got := readImport(t, invoke(t, "formatImport", b64(strings.Join(lines, "\n")), "otpauth"))
	if len(got.Accounts) != 1 || len(got.Problems) != maxNotes {
		t.Fatalf("%d accounts, %d problems; want 1, %d", len(got.Accounts), len(got.Problems), maxNotes)
	}
	for _, p := range got.Problems {
		if n := len(utf16.Encode([]rune(p.Label + p.Message))); len([]rune(p.Label)) > maxNoteRunes || len([]rune(p.Message)) > maxNoteRunes || n > 2*500 {
			t.Fatalf("a problem of %d runes: %.80q", n, p.Label)
		}
	}
	if len(got.Warnings) == 0 || !strings.Contains(got.Warnings[len(got.Warnings)-1], "200 more entries") {
		t.Fatalf("warnings %q do not count the unlisted problems", got.Warnings)
	}
}
