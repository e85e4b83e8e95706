package formats

import (
	"bytes"
	"encoding/json"
)

// JSONObject returns the members of data when data is one JSON object. Many formats are
// told apart only by the names of their top-level members; this is the cheap first step
// of their Detect.
func JSONObject(data []byte) (map[string]json.RawMessage, bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
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
