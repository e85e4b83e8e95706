//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/formats"
	_ "codeward.dev/internal/formats/all" // every import/export format
	"codeward.dev/internal/formats/authext"
	"codeward.dev/internal/formats/bitwarden"
	"codeward.dev/internal/formats/ente"
	"codeward.dev/internal/formats/google"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/qr"
	"codeward.dev/internal/restore"
	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
)

// Files cross the boundary as standard base64 (they may be binary: andOTP and Stratum
// backups), and so do images, as grey levels the browser decoded; account lists as JSON;
// exported files as their text.

// Error codes of the import bridge, besides the shared ones (wrong_password, kdf_params...).
const (
	codePasswordRequired = "password_required" // encrypted file, no password given
	codeUnknownFormat    = "unknown_format"    // no importer recognises the data
	codeUnsupported      = "unsupported"       // a recognised variant Codeward cannot read (e.g. encrypted Bitwarden)
	codeUnreadable       = "unreadable"        // recognised but damaged, or no entry could be read
	codeNoQR             = "no_qr"             // no QR code in the image
	codeNotImage         = "not_image"         // not an image the browser can decode (said by the background)
	codeTooLarge         = "too_large"         // an image of more than qr.MaxPixels pixels, a file of more than restore.MaxImport accounts
	codeNoAccounts       = "no_accounts"       // QR codes found, none of them an authenticator account
	codeNothingToExport  = "nothing_to_export"
)

// maxImportSize bounds the files importRead accepts: real exports are kilobytes.
const maxImportSize = 16 << 20

func init() {
	bridge.Register("formatsList", formatsList)
	bridge.Register("formatDetect", formatDetect)
	bridge.Register("formatImport", formatImport)
	bridge.Register("formatExport", formatExport)
	bridge.Register("qrDecode", qrDecode)
	bridge.Register("qrImport", qrImport)
	bridge.Register("qrEncode", qrEncode)
	bridge.Register("googleQRCodes", googleQRCodes)
}

// formatsList() → [{name, description, import, export, exportNeedsPassword}] in detection order.
func formatsList([]safejs.Value) (any, error) {
	out := []any{}
	for _, f := range formats.All() {
		out = append(out, map[string]any{
			"name":                f.Name,
			"description":         f.Description,
			"import":              f.Importer != nil,
			"export":              f.Exporter != nil,
			"exportNeedsPassword": f.Exporter != nil && f.Exporter.NeedsPassword(),
		})
	}
	return out, nil
}

// formatDetect(dataB64) → {format, description, encrypted}
func formatDetect(args []safejs.Value) (any, error) {
	data, err := importData(args, 0)
	if err != nil {
		return nil, err
	}
	f, err := detect(data, "")
	if err != nil {
		return nil, err
	}
	return map[string]any{"format": f.Name, "description": f.Description, "encrypted": f.Importer.Encrypted(data)}, nil
}

// formatImport(dataB64, format?, password?) → {format, description, encrypted, accounts:
// JSON, problems: [{index, label, message}], warnings: [string]}. format "" or "auto"
// detects. Accounts come out ready for the vault (fresh ids, dates, order) and each one
// validated; an entry that does not validate becomes a problem.
func formatImport(args []safejs.Value) (any, error) {
	data, err := importData(args, 0)
	if err != nil {
		return nil, err
	}
	name, err := bridge.OptionalString(args, 1)
	if err != nil {
		return nil, err
	}
	pw, err := bridge.OptionalString(args, 2)
	if err != nil {
		return nil, err
	}
	f, err := detect(data, name)
	if err != nil {
		return nil, err
	}
	encrypted := f.Importer.Encrypted(data)
	// Without a password the importer itself says whether it needs one (ErrPasswordRequired)
	// or cannot read this kind of encrypted file at all (encrypted Bitwarden exports...).
	var password []byte
	if encrypted && pw != "" {
		password = []byte(pw)
		defer runtime.GC() // scrypt, PBKDF2 or Argon2id ran: give the memory back to Go's heap
	}
	res, err := f.Importer.Import(data, password)
	if err != nil {
		return nil, importError(err)
	}
	out, err := preview(res)
	if err != nil {
		return nil, err
	}
	out["format"], out["description"], out["encrypted"] = f.Name, f.Description, encrypted
	return out, nil
}

// formatExport(accountsJSON, format, password?) → the exported file's text. The password
// encrypts the file where the format can (Aegis); formats that need one refuse without.
func formatExport(args []safejs.Value) (any, error) {
	accounts, err := bridge.Accounts(args, 0)
	if err != nil {
		return nil, err
	}
	name, err := bridge.String(args, 1)
	if err != nil {
		return nil, err
	}
	pw, err := bridge.OptionalString(args, 2)
	if err != nil {
		return nil, err
	}
	f, ok := formats.Lookup(name)
	if !ok || f.Exporter == nil {
		return nil, bridge.BadArg(1, "the name of a format that can export")
	}
	if len(accounts) == 0 {
		return nil, bridge.Coded(codeNothingToExport, errors.New("there are no accounts to export"))
	}
	var password []byte
	if pw != "" {
		password = []byte(pw)
		defer runtime.GC()
	} else if f.Exporter.NeedsPassword() {
		return nil, bridge.Invalid(fmt.Errorf("a password is needed to export as %s", f.Name))
	}
	out, err := f.Exporter.Export(accounts, password)
	if err != nil {
		return nil, err
	}
	return string(out), nil
}

// qrDecode(grey, width, height) → [text] of every QR code in the image (see decodeImage).
func qrDecode(args []safejs.Value) (any, error) {
	texts, err := decodeImage(args, 0)
	if err != nil {
		return nil, err
	}
	return bridge.List(texts), nil
}

// qrImport(grey, width, height) → what formatImport returns (format "qr"), plus codes: the number of
// QR codes found. otpauth:// and otpauth-migration:// codes are both read; the migration
// codes are read together so that the batches of one transfer are checked as a whole.
func qrImport(args []safejs.Value) (any, error) {
	texts, err := decodeImage(args, 0)
	if err != nil {
		return nil, err
	}
	var migration, plain []string
	other := 0
	for _, t := range texts {
		t = strings.TrimSpace(t)
		switch lower := strings.ToLower(t); {
		case strings.HasPrefix(lower, "otpauth-migration://"):
			migration = append(migration, t)
		case strings.HasPrefix(lower, "otpauth://"):
			plain = append(plain, t)
		default:
			other++
		}
	}
	var all formats.Result
	var firstErr error
	for _, group := range []struct {
		format string
		texts  []string
	}{{"google", migration}, {"otpauth", plain}} {
		if len(group.texts) == 0 {
			continue
		}
		f, ok := formats.Lookup(group.format)
		if !ok || f.Importer == nil {
			return nil, fmt.Errorf("format %s is not built in", group.format)
		}
		res, err := f.Importer.Import([]byte(strings.Join(group.texts, "\n")), nil)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		all.Accounts = append(all.Accounts, res.Accounts...)
		for _, p := range res.Problems {
			all.AddProblem(p)
		}
		all.Unlisted += res.Unlisted
		all.Warnings = append(all.Warnings, res.Warnings...)
	}
	if other > 0 {
		all.Warnings = append(all.Warnings, fmt.Sprintf("%d of the %d QR codes found %s not an authenticator code and %s left out",
			other, len(texts), plural(other, "is", "are"), plural(other, "was", "were")))
	}
	if len(all.Accounts) == 0 {
		if firstErr != nil {
			return nil, importError(firstErr)
		}
		return nil, bridge.Coded(codeNoAccounts, fmt.Errorf("%d QR code%s found, but none holds an authenticator account", len(texts), plural(len(texts), "", "s")))
	}
	out, err := preview(all)
	if err != nil {
		return nil, err
	}
	out["format"], out["description"], out["encrypted"], out["codes"] = "qr", "QR codes", false, len(texts)
	return out, nil
}

// qrEncode(text, size) → PNG (base64) of text as a QR code of about size×size pixels.
func qrEncode(args []safejs.Value) (any, error) {
	text, err := bridge.String(args, 0)
	if err != nil {
		return nil, err
	}
	size, err := bridge.Int(args, 1, qr.MinSize, qr.MaxSize)
	if err != nil {
		return nil, err
	}
	png, err := qr.Encode(text, int(size))
	if err != nil {
		return nil, bridge.Invalid(err)
	}
	return bridge.Base64(png), nil
}

// googleQRCodes(accountsJSON, size) → {codes: [{image: PNG base64, count}], skipped:
// [{label, message}]}: Google Authenticator transfer QR codes of at most google.BatchLimit
// accounts each (fewer when long names would overflow a QR code), one batch. Accounts the app cannot hold unchanged (Steam, periods other
// than 30 s, 7 digits...) are left out and listed rather than sinking the whole export.
func googleQRCodes(args []safejs.Value) (any, error) {
	accounts, err := bridge.Accounts(args, 0)
	if err != nil {
		return nil, err
	}
	size, err := bridge.Int(args, 1, qr.MinSize, qr.MaxSize)
	if err != nil {
		return nil, err
	}
	var ok []vault.Account
	skipped := []any{}
	for _, a := range accounts {
		if err := google.Supported(a); err != nil {
			msg := err.Error()
			if errors.Is(err, google.ErrUnsupported) {
				// The sentinel's own words repeat what the page already says.
				msg = strings.TrimPrefix(msg, google.ErrUnsupported.Error()+": ")
			}
			skipped = append(skipped, map[string]any{"label": bridge.Label(a), "message": msg})
			continue
		}
		ok = append(ok, a)
	}
	if len(ok) == 0 {
		return nil, bridge.Coded(codeNothingToExport, errors.New("none of these accounts can be moved to Google Authenticator unchanged"))
	}
	uris, err := google.Exporter{}.URIs(ok)
	if err != nil {
		return nil, err
	}
	keys := make([]otp.Key, len(ok))
	for i, a := range ok {
		keys[i], _ = a.Key() // Supported checked it
	}
	batches := google.Batches(keys) // the accounts of each URI: fewer than 10 when names are long
	codes := make([]any, 0, len(uris))
	for i, u := range uris {
		png, err := qr.Encode(u, int(size))
		if err != nil {
			return nil, bridge.Invalid(err)
		}
		codes = append(codes, map[string]any{"image": bridge.Base64(png), "count": len(batches[i])})
	}
	return map[string]any{"codes": codes, "skipped": skipped}, nil
}

// --- helpers --------------------------------------------------------------------------------

func importData(args []safejs.Value, i int) ([]byte, error) {
	data, err := bridge.Bytes(args, i)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, bridge.Invalid(errors.New("the file is empty"))
	}
	if len(data) > maxImportSize {
		return nil, bridge.Invalid(fmt.Errorf("the file is larger than %d MiB: not an authenticator export", maxImportSize>>20))
	}
	return data, nil
}

// detect returns the format called name, or the detected one when name is "" or "auto".
func detect(data []byte, name string) (formats.Format, error) {
	if name == "" || name == "auto" {
		f, err := formats.Detect(data)
		if err != nil {
			return f, bridge.Coded(codeUnknownFormat, err)
		}
		return f, nil
	}
	f, ok := formats.Lookup(name)
	if !ok || f.Importer == nil {
		return f, bridge.BadArg(1, "the name of a format that can import")
	}
	return f, nil
}

// importError gives an importer's error a code the page can act on. The messages are the
// importers' own, which never hold a secret.
func importError(err error) error {
	if bridge.ErrorCode(err) != bridge.CodeFailed {
		return err // wrong_password, kdf_params, ... keep their shared codes
	}
	switch {
	case errors.Is(err, formats.ErrPasswordRequired):
		return bridge.Coded(codePasswordRequired, err)
	case errors.Is(err, formats.ErrUnknownFormat):
		return bridge.Coded(codeUnknownFormat, err)
	case errors.Is(err, ente.ErrEncrypted), errors.Is(err, bitwarden.ErrEncrypted), errors.Is(err, authext.ErrEncrypted):
		return bridge.Coded(codeUnsupported, err)
	}
	return bridge.Coded(codeUnreadable, err)
}

// decodeImage reads arguments i, i+1, i+2: an image as grey levels (a Uint8Array, one byte per
// pixel, row by row; the background has the browser decode the file or capture), its width
// and its height.
func decodeImage(args []safejs.Value, i int) ([]string, error) {
	width, err := bridge.Int(args, i+1, 1, qr.MaxPixels)
	if err != nil {
		return nil, err
	}
	height, err := bridge.Int(args, i+2, 1, qr.MaxPixels)
	if err != nil {
		return nil, err
	}
	if width*height > qr.MaxPixels {
		return nil, bridge.Coded(codeTooLarge, fmt.Errorf("%w: %d×%d pixels (at most %d)", qr.ErrTooLarge, width, height, qr.MaxPixels))
	}
	pix, err := bridge.ByteArray(args, i, int(width*height))
	if err != nil {
		return nil, err
	}
	defer runtime.GC() // a screen capture is megabytes of pixels, and the reader binarizes them
	texts, err := qr.DecodeGray(int(width), int(height), pix)
	switch {
	case errors.Is(err, qr.ErrNotFound):
		return nil, bridge.Coded(codeNoQR, err)
	case err != nil:
		return nil, bridge.Coded(codeNotImage, err)
	}
	return texts, nil
}

// The problems and warnings a preview lists, and the runes of each line: the background
// refuses more from a page (Limits.IMPORT_NOTES, IMPORT_NOTE_CHARS in
// extension/shared/messages.js: 1,000 lines of 500 UTF-16 units; a rune is at most two).
const (
	maxNotes     = 1000
	maxNoteRunes = 240
)

// note cuts a line for the preview to maxNoteRunes runes.
func note(s string) string {
	if utf8.RuneCountInString(s) <= maxNoteRunes {
		return s
	}
	r := []rune(s)
	return string(r[:maxNoteRunes-1]) + "…"
}

// preview turns an import result into the bridge's shape, making each account ready for
// the vault: a fresh id, creation time and order, then validated as the vault will.
func preview(res formats.Result) (map[string]any, error) {
	// Refused before the accounts are checked and encoded: the background would refuse the
	// list anyway (importCheck), after holding it all in memory twice.
	if err := restore.CheckImport(len(res.Accounts)); err != nil {
		return nil, bridge.Coded(codeTooLarge, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	good := []vault.Account{}
	problems := []any{}
	unlisted := res.Unlisted // problems beyond maxNotes, counted in one warning
	problem := func(index int, label, message, code string) {
		if len(problems) == maxNotes {
			unlisted++
			return
		}
		problems = append(problems, map[string]any{"index": index, "label": note(label), "message": note(message), "code": code})
	}
	for _, p := range res.Problems {
		problem(p.Index, p.Label, p.Message, p.Code)
	}
	for i, a := range res.Accounts {
		a.ID = vault.NewID(nil)
		a.Order = len(good)
		a.Created, a.Updated = now, now
		if err := a.Validate(); err != nil {
			problem(i+1, bridge.Label(a), err.Error(), formats.CodeOf(err))
			continue
		}
		good = append(good, a)
	}
	warnings := []any{}
	for _, w := range res.Warnings {
		if len(warnings) < maxNotes-1 {
			warnings = append(warnings, note(w))
		}
	}
	if unlisted > 0 {
		warnings = append(warnings, fmt.Sprintf("%d more entries could not be read (not listed)", unlisted))
	}
	accounts, err := bridge.AccountsJSON(good)
	if err != nil {
		return nil, err
	}
	return map[string]any{"accounts": accounts, "problems": problems, "warnings": warnings}, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
