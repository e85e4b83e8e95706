package bitwarden

import (
	"bytes"
	"errors"
	"io"
)

// errCSV is any malformed record: a quote inside an unquoted field, text after a closing
// quote, or a quoted field still open at the end of the file.
var errCSV = errors.New("malformed CSV record")

// maxCSVFields bounds the fields of a record: a Bitwarden export has a dozen columns, and
// a file of nothing but commas (16 MiB, the import bound) would otherwise make one record
// of 16 million fields, some 60 bytes of WebAssembly memory per byte of file.
const maxCSVFields = 1000

// csvReader reads comma-separated records as encoding/csv's Reader does with its defaults
// (RFC 4180): a field in double quotes may hold commas, line breaks and doubled quotes;
// "\r\n" reads as "\n"; empty lines are skipped; a stray quote is an error. It is this
// package's own because encoding/csv cost the WebAssembly tools about 24 KB for the one
// format that needs it; FuzzCSVAsEncodingCSV keeps the two in step.
type csvReader struct{ data []byte }

// line returns the next line without its line break ("\n" or "\r\n"), whether it had one,
// and false at the end of the data. A last line without a break loses a trailing "\r".
func (r *csvReader) line() (text []byte, brk, ok bool) {
	if len(r.data) == 0 {
		return nil, false, false
	}
	i := bytes.IndexByte(r.data, '\n')
	if i < 0 {
		text, r.data = r.data, nil
	} else {
		text, r.data, brk = r.data[:i], r.data[i+1:], true
	}
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	return text, brk, true
}

// Read returns the next record, or io.EOF after the last.
func (r *csvReader) Read() ([]string, error) {
	var line []byte
	var brk, ok bool
	for len(line) == 0 {
		if line, brk, ok = r.line(); !ok {
			return nil, io.EOF
		}
	}
	var record []string
	for {
		if len(record) == maxCSVFields {
			return nil, errCSV
		}
		if len(line) == 0 || line[0] != '"' {
			field, rest, more := bytes.Cut(line, []byte{','})
			if bytes.IndexByte(field, '"') >= 0 {
				return nil, errCSV
			}
			record = append(record, string(field))
			if !more {
				return record, nil
			}
			line = rest
			continue
		}
		var field []byte
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				if len(line) == 0 && !brk {
					return nil, errCSV // the file ends inside the quotes
				}
				field = append(field, line...)
				if brk {
					field = append(field, '\n')
				}
				if line, brk, ok = r.line(); !ok {
					return nil, errCSV
				}
				continue
			}
			field = append(field, line[:i]...)
			line = line[i+1:]
			if len(line) > 0 && line[0] == '"' { // a doubled quote
				field = append(field, '"')
				line = line[1:]
				continue
			}
			break
		}
		record = append(record, string(field))
		switch {
		case len(line) == 0:
			return record, nil
		case line[0] != ',':
			return nil, errCSV
		}
		line = line[1:]
	}
}
