package strictjson

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"testing"
	"time"
)

// strictRFC3339 is the spelling time.Time.MarshalJSON writes (an offset of less than 24
// hours), quotes included.
var strictRFC3339 = regexp.MustCompile(`^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)"$`)

// checkTimeAsUnmarshalJSON: what Time accepts, time.Time.UnmarshalJSON reads as the same
// value, location included; and whatever UnmarshalJSON reads in the strict spelling, Time
// reads too.
func checkTimeAsUnmarshalJSON(t *testing.T, in string) {
	t.Helper()
	d := NewDecoder([]byte(in))
	got := d.Time()
	err := d.End()
	var want time.Time
	stdErr := want.UnmarshalJSON([]byte(in))
	switch {
	case err == nil && stdErr != nil:
		t.Fatalf("Time read %s, UnmarshalJSON refuses it: %v", in, stdErr)
	case err == nil && !reflect.DeepEqual(got, want):
		t.Fatalf("Time read %s as %#v, UnmarshalJSON as %#v", in, got, want)
	case err != nil && stdErr == nil && strictRFC3339.MatchString(in):
		t.Fatalf("Time refused %s (%v), which UnmarshalJSON reads", in, err)
	}
}

func TestTimeAsUnmarshalJSON(t *testing.T) {
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("", -(7*3600 + 30*60)), time.FixedZone("", 14*3600), time.FixedZone("X", 3600)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		at := time.Unix(r.Int64N(253402300799), r.Int64N(1e9)) // years 1970–9999
		if r.IntN(4) == 0 {
			at = at.Truncate(time.Second)
		}
		b, err := at.In(zones[r.IntN(len(zones))]).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		checkTimeAsUnmarshalJSON(t, string(b))
		d := NewDecoder(b)
		if d.Time(); d.End() != nil {
			t.Fatalf("Time refused %s", b)
		}
	}
	for _, in := range []string{
		`"0000-01-01T00:00:00Z"`, `"2024-02-29T23:59:59.9999999999Z"`, `"2023-02-29T00:00:00Z"`,
		`"2026-12-06T17:00:00+00:00"`, `"2026-12-06T17:00:00-00:00"`, `"2026-12-06T17:00:00+23:59"`,
		`"2026-12-06T17:00:00+24:00"`, `"2026-12-06T17:00:00.Z"`, `"2026-12-06T17:00:00,5Z"`,
		`"2026-12-06T7:00:00Z"`, `"2026-13-06T17:00:00Z"`, `"2026-04-31T17:00:00Z"`, `"2026-12-06 17:00:00Z"`,
		`"2026-12-06T17:00:00z"`, `"2026-12-06T17:00:00"`, `"2026-12-06T17:00:60Z"`, `""`, `"x"`,
		`"+026-12-06T17:00:00Z"`, `"2026-12-06T17:00:00+0100"`, `"2026-12-06T17:00:00.123456789+05:30"`,
	} {
		checkTimeAsUnmarshalJSON(t, in)
	}
	for _, in := range []string{`null`, `1`, `true`, `{}`} {
		d := NewDecoder([]byte(in))
		got := d.Time()
		if err := d.End(); (err == nil) != (in == "null") || !got.IsZero() {
			t.Errorf("Time(%s) = %v, %v", in, got, err)
		}
	}
}

func FuzzTimeAsUnmarshalJSON(f *testing.F) {
	f.Add(`"2026-12-06T17:00:00.123456789+05:30"`)
	f.Add(`"2024-02-29T23:59:59Z"`)
	f.Fuzz(func(t *testing.T, s string) {
		checkTimeAsUnmarshalJSON(t, `"`+s+`"`)
	})
}
