// Package otpauth reads and writes plain text files of otpauth:// URIs, one a line: what
// Aegis, Ente Auth, andOTP and many scripts export, and the simplest way to move accounts
// between authenticators.
//
// Import is forgiving about the file and strict about each URI: blank lines, CRLF line
// ends, a UTF-8 byte order mark, spaces around a line and lines starting with '#' are
// allowed; every other line must be a URI that otp.ParseURI accepts, and a line that is not
// becomes a Problem while the rest is imported. Export writes each account's canonical URI
// (see package otp) followed by "\n".
//
// The file is not encrypted: anyone who reads it can generate the codes.
package otpauth

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "otpauth",
		Description: "text file of otpauth:// URIs, one a line (not encrypted)",
		// Generic text: after every format with a more specific signature, some of
		// which (Ente Auth, for one) are otpauth lines with extras.
		Priority: 90,
		Importer: Importer{},
		Exporter: Exporter{},
	})
}

// ErrNoAccounts is returned by Import when the file holds no importable account.
var ErrNoAccounts = errors.New("no account could be imported")

// Importer reads otpauth text files.
type Importer struct{}

// Detect reports whether the first line that is neither blank nor a comment starts with
// otpauth://.
func (Importer) Detect(data []byte) bool {
	first, _ := formats.Lines(data, 1)
	return len(first) == 1 && len(first[0].Text) >= 10 && strings.EqualFold(first[0].Text[:10], "otpauth://")
}

// Encrypted is always false.
func (Importer) Encrypted([]byte) bool { return false }

// Import reads every entry; password is ignored. When no entry can be read it returns
// ErrNoAccounts, along with the Problems that explain why.
func (Importer) Import(data []byte, _ []byte) (formats.Result, error) {
	var res formats.Result
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
		res.Accounts = append(res.Accounts, vault.AccountFromKey(k))
	}
	switch {
	case len(ls) == 0:
		return res, fmt.Errorf("%w: the file has no otpauth lines", ErrNoAccounts)
	case len(res.Accounts) == 0 && len(ls) == 1:
		return res, fmt.Errorf("%w: %s", ErrNoAccounts, res.Problems[0].Message)
	case len(res.Accounts) == 0:
		return res, fmt.Errorf("%w: all %d entries are invalid (first: %s)", ErrNoAccounts, len(ls), res.Problems[0].Message)
	}
	return res, nil
}

// Exporter writes otpauth text files.
type Exporter struct{}

// NeedsPassword is false: the format has no encryption.
func (Exporter) NeedsPassword() bool { return false }

// Export writes one canonical URI per account. An account whose parameters do not
// validate is an error (naming its position, never its secret).
func (Exporter) Export(accounts []vault.Account, password []byte) ([]byte, error) {
	if password != nil {
		return nil, formats.ErrNotEncrypted
	}
	var b bytes.Buffer
	for i, a := range accounts {
		k, err := a.Key()
		if err != nil {
			return nil, fmt.Errorf("account %d: %w", i+1, err)
		}
		b.WriteString(k.URI())
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
