package aegis

import "codeward.dev/internal/strictjson"

// The readers below read a vault as encoding/json read it into the structs of aegis.go
// (strictjson's lenient Decoder): members matched ignoring case, others skipped, null
// leaving a value as it is and a pointer nil.

var (
	fileNames   = []string{"version", "header", "db"}
	headerNames = []string{"slots", "params"}
	paramsNames = []string{"nonce", "tag"}
	slotNames   = []string{"type", "uuid", "key", "key_params", "n", "r", "p", "salt", "repaired", "is_backup"}
	dbNames     = []string{"version", "entries"}
	entryNames  = []string{"type", "uuid", "name", "issuer", "note", "info"}
	infoNames   = []string{"secret", "algo", "digits", "period", "counter"}
)

func readFile(data []byte) (file, error) {
	var f file
	d := strictjson.NewLenientDecoder(data)
	d.Object(fileNames, func(i int, _ string) {
		switch i {
		case 0:
			d.IntTo(&f.Version)
		case 1:
			readHeader(d, &f.Header)
		case 2:
			f.DB = d.Raw()
		}
	})
	return f, d.End()
}

func readHeader(d *strictjson.Decoder, h *header) {
	d.Object(headerNames, func(i int, _ string) {
		switch i {
		case 0:
			// [] (not nil) still marks an encrypted vault.
			strictjson.ArrayInto(d, &h.Slots, func(s *slot) { readSlot(d, s) })
		case 1:
			readParams(d, &h.Params)
		}
	})
}

func readParams(d *strictjson.Decoder, p **params) {
	if d.Null() {
		*p = nil
		return
	}
	if *p == nil {
		*p = new(params)
	}
	q := *p
	d.Object(paramsNames, func(i int, _ string) {
		switch i {
		case 0:
			d.StringTo(&q.Nonce)
		case 1:
			d.StringTo(&q.Tag)
		}
	})
}

func readSlot(d *strictjson.Decoder, s *slot) {
	d.Object(slotNames, func(i int, _ string) {
		switch i {
		case 0:
			d.IntTo(&s.Type)
		case 1:
			d.StringTo(&s.UUID)
		case 2:
			d.StringTo(&s.Key)
		case 3:
			readParams(d, &s.KeyParams)
		case 4:
			d.IntTo(&s.N)
		case 5:
			d.IntTo(&s.R)
		case 6:
			d.IntTo(&s.P)
		case 7:
			d.StringTo(&s.Salt)
		case 8:
			s.Repaired = d.BoolPtr()
		case 9:
			s.IsBackup = d.BoolPtr()
		}
	})
}

func readDB(content []byte) (db, error) {
	var v db
	d := strictjson.NewLenientDecoder(content)
	d.Object(dbNames, func(i int, _ string) {
		switch i {
		case 0:
			d.IntTo(&v.Version)
		case 1:
			v.Entries = d.Raws()
		}
	})
	return v, d.End()
}

func readEntryJSON(raw []byte) (entry, error) {
	var e entry
	d := strictjson.NewLenientDecoder(raw)
	d.Object(entryNames, func(i int, _ string) {
		switch i {
		case 0:
			d.StringTo(&e.Type)
		case 1:
			d.StringTo(&e.UUID)
		case 2:
			d.StringTo(&e.Name)
		case 3:
			d.StringTo(&e.Issuer)
		case 4:
			d.StringTo(&e.Note)
		case 5:
			d.Object(infoNames, func(i int, _ string) {
				switch i {
				case 0:
					d.StringTo(&e.Info.Secret)
				case 1:
					d.StringTo(&e.Info.Algo)
				case 2:
					e.Info.Digits = d.IntPtr()
				case 3:
					e.Info.Period = d.IntPtr()
				case 4:
					e.Info.Counter = d.Uint64Ptr()
				}
			})
		}
	})
	return e, d.End()
}

// readString reads raw as one JSON string (null: "").
func readString(raw []byte) (string, error) {
	d := strictjson.NewLenientDecoder(raw)
	s := d.String()
	return s, d.End()
}
