// Package ente reads Ente Auth's plain text export: otpauth:// URIs, one a line, with an
// extra "codeDisplay" parameter holding Ente's display state as JSON (pinned, trashed,
// tags, note). Entries in Ente's trash are skipped with a warning; a note is kept.
//
// Ente's encrypted export (JSON with kdfParams and encryptedData) is recognised and
// refused with a clear error: Ente can export plain text.
package ente

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "ente",
		Description: "Ente Auth export (plain text)",
		// Before the generic otpauth text format, which would read these lines too but
		// keep trashed entries.
		Priority: 50,
		Importer: Importer{},
	})
}

// ErrEncrypted is returned for Ente's encrypted exports.
var ErrEncrypted = errors.New("ente: encrypted Ente exports are not supported; export as plain text from Ente Auth")

// ErrNoAccounts is returned when the text holds no readable account.
var ErrNoAccounts = errors.New("ente: no account could be read")

func isEncryptedExport(data []byte) bool {
	return formats.HasMembers(data, "kdfParams", "encryptedData")
}

// Importer reads Ente Auth exports.
type Importer struct{}

// Detect reports whether data is otpauth lines of which one has Ente's codeDisplay
// parameter, or an Ente encrypted export.
func (Importer) Detect(data []byte) bool {
	if isEncryptedExport(data) {
		return true
	}
	ls, err := formats.Lines(data, 0)
	if err != nil || len(ls) == 0 || !strings.HasPrefix(strings.ToLower(ls[0].Text), "otpauth://") {
		return false
	}
	for _, l := range ls {
		if strings.Contains(l.Text, "codeDisplay=") {
			return true
		}
	}
	return false
}

// Encrypted reports whether data is Ente's encrypted export.
func (Importer) Encrypted(data []byte) bool { return isEncryptedExport(data) }

type display struct {
	Trashed bool   `json:"trashed"`
	Note    string `json:"note"`
}

// readDisplay reads codeDisplay's JSON into *d as encoding/json read it (a parameter given
// twice reads over the first, as before).
func readDisplay(s string, d *display) error {
	dec := strictjson.NewLenientDecoder([]byte(s))
	dec.Object([]string{"trashed", "note"}, func(i int, _ string) {
		switch i {
		case 0:
			dec.BoolTo(&d.Trashed)
		case 1:
			dec.StringTo(&d.Note)
		}
	})
	return dec.End()
}

// codeDisplay returns the decoded codeDisplay parameter of a URI, if any.
func codeDisplay(uri string) (display, error) {
	var d display
	_, query, ok := strings.Cut(uri, "?")
	if !ok {
		return d, nil
	}
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k != "codeDisplay" {
			continue
		}
		s, err := url.QueryUnescape(v)
		if err != nil || readDisplay(s, &d) != nil {
			return d, errors.New("codeDisplay is not valid JSON")
		}
	}
	return d, nil
}

// Import reads every line; a line that is not a valid URI becomes a problem.
func (Importer) Import(data, _ []byte) (formats.Result, error) {
	if isEncryptedExport(data) {
		return formats.Result{}, ErrEncrypted
	}
	var res formats.Result
	trashed := 0
	ls, err := formats.Lines(data, 0)
	if err != nil {
		return res, err
	}
	for i, l := range ls {
		k, err := otp.ParseURI(l.Text)
		if err != nil {
			res.AddProblem(formats.ProblemOf(i+1, "", fmt.Errorf("line %d: %w", l.N, err)))
			continue
		}
		d, err := codeDisplay(l.Text)
		if err != nil {
			res.AddProblem(formats.ProblemOf(i+1, formats.Label(k.Issuer, k.Name), fmt.Errorf("line %d: %w", l.N, err)))
			continue
		}
		if d.Trashed {
			trashed++
			continue
		}
		a := vault.AccountFromKey(k)
		a.Note = d.Note
		res.Accounts = append(res.Accounts, a)
	}
	if trashed > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d entries in Ente's trash were not imported", trashed))
	}
	if len(res.Accounts) == 0 && trashed == 0 {
		if len(res.Problems) > 0 {
			return res, fmt.Errorf("%w (first: %s)", ErrNoAccounts, res.Problems[0])
		}
		return res, ErrNoAccounts
	}
	return res, nil
}
