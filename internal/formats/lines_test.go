package formats_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"codeward.dev/internal/formats"
)

func TestLines(t *testing.T) {
	in := "\xef\xbb\xbf  first \r\n\n# a comment\n\t#another\r\nsecond\n  \nthird"
	want := []formats.Line{{1, "first"}, {5, "second"}, {7, "third"}}
	if got, err := formats.Lines([]byte(in), 0); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Lines = %v, %v; want %v", got, err, want)
	}
	if got, err := formats.Lines([]byte(in), 1); err != nil || !reflect.DeepEqual(got, want[:1]) {
		t.Errorf("Lines(1) = %v, %v", got, err)
	}
	if got, err := formats.Lines([]byte("\n# only\n"), 0); err != nil || len(got) != 0 {
		t.Errorf("no lines: %v, %v", got, err)
	}
	full := strings.Repeat("x\n\n", formats.MaxEntries)
	if got, err := formats.Lines([]byte(full), 0); err != nil || len(got) != formats.MaxEntries || got[len(got)-1].N != 2*formats.MaxEntries-1 {
		t.Errorf("%d lines: %d read, %v", formats.MaxEntries, len(got), err)
	}
	if _, err := formats.Lines([]byte(full+"x"), 0); !errors.Is(err, formats.ErrTooManyEntries) {
		t.Errorf("%d lines: %v", formats.MaxEntries+1, err)
	}
	if got, err := formats.Lines([]byte(full+"x"), 3); err != nil || len(got) != 3 {
		t.Errorf("the first 3 of too many: %d, %v", len(got), err)
	}
}
