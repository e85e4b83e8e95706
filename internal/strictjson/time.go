package strictjson

import "time"

// Time reads a time written as encoding/json writes a time.Time: an RFC 3339 string
// ("2006-01-02T15:04:05.999999999Z07:00"; null: the zero time). Anything else is an
// unexpected value. It reads what time.Time.UnmarshalJSON reads into the same value
// (location included), and refuses the looser spellings UnmarshalJSON falls back to
// time.Parse for (a one-digit hour, a comma before the fraction), which no encoder of
// ours writes: that fallback alone costs the WebAssembly programs 64 KB.
func (d *Decoder) Time() time.Time {
	raw := d.RawString()
	if raw == nil {
		return time.Time{}
	}
	t, ok := parseRFC3339(raw[1 : len(raw)-1])
	if !ok {
		d.unexpected()
	}
	return t
}

// parseRFC3339 reads s as time's own strict RFC 3339 reader does.
func parseRFC3339(s []byte) (time.Time, bool) {
	ok := true
	num := func(b []byte, lo, hi int) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				ok = false
				return lo
			}
			n = n*10 + int(c-'0')
		}
		if n < lo || n > hi {
			ok = false
			return lo
		}
		return n
	}
	if len(s) < len("2006-01-02T15:04:05") {
		return time.Time{}, false
	}
	year := num(s[0:4], 0, 9999)
	month := num(s[5:7], 1, 12)
	day := num(s[8:10], 1, daysIn(time.Month(month), year))
	hour := num(s[11:13], 0, 23)
	minute := num(s[14:16], 0, 59)
	sec := num(s[17:19], 0, 59)
	if !ok || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	s = s[19:]

	nsec := 0
	if len(s) >= 2 && s[0] == '.' && isDigit(s[1]) {
		n := 1
		for n < len(s) && isDigit(s[n]) {
			n++
		}
		// Nine digits at most count; the rest are cut, not rounded.
		for i, scale := 1, 100_000_000; i < n && i <= 9; i, scale = i+1, scale/10 {
			nsec += int(s[i]-'0') * scale
		}
		s = s[n:]
	}

	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if len(s) == 1 && s[0] == 'Z' {
		return t, true
	}
	if len(s) != len("-07:00") {
		return time.Time{}, false
	}
	zh := num(s[1:3], 0, 23)
	zm := num(s[4:6], 0, 59)
	if !ok || (s[0] != '-' && s[0] != '+') || s[3] != ':' {
		return time.Time{}, false
	}
	offset := (zh*60 + zm) * 60
	if s[0] == '-' {
		offset = -offset
	}
	t = t.Add(-time.Duration(offset) * time.Second)
	// As time does: the local zone when it has this offset at that instant.
	if _, local := t.In(time.Local).Zone(); local == offset {
		return t.In(time.Local), true
	}
	return t.In(time.FixedZone("", offset)), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// daysIn is the number of days in month m of year y (proleptic Gregorian).
func daysIn(m time.Month, y int) int {
	if m == time.February {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + int((m+m/8)&1)
}
