package formats

import (
	"bytes"

	"codeward.dev/internal/strictjson"
)

// JSONObject returns the members of data when data is one JSON object, each value as it
// stands in the file. Many formats are told apart only by the names of their top-level
// members; this is the cheap first step of their Detect. It reads as encoding/json reads
// into a map (a member given twice keeps its last value).
func JSONObject(data []byte) (map[string][]byte, bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, false
	}
	top := map[string][]byte{}
	d := strictjson.NewLenientDecoder(data)
	d.Object(nil, func(_ int, name string) { top[name] = d.Raw() })
	if d.End() != nil {
		return nil, false
	}
	return top, true
}

// HasMembers reports whether data is a JSON object with every one of the named members.
func HasMembers(data []byte, names ...string) bool {
	top, ok := JSONObject(data)
	if !ok {
		return false
	}
	for _, n := range names {
		if _, ok := top[n]; !ok {
			return false
		}
	}
	return true
}
