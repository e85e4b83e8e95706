package aegis

import "codeward.dev/internal/strictjson"

// The writers below write what json.Marshal wrote for the structs of aegis.go (member
// order, omitempty, HTML-safe strings), and appendVault what json.MarshalIndent wrote
// with four spaces: exports are byte for byte what they were (TestExportAsEncodingJSON).

// appendVault writes the whole file, indented: version 1, the header, and db (the content
// object, or the base64 text of an encrypted one, as JSON).
func appendVault(h header, db []byte) []byte {
	b := append(make([]byte, 0, len(db)+1024), `{"version":1,"header":`...)
	b = appendHeader(b, h)
	b = append(b, `,"db":`...)
	b = append(b, db...)
	b = append(b, '}')
	return strictjson.Indent(make([]byte, 0, 2*len(b)), b, "    ") // indented: about twice as long
}

// appendDB writes the db content: version 1 and the entries.
func appendDB(b []byte, entries []entry) []byte {
	b = append(b, `{"version":1,"entries":[`...)
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEntry(b, e)
	}
	return append(b, "]}"...)
}

func appendEntry(b []byte, e entry) []byte {
	b = appendMember(b, '{', "type", e.Type)
	b = appendMember(b, ',', "uuid", e.UUID)
	b = appendMember(b, ',', "name", e.Name)
	b = appendMember(b, ',', "issuer", e.Issuer)
	if e.Note != "" {
		b = appendMember(b, ',', "note", e.Note)
	}
	b = append(b, `,"info":`...)
	b = appendMember(b, '{', "secret", e.Info.Secret)
	b = appendMember(b, ',', "algo", e.Info.Algo)
	b = append(b, `,"digits":`...)
	if e.Info.Digits == nil {
		b = append(b, "null"...)
	} else {
		b = strictjson.AppendInt(b, int64(*e.Info.Digits))
	}
	if e.Info.Period != nil {
		b = append(b, `,"period":`...)
		b = strictjson.AppendInt(b, int64(*e.Info.Period))
	}
	if e.Info.Counter != nil {
		b = append(b, `,"counter":`...)
		b = strictjson.AppendUint(b, *e.Info.Counter)
	}
	return append(b, "}}"...)
}

func appendHeader(b []byte, h header) []byte {
	b = append(b, `{"slots":`...)
	if h.Slots == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range h.Slots {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendSlot(b, s)
		}
		b = append(b, ']')
	}
	b = append(b, `,"params":`...)
	b = appendParams(b, h.Params)
	return append(b, '}')
}

func appendParams(b []byte, p *params) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	b = appendMember(b, '{', "nonce", p.Nonce)
	b = appendMember(b, ',', "tag", p.Tag)
	return append(b, '}')
}

func appendSlot(b []byte, s slot) []byte {
	b = append(b, `{"type":`...)
	b = strictjson.AppendInt(b, int64(s.Type))
	b = appendMember(b, ',', "uuid", s.UUID)
	b = appendMember(b, ',', "key", s.Key)
	b = append(b, `,"key_params":`...)
	b = appendParams(b, s.KeyParams)
	for _, n := range []struct {
		name string
		v    int
	}{{"n", s.N}, {"r", s.R}, {"p", s.P}} {
		if n.v != 0 {
			b = append(b, ',', '"')
			b = append(b, n.name...)
			b = append(b, '"', ':')
			b = strictjson.AppendInt(b, int64(n.v))
		}
	}
	if s.Salt != "" {
		b = appendMember(b, ',', "salt", s.Salt)
	}
	for _, f := range []struct {
		name string
		v    *bool
	}{{"repaired", s.Repaired}, {"is_backup", s.IsBackup}} {
		if f.v != nil {
			b = append(b, ',', '"')
			b = append(b, f.name...)
			b = append(b, `":`...)
			if *f.v {
				b = append(b, "true"...)
			} else {
				b = append(b, "false"...)
			}
		}
	}
	return append(b, '}')
}

// appendMember writes sep, then "name":value with value a JSON string.
func appendMember(b []byte, sep byte, name, value string) []byte {
	b = append(b, sep, '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return strictjson.AppendString(b, value)
}
