package e2e

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"google.golang.org/protobuf/encoding/protowire"

	"codeward.dev/internal/formats"
	_ "codeward.dev/internal/formats/all"
	"codeward.dev/internal/formats/google"
	cwotp "codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// The issue 6 acceptance tests for the extension: importing files and pasted text through
// the import page, scanning a QR code shown on a web page, and exporting to other apps —
// driven by role and accessible name, with codes and files checked independently (codes with
// github.com/pquerna/otp, exported files with the codeward command).

const (
	ImportPage = "extension/import/import.html"

	NameImport       = "Import"
	NameExport       = "Export"
	NameScanQR       = "Scan QR code on this page"
	NameImportFile   = "Import file"
	NamePaste        = "Paste exported text"
	NameFilePassword = "File password"
	NamePreview      = "Preview"
	NameQRImageFile  = "QR image file"
	NameExportPass   = "Export password"
	NameExportConf   = "Confirm export password"

	imMaster = "plover quartz 7 lantern"
)

// peerFile is the path of a file other apps exported, read from ../shared/peers at test time
// (never copied into the repository); the test is skipped when the folder is absent.
func peerFile(t *testing.T, rel string) string {
	t.Helper()
	path := filepath.Join(RepoRoot(t), "..", "shared", "peers", rel)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("peer fixture %s is not available (%v); it lives in ../shared/peers next to the checkout", rel, err)
	}
	return path
}

// qrPNG draws text as a QR code with gozxing's writer (not the product's encoder).
func qrPNG(t testing.TB, text string, size int) []byte {
	t.Helper()
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, m.GetWidth(), m.GetHeight()))
	for y := 0; y < m.GetHeight(); y++ {
		for x := 0; x < m.GetWidth(); x++ {
			c := color.Gray{Y: 255}
			if m.Get(x, y) {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decodeQR reads the one QR code in a PNG with gozxing's reader.
func decodeQR(t testing.TB, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	r, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR image does not decode: %v", err)
	}
	return r.GetText()
}

// openImportPage opens the import page from the popup's menu entry name (checking that the
// click opened it in a tab) and returns that page opened by the test at hash.
func openImportPage(t *testing.T, b *Browser, p *Popup, name, hash string) *Page {
	t.Helper()
	p.Click("button", NameMenu)
	p.Click("button", name)
	waitTab(t, b, b.URL(ImportPage)+hash)
	return b.OpenExtensionPage(ImportPage + hash)
}

func waitTab(t *testing.T, b *Browser, url string) {
	t.Helper()
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		for _, in := range b.Targets() {
			if in.Type == "page" && in.URL == url {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no tab opened on %s", url)
		}
	}
}

// previewItems waits for the preview's list of accounts and returns its items.
func previewItems(t *testing.T, pg *Page, n int) []string {
	t.Helper()
	list := pg.Find("list", "Accounts to import")
	for deadline := time.Now().Add(Timeout); ; time.Sleep(50 * time.Millisecond) {
		var items []string
		for _, it := range list.Query("listitem", "") {
			items = append(items, it.Text())
		}
		if len(items) == n {
			return items
		}
		if time.Now().After(deadline) {
			t.Fatalf("preview lists %q, want %d accounts", items, n)
		}
	}
}

func imHOTP(t *testing.T, secret string, counter uint64, digits int, alg otp.Algorithm) string {
	t.Helper()
	c, err := hotp.GenerateCodeCustom(secret, counter, hotp.ValidateOpts{Digits: otp.Digits(digits), Algorithm: alg})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestImportAegisEncrypted imports Aegis's own encrypted test vault through the page (file
// input, password asked for, preview, import) and checks every code the popup then shows.
func TestImportAegisEncrypted(t *testing.T) {
	path := peerFile(t, "aegis/aegis_encrypted.json")
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	pg := openImportPage(t, b, p, NameImport, "#import")
	before := vaultRecord(b)

	setFile(t, pg, NameImportFile, path)
	if alert := pg.WaitAlert(); !strings.Contains(alert, "encrypted") {
		t.Fatalf("an encrypted file without its password: alert %q", alert)
	}
	pg.Fill("textbox", NameFilePassword, "not the password")
	pg.Click("button", NamePreview)
	for deadline := time.Now().Add(Timeout); !strings.Contains(pg.AlertText(), "not right"); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("wrong file password: alert %q", pg.AlertText())
		}
	}
	if got := vaultRecord(b); got != before {
		t.Fatal("a failed import changed the stored vault")
	}
	pg.Fill("textbox", NameFilePassword, "test")
	pg.Click("button", NamePreview)
	items := previewItems(t, pg, 7)
	for _, want := range []string{"Deno (Mason)", "Issuu (James) — counter-based", "Boeing (Sophia) — Steam Guard"} {
		if !slices.ContainsFunc(items, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("preview %q lacks %q", items, want)
		}
	}
	if !strings.Contains(pg.Text(), "Aegis") {
		t.Errorf("the page does not say it detected an Aegis vault:\n%s", pg.Text())
	}
	pg.Click("button", NameImport)
	pg.WaitText("Imported 7 accounts.")

	// EXPECTED.md of the Aegis fixtures (VaultEntries.java).
	p = b.OpenPopup() // the popup closed itself when it opened the import page
	p.WaitState(StateUnlocked)
	requireCode(t, p, "4SJHB4GSD43FZBAI7C2HLRJGPQ", TOTPOpts{}, "Deno", "Mason")
	requireCode(t, p, "5OM4WOOGPLQEF6UGN3CPEOOLWU", TOTPOpts{Period: 20, Digits: 7, Algorithm: otp.AlgorithmSHA256}, "SPDX", "James")
	requireCode(t, p, "7ELGJSGXNCCTV3O6LKJWYFV2RA", TOTPOpts{Period: 50, Digits: 8, Algorithm: otp.AlgorithmSHA512}, "Airbnb", "Elijah")
	for _, h := range []struct {
		issuer, name, secret string
		counter              uint64
		digits               int
		alg                  otp.Algorithm
	}{
		{"Issuu", "James", "YOOMIXWS5GN6RTBPUFFWKTW5M4", 1, 6, otp.AlgorithmSHA1},
		{"Air Canada", "Benjamin", "KUVJJOM753IHTNDSZVCNKL7GII", 50, 7, otp.AlgorithmSHA256},
		{"WWE", "Mason", "5VAML3X35THCEBVRLV24CGBKOY", 10300, 8, otp.AlgorithmSHA512},
	} {
		if a, want := p.WaitAccount(h.issuer, h.name), imHOTP(t, h.secret, h.counter, h.digits, h.alg); a.Code != want {
			t.Errorf("%s: shows %q, want %q (HOTP at counter %d)", h.issuer, a.Code, want, h.counter)
		}
	}
	// (The popup's first frame holds the first rows; the others follow it.)
	if items := p.WaitListItems(7); len(items) != 7 {
		t.Errorf("popup lists %q, want 7 accounts", items)
	}

	// The same file again: every account is a duplicate, so nothing can be imported.
	setFile(t, pg, NameImportFile, path)
	pg.WaitAlert()
	pg.Fill("textbox", NameFilePassword, "test")
	pg.Click("button", NamePreview)
	pg.WaitText("7 already in Codeward")
}

// TestImportGoogleMigrationText pastes a Google Authenticator transfer export and imports
// it; then a file of otpauth lines with one stray byte is read as text, without asking for a
// password.
func TestImportGoogleMigrationText(t *testing.T) {
	path := peerFile(t, "google-migration/example_export.txt")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	pg := b.OpenExtensionPage(ImportPage)
	// The import and export code is a second WASM program the worker loads only when an
	// import, export or scan runs: not for creating, unlocking or painting the popup.
	w := b.Worker()
	loaded := `[typeof globalThis.codeward, typeof globalThis.codewardTools].join(" ")`
	if got := Eval[string](w, loaded); got != "object undefined" {
		t.Errorf("before any import, the worker's core and tools are %q, want the core only", got)
	}

	pg.Fill("textbox", NamePaste, string(text))
	pg.Click("button", NamePreview)
	items := previewItems(t, pg, 6)
	if got := Eval[string](w, loaded); got != "object object" {
		t.Errorf("after an import preview, the worker's core and tools are %q, want both", got)
	}
	if !strings.Contains(items[4], "hotp demo — counter-based") {
		t.Errorf("preview item 5 is %q, want the HOTP account", items[4])
	}
	if !strings.Contains(pg.Text(), "Google Authenticator") {
		t.Errorf("the page does not say it detected a Google Authenticator export")
	}
	pg.Click("button", NameImport)
	// Accounts 1 and 4, and 2 and 3, are the same account twice: the copies are skipped.
	pg.WaitText("Imported 4 accounts. 2 accounts already in Codeward were skipped.")

	p.Reload()
	p.WaitState(StateUnlocked)
	const secret = "7KSQL2JTUDIS5EF65KLMRQIIGY"
	requireCode(t, p, secret, TOTPOpts{}, "raspberrypi", "pi@raspberrypi")
	if a, want := p.WaitAccount("hotp demo"), imHOTP(t, secret, 4, 6, otp.AlgorithmSHA1); a.Code != want {
		t.Errorf("hotp demo shows %q, want %q", a.Code, want)
	}

	stray := filepath.Join(t.TempDir(), "links.txt")
	data := "# exported by hand \xff\notpauth://totp/Strayco:eve?secret=JBSWY3DPEHPK3PXP&issuer=Strayco\n"
	if err := os.WriteFile(stray, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	setFile(t, pg, NameImportFile, stray)
	items = previewItems(t, pg, 1)
	if !strings.Contains(items[0], "Strayco (eve)") || len(pg.Query("textbox", NameFilePassword)) != 0 {
		t.Errorf("text with a stray byte: preview %q, password asked: %v", items, len(pg.Query("textbox", NameFilePassword)) != 0)
	}
}

// TestScanQRCodeOnPage serves a 127.0.0.1 page showing a setup QR code and a Google
// Authenticator transfer QR code, scans them with the popup's "Scan QR code on this page",
// and imports them.
func TestScanQRCodeOnPage(t *testing.T) {
	const (
		setupSecret = "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF"
		migSecret   = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"
	)
	setup := "otpauth://totp/Scanline:sam@example.com?secret=" + setupSecret + "&issuer=Scanline"
	migration, err := google.Exporter{}.URIs([]vault.Account{{
		ID: "m", Type: "hotp", Issuer: "Moverbank", Name: "moe", Secret: migSecret, Algorithm: "SHA1", Digits: 6, Counter: 3,
	}})
	if err != nil {
		t.Fatal(err)
	}
	images := map[string][]byte{"/setup.png": qrPNG(t, setup, 280), "/transfer.png": qrPNG(t, migration[0], 280)}
	srv := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if img, ok := images[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "image/png")
			w.Write(img)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/plain" {
			w.Write([]byte(`<!doctype html><title>No code</title><h1>Nothing to scan here</h1>`))
			return
		}
		w.Write([]byte(`<!doctype html><title>Set up two-factor authentication</title>
			<body style="margin:20px"><h1>Scan these</h1>
			<img src="/setup.png" width="280" height="280" alt="setup code">
			<img src="/transfer.png" width="280" height="280" alt="transfer code"></body>`))
	}))
	// Opening the toolbar popup grants activeTab, which lets the extension capture the tab;
	// headless Chromium has no toolbar to click, so a test build holds all-URL host access
	// instead (access to 127.0.0.1 alone does not allow a capture).
	b := StartBrowser(t, BrowserOptions{ExtDir: CopyExtension(t, WithHostPermissions("<all_urls>"))})
	web := b.Open(srv.URL + "/plain")
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)

	// Each tab of the headless browser is the active tab of its own window, so the web page
	// stays visible while the popup page is open in another tab.
	p.Click("button", NameMenu)
	p.Click("button", NameScanQR)
	if alert := p.WaitAlert(); !strings.Contains(alert, "No QR code") {
		t.Fatalf("a page without codes: alert %q", alert)
	}

	web.Navigate(srv.URL + "/setup")
	p.Click("button", NameScanQR)
	waitTab(t, b, b.URL(ImportPage)+"#pending")
	pg := b.OpenExtensionPage(ImportPage + "#pending")
	items := previewItems(t, pg, 2)
	if !strings.Contains(items[0], "Moverbank (moe) — counter-based") || !strings.Contains(items[1], "Scanline (sam@example.com) — time-based") {
		t.Errorf("preview %q", items)
	}
	pg.WaitText("2 QR codes read")
	pg.Click("button", NameImport)
	pg.WaitText("Imported 2 accounts.")

	p = b.OpenPopup() // the popup closed itself when it opened the import page
	p.WaitState(StateUnlocked)
	requireCode(t, p, setupSecret, TOTPOpts{}, "Scanline", "sam@example.com")
	if a, want := p.WaitAccount("Moverbank", "moe"), imHOTP(t, migSecret, 3, 6, otp.AlgorithmSHA1); a.Code != want {
		t.Errorf("Moverbank shows %q, want %q (HOTP at counter 3)", a.Code, want)
	}
	// The scanned accounts are sealed in both areas: no secret as base32 in either case,
	// base64 or hex, and no issuer or name.
	needles := []string{"Scanline", "Moverbank", "sam@example.com"}
	for _, sec := range []string{setupSecret, migSecret} {
		raw := mustSecret(t, sec)
		needles = append(needles, sec, base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw), hex.EncodeToString(raw))
	}
	for _, area := range []string{"local", "session"} {
		s := strings.ToLower(b.StorageJSON(area))
		for _, n := range needles {
			if strings.Contains(s, strings.ToLower(n)) {
				t.Errorf("storage.%s holds a scanned account in the clear (%q)", area, n)
			}
		}
	}
}

// TestExport exports through the export page: a wrong master password makes nothing; an
// encrypted Aegis file that the codeward command reads back to the same accounts; Google
// Authenticator transfer QR codes that decode to the same accounts.
func TestExport(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{}) // skips unless CODEWARD_E2E is set
	cli := filepath.Join(RepoRoot(t), "bin", "codeward")
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("the codeward command is not built (%v): run `make` first", err)
	}
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	p.AddAccountURI(testURI, uriIssuer, uriName)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
	want := []cwotp.Key{
		{Type: cwotp.TOTP, Issuer: uriIssuer, Name: uriName, Secret: mustSecret(t, uriSecret), Algorithm: cwotp.SHA256, Digits: 8, Period: 60},
		{Type: cwotp.TOTP, Issuer: handIssuer, Name: handName, Secret: mustSecret(t, handSecret), Algorithm: cwotp.SHA1, Digits: 6, Period: 30},
	}
	pg := openImportPage(t, b, p, NameExport, "#export")

	// Wrong master password: an alert, and no file.
	pg.Fill("textbox", NameMasterPassword, "not my master password")
	pg.Fill("textbox", NameExportPass, "aegis export pw")
	pg.Fill("textbox", NameExportConf, "aegis export pw")
	pg.Click("button", NameExport)
	if alert := pg.WaitAlert(); !strings.Contains(alert, "Wrong master password") {
		t.Fatalf("wrong master password: alert %q", alert)
	}
	if got := files(t, b.DownloadDir); len(got) != 0 {
		t.Fatalf("a refused export saved %v", got)
	}
	if len(pg.Query("image", "")) != 0 {
		t.Fatal("a refused export shows images")
	}

	pg.Fill("textbox", NameMasterPassword, imMaster)
	pg.Click("button", NameExport)
	pg.WaitText("Saved 2 accounts to")
	got := files(t, b.DownloadDir)
	if len(got) != 1 || !strings.HasPrefix(got[0], "codeward-aegis-encrypted-") {
		t.Fatalf("download directory holds %v, want one codeward-aegis-encrypted-….json", got)
	}
	exported := filepath.Join(b.DownloadDir, got[0])
	data, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(handSecret)) || bytes.Contains(data, []byte(handIssuer)) {
		t.Fatal("the encrypted Aegis file holds an account in the clear")
	}
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("aegis export pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cli, "import", "--from", "aegis", "--password-file", pwFile, exported).Output()
	if err != nil {
		t.Fatalf("codeward import: %v", err)
	}
	assertKeys(t, "codeward import of the Aegis file", parseLines(t, string(out)), want)

	// Google Authenticator transfer codes, drawn in the page.
	pg.Click("radio", "Google Authenticator (transfer QR codes)")
	pg.Fill("textbox", NameMasterPassword, imMaster)
	pg.Click("button", NameExport)
	pg.Find("image", "Transfer QR code 1 of 1, 1 account")
	// The period of 60 s of the first account has no place in Google Authenticator's format.
	if skipped := pg.Find("list", "Accounts left out").Text(); !strings.Contains(skipped, uriIssuer) {
		t.Errorf("the accounts left out do not name %q: %q", uriIssuer, skipped)
	}
	pngB64 := Eval[string](pg, `fetch(document.querySelector("#qr-list img").src).then(r => r.arrayBuffer())
		.then(b => { let s = ""; for (const c of new Uint8Array(b)) s += String.fromCharCode(c); return btoa(s); })`)
	pngData, err := base64.StdEncoding.DecodeString(pngB64)
	if err != nil {
		t.Fatal(err)
	}
	text := decodeQR(t, pngData)
	if !strings.HasPrefix(text, "otpauth-migration://offline?data=") {
		t.Fatalf("the transfer code holds %.30q…", text)
	}
	g, _ := formats.Lookup("google")
	res, err := g.Importer.Import([]byte(text), nil)
	if err != nil || len(res.Warnings) != 0 {
		t.Fatalf("read the transfer code: %v %q", err, res.Warnings)
	}
	var keys []cwotp.Key
	for _, a := range res.Accounts {
		k, err := a.Key()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	assertKeys(t, "the transfer QR code", keys, want[1:])
	// Read once more without the product's reader, so that a field mapping the exporter
	// and importer share (issuer and name swapped, an enum off by one) cannot pass.
	assertKeys(t, "the transfer QR code, read by hand", migrationKeys(t, text), want[1:])
	pg.Click("button", "Hide QR codes")
	pg.WaitGone("image", "Transfer QR code 1 of 1, 1 account")
}

// migrationKeys decodes an otpauth-migration URI with the wire format written out from
// Google Authenticator's published MigrationPayload message, independently of
// internal/formats/google.
func migrationKeys(t *testing.T, uri string) []cwotp.Key {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := base64.StdEncoding.DecodeString(u.Query().Get("data"))
	if err != nil {
		t.Fatalf("migration data: %v", err)
	}
	fields := func(b []byte, fn func(num protowire.Number, v uint64, bytes []byte)) {
		for len(b) > 0 {
			num, typ, n := protowire.ConsumeTag(b)
			if n < 0 {
				t.Fatalf("migration payload: bad tag")
			}
			b = b[n:]
			switch typ {
			case protowire.VarintType:
				v, n := protowire.ConsumeVarint(b)
				if n < 0 {
					t.Fatal("migration payload: bad varint")
				}
				fn(num, v, nil)
				b = b[n:]
			case protowire.BytesType:
				v, n := protowire.ConsumeBytes(b)
				if n < 0 {
					t.Fatal("migration payload: bad bytes")
				}
				fn(num, 0, v)
				b = b[n:]
			default:
				n := protowire.ConsumeFieldValue(num, typ, b)
				if n < 0 {
					t.Fatal("migration payload: bad field")
				}
				b = b[n:]
			}
		}
	}
	var keys []cwotp.Key
	fields(payload, func(num protowire.Number, _ uint64, otp []byte) {
		if num != 1 {
			return
		}
		k := cwotp.Key{Period: 30}
		fields(otp, func(num protowire.Number, v uint64, b []byte) {
			switch num {
			case 1:
				k.Secret = append([]byte(nil), b...)
			case 2:
				k.Name = string(b)
			case 3:
				k.Issuer = string(b)
			case 4:
				k.Algorithm = map[uint64]cwotp.Algorithm{1: cwotp.SHA1, 2: cwotp.SHA256, 3: cwotp.SHA512}[v]
			case 5:
				k.Digits = map[uint64]int{1: 6, 2: 8}[v]
			case 6:
				k.Type = map[uint64]cwotp.Type{1: cwotp.HOTP, 2: cwotp.TOTP}[v]
			case 7:
				k.Counter = v
			}
		})
		// Google Authenticator's name field often carries "issuer:name".
		k.Name = strings.TrimPrefix(k.Name, k.Issuer+":")
		keys = append(keys, k)
	})
	return keys
}

func mustSecret(t *testing.T, s string) []byte {
	t.Helper()
	b, err := cwotp.ParseSecret(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseLines(t *testing.T, out string) []cwotp.Key {
	t.Helper()
	var keys []cwotp.Key
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			k, err := cwotp.ParseURI(line)
			if err != nil {
				t.Fatalf("output line: %v", err)
			}
			keys = append(keys, k)
		}
	}
	return keys
}

func assertKeys(t *testing.T, what string, got, want []cwotp.Key) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d accounts, want %d", what, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Type != w.Type || g.Issuer != w.Issuer || g.Name != w.Name || !bytes.Equal(g.Secret, w.Secret) ||
			g.Algorithm != w.Algorithm || g.Digits != w.Digits || g.Period != w.Period || g.Counter != w.Counter {
			t.Errorf("%s: account %d is %s %q/%q %s %d digits %d s, want %s %q/%q %s %d digits %d s", what, i+1,
				g.Type, g.Issuer, g.Name, g.Algorithm, g.Digits, g.Period, w.Type, w.Issuer, w.Name, w.Algorithm, w.Digits, w.Period)
		}
	}
}
