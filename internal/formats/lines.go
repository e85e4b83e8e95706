package formats

import (
	"bytes"
	"fmt"
)

// MaxEntries bounds the entries (lines, rows) one file may hold: ten times the accounts one
// import may bring (restore.MaxImport), far above any real export. A 16 MiB file of
// one-letter lines would otherwise be 8 million entries to hold and report on.
const MaxEntries = 200_000

// ErrTooManyEntries is returned for a file of more than MaxEntries entries.
var ErrTooManyEntries = fmt.Errorf("the file has more than %d entries", MaxEntries)

// Line is one line of a text format: its number, from 1, and its text, trimmed.
type Line struct {
	N    int
	Text string
}

// Lines returns the lines of a text file that are neither blank nor comments ("#…"),
// trimmed, after any byte order mark (Windows editors write one): at most limit of them
// when limit > 0, and ErrTooManyEntries beyond MaxEntries.
func Lines(data []byte, limit int) ([]Line, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var out []Line
	for n := 1; len(data) > 0; n++ {
		var l []byte
		l, data, _ = bytes.Cut(data, []byte{'\n'})
		l = bytes.TrimSpace(l)
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		if len(out) == MaxEntries {
			return nil, ErrTooManyEntries
		}
		out = append(out, Line{n, string(l)})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
