// Package google reads and writes Google Authenticator's account transfer format:
// otpauth-migration://offline?data=BASE64 URIs, each holding a protobuf MigrationPayload,
// as the app's "Transfer accounts" QR codes carry them.
//
// A text file may hold several URIs (one per line; blank lines and lines starting with '#'
// are skipped). The protobuf is decoded with google.golang.org/protobuf's protowire. A large
// export is split by the app into a batch of QR codes; when a file holds only part of a
// batch the import succeeds with a warning naming what is missing.
//
// The format carries no period and only 6 or 8 digits, so Export refuses accounts it cannot
// represent (see Supported) rather than change them.
package google

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "google",
		Description: "Google Authenticator transfer (otpauth-migration:// URIs)",
		Priority:    20,
		Importer:    Importer{},
		Exporter:    Exporter{},
	})
}

// Scheme is the URI scheme of Google Authenticator's transfer QR codes.
const Scheme = "otpauth-migration"

// ErrCorrupt is wrapped by errors about a migration URI whose payload cannot be read.
var ErrCorrupt = errors.New("google: damaged migration data")

// maxLineLength bounds one line of input; the app's QR codes hold far less.
const maxLineLength = 1 << 20

// Field numbers of the MigrationPayload message.
const (
	fieldOtpParameters = 1
	fieldVersion       = 2
	fieldBatchSize     = 3
	fieldBatchIndex    = 4
	fieldBatchID       = 5
)

// Field numbers of the OtpParameters message.
const (
	fieldSecret    = 1
	fieldName      = 2
	fieldIssuer    = 3
	fieldAlgorithm = 4
	fieldDigits    = 5
	fieldType      = 6
	fieldCounter   = 7
)

// Enum values of OtpParameters.
const (
	algoUnspecified = 0
	algoSHA1        = 1
	algoSHA256      = 2
	algoSHA512      = 3
	algoMD5         = 4

	digitsUnspecified = 0
	digitsSix         = 1
	digitsEight       = 2

	typeUnspecified = 0
	typeHOTP        = 1
	typeTOTP        = 2
)

// Payload is one decoded migration URI.
type Payload struct {
	Params     []Params
	Version    int32
	BatchSize  int32
	BatchIndex int32
	BatchID    int32
}

// Params is one account as the app stores it (enums as their wire numbers).
type Params struct {
	Secret    []byte
	Name      string
	Issuer    string
	Algorithm uint64
	Digits    uint64
	Type      uint64
	Counter   uint64
}

// DecodePayload decodes a MigrationPayload protobuf. Unknown fields are skipped; a
// truncated or malformed message is an error wrapping ErrCorrupt.
func DecodePayload(b []byte) (Payload, error) {
	var p Payload
	err := walk(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch {
		case num == fieldOtpParameters && typ == protowire.BytesType:
			op, err := decodeParams(v)
			if err != nil {
				return err
			}
			p.Params = append(p.Params, op)
		case num == fieldVersion && typ == protowire.VarintType:
			p.Version = int32(x)
		case num == fieldBatchSize && typ == protowire.VarintType:
			p.BatchSize = int32(x)
		case num == fieldBatchIndex && typ == protowire.VarintType:
			p.BatchIndex = int32(x)
		case num == fieldBatchID && typ == protowire.VarintType:
			p.BatchID = int32(x) // negative ids are written as 10-byte varints
		case num <= fieldBatchID:
			return fmt.Errorf("%w: field %d has wire type %d", ErrCorrupt, num, typ)
		}
		return nil
	})
	return p, err
}

func decodeParams(b []byte) (Params, error) {
	var op Params
	err := walk(b, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch {
		case num == fieldSecret && typ == protowire.BytesType:
			op.Secret = append([]byte(nil), v...)
		case num == fieldName && typ == protowire.BytesType:
			op.Name = string(v)
		case num == fieldIssuer && typ == protowire.BytesType:
			op.Issuer = string(v)
		case num == fieldAlgorithm && typ == protowire.VarintType:
			op.Algorithm = x
		case num == fieldDigits && typ == protowire.VarintType:
			op.Digits = x
		case num == fieldType && typ == protowire.VarintType:
			op.Type = x
		case num == fieldCounter && typ == protowire.VarintType:
			op.Counter = x
		case num <= fieldCounter:
			return fmt.Errorf("%w: account field %d has wire type %d", ErrCorrupt, num, typ)
		}
		return nil
	})
	return op, err
}

// walk calls f for every field of a message: v holds a length-delimited value, x a varint.
func walk(b []byte, f func(protowire.Number, protowire.Type, []byte, uint64) error) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("%w: %v", ErrCorrupt, protowire.ParseError(n))
		}
		b = b[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("%w: %v", ErrCorrupt, protowire.ParseError(n))
		}
		b = b[n:]
		if err := f(num, typ, v, x); err != nil {
			return err
		}
	}
	return nil
}

// ParseURI decodes one otpauth-migration://offline?data=... URI. The data parameter is
// read as the app and common tools write it: percent-encoded or not (a raw '+' stays '+'),
// with or without base64 padding.
func ParseURI(s string) (Payload, error) {
	s = strings.TrimSpace(s)
	prefix := Scheme + "://offline?"
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return Payload{}, fmt.Errorf("google: not an %s://offline URI", Scheme)
	}
	var data string
	found := false
	for _, kv := range strings.Split(s[len(prefix):], "&") {
		if k, v, _ := strings.Cut(kv, "="); k == "data" {
			data, found = v, true
		}
	}
	if !found || data == "" {
		return Payload{}, fmt.Errorf("%w: no data parameter", ErrCorrupt)
	}
	// PathUnescape, unlike QueryUnescape, keeps '+': unescaped base64 is common.
	data, err := url.PathUnescape(data)
	if err != nil {
		return Payload{}, fmt.Errorf("%w: bad percent-encoding", ErrCorrupt)
	}
	data = strings.NewReplacer(" ", "+", "-", "+", "_", "/").Replace(strings.TrimRight(data, "="))
	raw, err := base64.RawStdEncoding.DecodeString(data)
	if err != nil {
		return Payload{}, fmt.Errorf("%w: data is not base64", ErrCorrupt)
	}
	return DecodePayload(raw)
}

// Key converts one account. The app writes the name as "Issuer:account"; the issuer prefix
// is removed, and without an issuer field a "Service:account" name is split like an
// otpauth label.
func (op Params) Key() (otp.Key, error) {
	k := otp.Key{Secret: op.Secret, Issuer: op.Issuer, Name: op.Name}
	if k.Issuer != "" {
		if rest, ok := strings.CutPrefix(k.Name, k.Issuer+":"); ok {
			k.Name = strings.TrimSpace(rest)
		}
	} else if i := strings.IndexByte(k.Name, ':'); i > 0 {
		k.Issuer, k.Name = strings.TrimSpace(k.Name[:i]), strings.TrimSpace(k.Name[i+1:])
	}
	if !utf8.ValidString(k.Name) || !utf8.ValidString(k.Issuer) {
		return otp.Key{}, errors.New("name or issuer is not valid UTF-8")
	}
	switch op.Type {
	case typeTOTP:
		k.Type, k.Period = otp.TOTP, 30
	case typeHOTP:
		k.Type, k.Counter = otp.HOTP, op.Counter
	default:
		// Guessing would risk turning an HOTP account into TOTP.
		return otp.Key{}, fmt.Errorf("unknown OTP type %d", op.Type)
	}
	// Unspecified is the protobuf zero value; the app means its defaults by it.
	switch op.Algorithm {
	case algoUnspecified, algoSHA1:
		k.Algorithm = otp.SHA1
	case algoSHA256:
		k.Algorithm = otp.SHA256
	case algoSHA512:
		k.Algorithm = otp.SHA512
	case algoMD5:
		return otp.Key{}, errors.New("MD5 is not supported")
	default:
		return otp.Key{}, fmt.Errorf("unknown algorithm %d", op.Algorithm)
	}
	switch op.Digits {
	case digitsUnspecified, digitsSix:
		k.Digits = 6
	case digitsEight:
		k.Digits = 8
	default:
		return otp.Key{}, fmt.Errorf("unknown digit count %d", op.Digits)
	}
	if err := k.Validate(); err != nil {
		return otp.Key{}, err
	}
	return k, nil
}

// Importer reads text holding one or more migration URIs.
type Importer struct{}

// Detect reports whether the first meaningful line is a migration URI.
func (Importer) Detect(data []byte) bool {
	first, _ := lines(data, 1)
	for _, line := range first {
		return len(line) > len(Scheme)+3 && strings.EqualFold(line[:len(Scheme)+3], Scheme+"://")
	}
	return false
}

// Encrypted is false: migration data is never encrypted.
func (Importer) Encrypted([]byte) bool { return false }

// lines returns the URIs: formats.Lines' texts, none longer than maxLineLength.
func lines(data []byte, max int) ([]string, error) {
	ls, err := formats.Lines(data, max)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ls))
	for i, l := range ls {
		if len(l.Text) > maxLineLength {
			return nil, fmt.Errorf("%w: a line is longer than %d bytes", ErrCorrupt, maxLineLength)
		}
		out[i] = l.Text
	}
	return out, nil
}

type batchKey struct{ id, size int32 }

// Import reads every URI. A URI that cannot be decoded becomes a problem when others
// could be read; a file whose every URI is bad is an error.
func (Importer) Import(data, _ []byte) (formats.Result, error) {
	var res formats.Result
	if !utf8.Valid(data) {
		return res, fmt.Errorf("%w: not text", ErrCorrupt)
	}
	uris, err := lines(data, 0)
	if err != nil {
		return res, err
	}
	if len(uris) == 0 {
		return res, fmt.Errorf("%w: no migration URI", ErrCorrupt)
	}
	var firstErr error
	batches := map[batchKey]map[int32]bool{}
	index := 0
	for n, line := range uris {
		p, err := ParseURI(line)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("URI %d: %w", n+1, err)
			}
			index++
			res.AddProblem(formats.ProblemOf(index, "", fmt.Errorf("URI %d of %d: %w", n+1, len(uris), err)))
			continue
		}
		if p.BatchSize > 1 && (p.BatchIndex < 0 || p.BatchIndex >= p.BatchSize) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("URI %d says it is QR code %d of %d", n+1, int64(p.BatchIndex)+1, p.BatchSize))
		} else if p.BatchSize > 1 {
			bk := batchKey{p.BatchID, p.BatchSize}
			if batches[bk] == nil {
				batches[bk] = map[int32]bool{}
			}
			if batches[bk][p.BatchIndex] {
				res.Warnings = append(res.Warnings, fmt.Sprintf("QR code %d of %d appears twice; its accounts were read once", p.BatchIndex+1, p.BatchSize))
				continue
			}
			batches[bk][p.BatchIndex] = true
		}
		for _, op := range p.Params {
			index++
			k, err := op.Key()
			if err != nil {
				res.AddProblem(formats.ProblemOf(index, label(op), err))
				continue
			}
			res.Accounts = append(res.Accounts, vault.AccountFromKey(k))
		}
	}
	res.Warnings = append(res.Warnings, batchWarnings(batches)...)
	if len(res.Accounts) == 0 {
		if firstErr != nil && res.ProblemCount() == 1 {
			return res, firstErr
		}
		if len(res.Problems) > 0 {
			return res, fmt.Errorf("google: none of the accounts could be read (first: %s)", res.Problems[0])
		}
	}
	return res, nil
}

func batchWarnings(batches map[batchKey]map[int32]bool) []string {
	keys := make([]batchKey, 0, len(batches))
	for k := range batches {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].id < keys[j].id })
	var out []string
	for _, bk := range keys {
		seen := batches[bk]
		var missing []string
		for i := int32(0); i < bk.size && len(missing) <= 20; i++ {
			if !seen[i] {
				missing = append(missing, fmt.Sprint(i+1))
			}
		}
		if len(missing) > 0 {
			out = append(out, fmt.Sprintf("incomplete transfer: %d of %d QR codes read; missing QR code %s — scan those too",
				len(seen), bk.size, strings.Join(missing, ", ")))
		}
	}
	return out
}

func label(op Params) string {
	if utf8.ValidString(op.Name) && utf8.ValidString(op.Issuer) {
		if op.Issuer != "" && !strings.HasPrefix(op.Name, op.Issuer+":") {
			return op.Issuer + ": " + op.Name
		}
		return op.Name
	}
	return ""
}
