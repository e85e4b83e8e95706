package seal

import (
	"bytes"
	"errors"
	"fmt"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeStrict decodes data into v refusing what encoding/json lets through: unknown,
// duplicate or differently-cased member names, invalid UTF-8 and trailing data. Every
// failure wraps ErrCorrupt. Envelope fields are all authenticated, so this strictness is
// what keeps a flipped bit in a member name from being silently ignored.
func DecodeStrict(data []byte, v any) error {
	if err := json.Unmarshal(data, v, json.RejectUnknownMembers(true)); err != nil {
		return fmt.Errorf("%w: %s", ErrCorrupt, describe(err))
	}
	return nil
}

// DecodeLoose is DecodeStrict without the unknown-member rule, for reading the format
// name and version before knowing which members a version has.
func DecodeLoose(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s", ErrCorrupt, describe(err))
	}
	return nil
}

// describe keeps JSON errors short and free of input excerpts, which could be secrets
// once a payload has been decrypted.
func describe(err error) string {
	var se *json.SemanticError
	if errors.As(err, &se) {
		if se.JSONPointer != "" {
			return fmt.Sprintf("unexpected member or value at %s", se.JSONPointer)
		}
		return "unexpected value"
	}
	var xe *jsontext.SyntacticError
	if errors.As(err, &xe) {
		return fmt.Sprintf("invalid JSON at byte %d", xe.ByteOffset)
	}
	return "invalid JSON"
}

// FirstMember reports whether data is a JSON object whose first member is name with the
// string value want, looking no further than the first limit bytes. It is the cheap test
// behind Detect.
func FirstMember(data []byte, limit int, name, want string) bool {
	if len(data) > limit {
		data = data[:limit]
	}
	d := jsontext.NewDecoder(bytes.NewReader(data))
	tok, err := d.ReadToken()
	if err != nil || tok.Kind() != '{' {
		return false
	}
	tok, err = d.ReadToken()
	if err != nil || tok.Kind() != '"' || tok.String() != name {
		return false
	}
	tok, err = d.ReadToken()
	return err == nil && tok.Kind() == '"' && tok.String() == want
}

// IsObject reports whether raw is one valid JSON object.
func IsObject(raw []byte) bool {
	v := jsontext.Value(raw)
	return v.IsValid() && v.Kind() == '{'
}
