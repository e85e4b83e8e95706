package seal

import (
	"fmt"

	"codeward.dev/internal/strictjson"
)

// The envelopes and payloads of both formats are read with package strictjson, which
// refuses what encoding/json lets through by itself: unknown, duplicate or
// differently-cased member names (encoding/json matches names case-insensitively and keeps
// the last of duplicates), invalid UTF-8 including escaped lone surrogates (which it would
// turn into U+FFFD) and trailing data. Envelope fields are all authenticated, so this
// strictness is what keeps a flipped bit in a member name from being silently ignored.

// Corrupt wraps a reading error from strictjson in ErrCorrupt.
func Corrupt(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrCorrupt, err.Error())
}

// Head reads the format name and version of an envelope (or, with format "", the version
// of a payload) before knowing which members that version has: other members are skipped
// (still checked). version is nil when the member is missing or null. Errors wrap
// ErrCorrupt.
func Head(data []byte, withFormat bool) (format string, version *int64, err error) {
	d := strictjson.NewDecoder(data)
	names := []string{"version"}
	if withFormat {
		names = []string{"version", "format"}
	}
	d.Loose(names, func(i int, _ string) {
		if i == 1 {
			format = d.String()
			return
		}
		if !d.Null() {
			v := d.Int(64)
			version = &v
		}
	})
	if err := d.End(); err != nil {
		return "", nil, Corrupt(err)
	}
	return format, version, nil
}

var kdfNames = []string{"name", "memory", "time", "threads", "salt"}

// ReadKDF reads the "kdf" object of an envelope.
func ReadKDF(d *strictjson.Decoder) KDFJSON {
	var k KDFJSON
	d.Object(kdfNames, func(i int, _ string) {
		switch i {
		case 0:
			k.Name = d.String()
		case 1:
			k.Memory = d.Uint(64)
		case 2:
			k.Time = d.Uint(64)
		case 3:
			k.Threads = d.Uint(64)
		case 4:
			k.Salt = d.String()
		}
	})
	return k
}

// FirstMember reports whether data is a JSON object whose first member is name with the
// string value want, looking no further than the first limit bytes. It is the cheap test
// behind Detect.
func FirstMember(data []byte, limit int, name, want string) bool {
	return strictjson.FirstMember(data, limit, name, want)
}

// IsObject reports whether raw is one valid JSON object by the rules of the readers (no
// duplicate names, valid UTF-8, no lone surrogate escapes).
func IsObject(raw []byte) bool { return strictjson.IsObject(raw) }
