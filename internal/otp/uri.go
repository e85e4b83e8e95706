package otp

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrInvalidURI is wrapped by every error ParseURI returns. Its messages never contain the
// URI, the secret or the label.
var ErrInvalidURI = errors.New("invalid otpauth URI")

const scheme = "otpauth://"

// ParseURI reads an otpauth:// URI the way real exports write them (see the package
// documentation for what is accepted) and returns a validated Key with every default
// filled in. Values out of range, a missing or invalid secret, a missing HOTP counter and
// unknown types, algorithms or encoders are errors.
func ParseURI(s string) (Key, error) {
	s = strings.TrimSpace(s)
	if len(s) < len(scheme) || !strings.EqualFold(s[:len(scheme)], scheme) {
		return Key{}, fmt.Errorf("%w: does not start with otpauth://", ErrInvalidURI)
	}
	rest := s[len(scheme):]
	rawType, rest := rest, ""
	if i := strings.IndexAny(rawType, "/?"); i >= 0 {
		rawType, rest = rawType[:i], rawType[i:]
	}
	rest = strings.TrimPrefix(rest, "/")
	rawLabel, rawQuery, _ := strings.Cut(rest, "?")

	var k Key
	switch strings.ToLower(rawType) {
	case "totp":
		k.Type = TOTP
	case "hotp":
		k.Type = HOTP
	case "steam":
		k.Type = Steam
	default:
		return Key{}, fmt.Errorf("%w: unknown type %s", ErrInvalidURI, quote(rawType))
	}

	label, err := url.PathUnescape(rawLabel)
	if err != nil {
		return Key{}, fmt.Errorf("%w: label is not properly percent-encoded", ErrInvalidURI)
	}
	params, err := parseQuery(rawQuery)
	if err != nil {
		return Key{}, err
	}

	switch enc, ok := params["encoder"]; {
	case !ok:
	case strings.EqualFold(enc, "steam") && k.Type != HOTP:
		k.Type = Steam
	default:
		return Key{}, fmt.Errorf("%w: unsupported encoder %s for %s", ErrInvalidURI, quote(enc), k.Type)
	}

	rawSecret, ok := params["secret"]
	if !ok {
		return Key{}, fmt.Errorf("%w: missing secret", ErrInvalidURI)
	}
	if k.Secret, err = ParseSecret(rawSecret); err != nil {
		return Key{}, fmt.Errorf("%w: %w", ErrInvalidURI, err)
	}

	k.Algorithm = SHA1
	if a, ok := params["algorithm"]; ok {
		switch strings.ToUpper(strings.ReplaceAll(a, "-", "")) {
		case "SHA1":
			k.Algorithm = SHA1
		case "SHA256":
			k.Algorithm = SHA256
		case "SHA512":
			k.Algorithm = SHA512
		default:
			return Key{}, fmt.Errorf("%w: unsupported algorithm %s", ErrInvalidURI, quote(a))
		}
	}

	k.Digits = 6
	if k.Type == Steam {
		k.Digits = steamDigits
	}
	if d, ok := params["digits"]; ok {
		if k.Digits, err = parseInt("digits", d); err != nil {
			return Key{}, err
		}
	}

	switch k.Type {
	case TOTP, Steam:
		k.Period = 30
		if p, ok := params["period"]; ok {
			if k.Period, err = parseInt("period", p); err != nil {
				return Key{}, err
			}
		}
	case HOTP:
		c, ok := params["counter"]
		if !ok {
			return Key{}, fmt.Errorf("%w: hotp needs a counter", ErrInvalidURI)
		}
		if k.Counter, err = parseUint("counter", c); err != nil {
			return Key{}, err
		}
	}

	k.Issuer, k.Name = splitLabel(label, strings.TrimSpace(params["issuer"]))
	if err := k.Validate(); err != nil {
		return Key{}, fmt.Errorf("%w: %w", ErrInvalidURI, err)
	}
	return k, nil
}

// parseQuery decodes the query ('+' and %20 are spaces), lower-cases parameter names and
// refuses a parameter given twice, where there would be no right answer.
func parseQuery(raw string) (map[string]string, error) {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: query is not properly encoded", ErrInvalidURI)
	}
	params := make(map[string]string, len(values))
	for name, vs := range values {
		name = strings.ToLower(name)
		if _, dup := params[name]; dup || len(vs) != 1 {
			return nil, fmt.Errorf("%w: parameter %s given more than once", ErrInvalidURI, quote(name))
		}
		params[name] = vs[0]
	}
	return params, nil
}

// splitLabel finds issuer and account name. The issuer parameter wins over a label prefix;
// when the label starts with the issuer parameter and a colon, the issuer may itself
// contain colons. Spaces around both parts are dropped.
func splitLabel(label, issuerParam string) (issuer, name string) {
	label = strings.TrimSpace(label)
	if issuerParam != "" {
		if rest, ok := strings.CutPrefix(label, issuerParam+":"); ok {
			return issuerParam, strings.TrimSpace(rest)
		}
		if _, after, ok := strings.Cut(label, ":"); ok {
			return issuerParam, strings.TrimSpace(after)
		}
		return issuerParam, label
	}
	if before, after, ok := strings.Cut(label, ":"); ok {
		return strings.TrimSpace(before), strings.TrimSpace(after)
	}
	return "", label
}

func parseUint(field, s string) (uint64, error) {
	if s == "" || len(s) > 20 || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("%w: %s %s is not a number", ErrInvalidURI, field, quote(s))
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %s is out of range", ErrInvalidURI, field)
	}
	return n, nil
}

// parseInt reads digits and period; anything above 1<<20 is out of range for both and is
// refused here so it cannot wrap around when converted to int.
func parseInt(field, s string) (int, error) {
	n, err := parseUint(field, s)
	if err != nil {
		return 0, err
	}
	if n > 1<<20 {
		return 0, fmt.Errorf("%w: %s is out of range", ErrInvalidURI, field)
	}
	return int(n), nil
}

// URI returns k in the canonical form described in the package documentation. The URI of
// a Key that does not Validate may not parse.
func (k Key) URI() string {
	var b strings.Builder
	b.WriteString(scheme)
	if k.Type == HOTP {
		b.WriteString("hotp/")
	} else {
		b.WriteString("totp/")
	}
	switch {
	case k.Issuer != "":
		b.WriteString(escape(k.Issuer))
		b.WriteByte(':')
	case strings.Contains(k.Name, ":"):
		// An empty prefix keeps the name's own colon from being read as the separator.
		b.WriteByte(':')
	}
	b.WriteString(escape(k.Name))
	b.WriteString("?secret=")
	b.WriteString(EncodeSecret(k.Secret))
	if k.Issuer != "" {
		b.WriteString("&issuer=")
		b.WriteString(escape(k.Issuer))
	}
	b.WriteString("&algorithm=")
	b.WriteString(string(k.Algorithm))
	b.WriteString("&digits=")
	b.WriteString(strconv.Itoa(k.Digits))
	if k.Type == HOTP {
		b.WriteString("&counter=")
		b.WriteString(strconv.FormatUint(k.Counter, 10))
	} else {
		b.WriteString("&period=")
		b.WriteString(strconv.Itoa(k.Period))
	}
	if k.Type == Steam {
		b.WriteString("&encoder=steam")
	}
	return b.String()
}

// escape percent-encodes everything but RFC 3986 unreserved characters and '@' (kept so
// that e-mail addresses stay readable), with upper-case hex; a space becomes %20.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '@':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
