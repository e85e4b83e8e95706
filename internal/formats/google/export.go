package google

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// BatchLimit is how many accounts one migration URI (one QR code) holds, as the app does.
const BatchLimit = 10

// MaxURILength bounds one migration URI so that it fits one QR code (2,331 bytes at error
// correction M, version 40) with room to spare. Batches hold fewer than BatchLimit
// accounts when long names would overflow it; an account that cannot fit alone is not
// Supported.
const MaxURILength = 2000

// ErrUnsupported is wrapped when an account cannot be written in this format unchanged.
var ErrUnsupported = errors.New("google: Google Authenticator cannot hold this account unchanged")

// Supported reports (as an error wrapping ErrUnsupported) why a cannot be exported to
// Google Authenticator without changing its codes, or returns nil. The transfer format has
// no period field (always 30 s), only 6 or 8 digits and no Steam type.
func Supported(a vault.Account) error {
	k, err := a.Key()
	if err != nil {
		return err
	}
	return supported(k)
}

func supported(k otp.Key) error {
	switch {
	case k.Type == otp.Steam:
		return fmt.Errorf("%w: Steam accounts are not supported", ErrUnsupported)
	case k.Type == otp.TOTP && k.Period != 30:
		return fmt.Errorf("%w: a period of %d s (only 30 s)", ErrUnsupported, k.Period)
	case k.Digits != 6 && k.Digits != 8:
		return fmt.Errorf("%w: %d digits (only 6 or 8)", ErrUnsupported, k.Digits)
	case uriLength([]otp.Key{k}) > MaxURILength:
		return fmt.Errorf("%w: its issuer, name and secret are too long for one QR code", ErrUnsupported)
	}
	return nil
}

// uriLength is the length of the migration URI of keys as one batch. The batch fields are
// written at their largest, so the real URI is never longer.
func uriLength(keys []otp.Key) int {
	b := EncodePayload(keys, BatchLimit<<20, BatchLimit<<20, -1)
	return len(Scheme + "://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(b)))
}

// Exporter writes migration URIs, one per line. The zero value uses crypto/rand for the
// batch id.
type Exporter struct {
	Rand io.Reader
}

// Supports is Supported, for callers that leave out (and list) what the format cannot hold
// instead of refusing the whole export.
func (Exporter) Supports(a vault.Account) error { return Supported(a) }

// NeedsPassword is false: the format has no encryption.
func (Exporter) NeedsPassword() bool { return false }

// Export writes the URIs of URIs, one per line.
func (x Exporter) Export(accounts []vault.Account, password []byte) ([]byte, error) {
	if password != nil {
		return nil, formats.ErrNotEncrypted
	}
	uris, err := x.URIs(accounts)
	if err != nil {
		return nil, err
	}
	return []byte(strings.Join(uris, "\n") + "\n"), nil
}

// URIs encodes accounts as migration URIs of at most BatchLimit accounts each, all of one
// batch (same batch id, size and consecutive indexes), ready to show as QR codes. It
// refuses the whole export when any account is not Supported, naming the first ones.
func (x Exporter) URIs(accounts []vault.Account) ([]string, error) {
	if len(accounts) == 0 {
		return nil, errors.New("google: no accounts to export")
	}
	keys := make([]otp.Key, len(accounts))
	var bad []string
	var firstErr error
	for i, a := range accounts {
		k, err := a.Key()
		if err == nil {
			err = supported(k)
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			if len(bad) < 5 {
				bad = append(bad, fmt.Sprintf("%d (%s)", i+1, label(Params{Issuer: a.Issuer, Name: a.Name})))
			}
			continue
		}
		keys[i] = k
	}
	if firstErr != nil {
		return nil, fmt.Errorf("account %s: %w", strings.Join(bad, ", "), firstErr)
	}
	r := x.Rand
	if r == nil {
		r = rand.Reader
	}
	var idb [4]byte
	if _, err := io.ReadFull(r, idb[:]); err != nil {
		return nil, fmt.Errorf("google: reading randomness: %w", err)
	}
	id := int32(binary.BigEndian.Uint32(idb[:]))
	batches := Batches(keys)
	uris := make([]string, 0, len(batches))
	for i, chunk := range batches {
		b := EncodePayload(chunk, int32(len(batches)), int32(i), id)
		uris = append(uris, Scheme+"://offline?data="+url.QueryEscape(base64.StdEncoding.EncodeToString(b)))
	}
	return uris, nil
}

// Batches splits Supported keys, in order, into the batches URIs writes: at most
// BatchLimit keys each, and fewer where their URI would exceed MaxURILength.
func Batches(keys []otp.Key) [][]otp.Key {
	var out [][]otp.Key
	start := 0
	for i := range keys {
		if i > start && (i-start == BatchLimit || uriLength(keys[start:i+1]) > MaxURILength) {
			out = append(out, keys[start:i])
			start = i
		}
	}
	if start < len(keys) {
		out = append(out, keys[start:])
	}
	return out
}

// EncodePayload writes a MigrationPayload (version 1) holding keys, which must be
// Supported. Names are written as "Issuer:account", as the app does.
func EncodePayload(keys []otp.Key, batchSize, batchIndex, batchID int32) []byte {
	var b []byte
	for _, k := range keys {
		var m []byte
		m = protowire.AppendTag(m, fieldSecret, protowire.BytesType)
		m = protowire.AppendBytes(m, k.Secret)
		name := k.Name
		if k.Issuer != "" {
			name = k.Issuer + ":" + k.Name
		}
		m = protowire.AppendTag(m, fieldName, protowire.BytesType)
		m = protowire.AppendString(m, name)
		if k.Issuer != "" {
			m = protowire.AppendTag(m, fieldIssuer, protowire.BytesType)
			m = protowire.AppendString(m, k.Issuer)
		}
		algo := map[otp.Algorithm]uint64{otp.SHA1: algoSHA1, otp.SHA256: algoSHA256, otp.SHA512: algoSHA512}[k.Algorithm]
		m = protowire.AppendTag(m, fieldAlgorithm, protowire.VarintType)
		m = protowire.AppendVarint(m, algo)
		digits := uint64(digitsSix)
		if k.Digits == 8 {
			digits = digitsEight
		}
		m = protowire.AppendTag(m, fieldDigits, protowire.VarintType)
		m = protowire.AppendVarint(m, digits)
		typ := uint64(typeTOTP)
		if k.Type == otp.HOTP {
			typ = typeHOTP
		}
		m = protowire.AppendTag(m, fieldType, protowire.VarintType)
		m = protowire.AppendVarint(m, typ)
		if k.Type == otp.HOTP {
			m = protowire.AppendTag(m, fieldCounter, protowire.VarintType)
			m = protowire.AppendVarint(m, k.Counter)
		}
		b = protowire.AppendTag(b, fieldOtpParameters, protowire.BytesType)
		b = protowire.AppendBytes(b, m)
	}
	for _, f := range []struct {
		num protowire.Number
		v   int32
	}{{fieldVersion, 1}, {fieldBatchSize, batchSize}, {fieldBatchIndex, batchIndex}, {fieldBatchID, batchID}} {
		b = protowire.AppendTag(b, f.num, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(int64(f.v))) // int32 is sign-extended on the wire
	}
	return b
}
