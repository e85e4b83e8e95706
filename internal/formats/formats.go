// Package formats is the registry of file formats Codeward imports from and exports to.
// Each format lives in its own package under internal/formats and registers itself from an
// init function; importing internal/formats/all brings every format in.
package formats

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// ErrPasswordRequired is returned by Import when the data is encrypted and no password was given.
var ErrPasswordRequired = errors.New("this file is encrypted: a password is needed")

// ErrNotEncrypted is returned by the Export of a format that cannot be encrypted when it is
// given a password: writing plaintext while the caller believes it encrypted would be worse
// than refusing.
var ErrNotEncrypted = errors.New("this format is not encrypted, so it takes no password")

// ErrUnknownFormat is returned by Detect when no registered format recognises the data.
var ErrUnknownFormat = errors.New("the file's format is not recognised")

// Problem is one entry that could not be imported. Message never contains a secret, a
// password or a whole URI.
type Problem struct {
	Index   int    // 1-based position of the entry in the file
	Label   string // issuer and/or account name when they could be read, else ""
	Message string
	Code    string // what kind of refusal, for wording it (see CodeOf); "" when none applies
}

// Problem codes: stable names for the refusals a person can act on, so that the extension
// words them plainly without reading Message. The same names as the WASM bridge's codes.
const (
	CodeInvalidSecret = "invalid_secret" // the secret key is not base32, or empty
	CodeInvalidURI    = "invalid_uri"    // an otpauth:// link that does not parse
	CodeInvalidKey    = "invalid_key"    // type, algorithm, digits or period out of range
)

// CodeOf names the kind of refusal err is, or "" when it is none of the known ones.
func CodeOf(err error) string {
	switch {
	case errors.Is(err, otp.ErrInvalidSecret):
		return CodeInvalidSecret
	case errors.Is(err, otp.ErrInvalidURI):
		return CodeInvalidURI
	case errors.Is(err, otp.ErrInvalidKey):
		return CodeInvalidKey
	}
	return ""
}

// BadSecret is the error for an entry whose secret key cannot be read: message as given,
// and errors.Is(err, otp.ErrInvalidSecret), so that CodeOf names it.
func BadSecret(message string) error { return refusal{message, otp.ErrInvalidSecret} }

type refusal struct {
	message string
	kind    error
}

func (r refusal) Error() string { return r.message }
func (r refusal) Unwrap() error { return r.kind }

// ProblemOf is the Problem for entry index (1-based) refused with err.
func ProblemOf(index int, label string, err error) Problem {
	return Problem{Index: index, Label: label, Message: err.Error(), Code: CodeOf(err)}
}

func (p Problem) String() string {
	if p.Label != "" {
		return fmt.Sprintf("entry %d (%s): %s", p.Index, p.Label, p.Message)
	}
	return fmt.Sprintf("entry %d: %s", p.Index, p.Message)
}

// Result is what an import yields: the good accounts (IDs, Order and times may be zero:
// the vault assigns them) and one Problem per entry it could not read, the first
// MaxProblems of them kept and the rest counted.
type Result struct {
	Accounts []vault.Account
	Problems []Problem
	Unlisted int      // problems beyond MaxProblems, counted but not kept
	Warnings []string // about the file as a whole (e.g. "batch 1 of 2 only")
}

// MaxProblems bounds the Problems a Result keeps. A preview lists no more (the background
// refuses more from a page), and a 16 MiB file of 8 million bad lines would otherwise
// hold a Problem each: gigabytes, more than the WebAssembly tools can have.
const MaxProblems = 1000

// AddProblem keeps p, or counts it once MaxProblems are kept.
func (r *Result) AddProblem(p Problem) {
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, p)
	} else {
		r.Unlisted++
	}
}

// ProblemCount is the number of problems, kept and counted.
func (r *Result) ProblemCount() int { return len(r.Problems) + r.Unlisted }

// Importer reads one format.
type Importer interface {
	// Detect reports whether data looks like this format. It must be cheap and never panic.
	Detect(data []byte) bool
	// Encrypted reports whether data (already detected as this format) needs a password.
	Encrypted(data []byte) bool
	// Import reads data. password is nil for plain files. An import whose every entry is
	// bad returns an error; a partly bad one returns the good accounts and Problems.
	Import(data []byte, password []byte) (Result, error)
}

// Exporter writes one format. password is nil for formats without encryption.
type Exporter interface {
	Export(accounts []vault.Account, password []byte) ([]byte, error)
	// NeedsPassword reports whether Export requires a password (true for encrypted-only formats).
	NeedsPassword() bool
}

// Format describes a registered format.
type Format struct {
	Name        string // CLI name: "aegis", "google", "otpauth", "codeward", ...
	Description string
	Priority    int // detection order: lower first (specific formats before generic text)
	Importer    Importer
	Exporter    Exporter // nil if import-only
}

var (
	mu       sync.RWMutex
	registry = map[string]Format{}
)

// Register adds a format; it panics on a duplicate name (a programming error at init time).
func Register(f Format) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[f.Name]; dup {
		panic("formats: duplicate format " + f.Name)
	}
	registry[f.Name] = f
}

// Lookup returns the format registered under name.
func Lookup(name string) (Format, bool) {
	mu.RLock()
	defer mu.RUnlock()
	f, ok := registry[name]
	return f, ok
}

// All returns every registered format in detection order.
func All() []Format {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]Format, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Priority != out[j].Priority {
			return out[i].Priority < out[j].Priority
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Detect returns the first importable format (in detection order) that recognises data.
func Detect(data []byte) (Format, error) {
	for _, f := range All() {
		if f.Importer != nil && f.Importer.Detect(data) {
			return f, nil
		}
	}
	return Format{}, ErrUnknownFormat
}
