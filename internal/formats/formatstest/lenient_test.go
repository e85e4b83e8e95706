package formatstest_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"codeward.dev/internal/formats"
	ft "codeward.dev/internal/formats/formatstest"
)

// What the importers accepted when encoding/json read the files, they still accept: the
// real apps' plain files with every member name in upper case (encoding/json matched
// names ignoring case) and an unknown member holding nested values in every object import
// to the same accounts. What it refused stays refused: a whole number written as 6.0 or
// 6e0 where an integer is read.
func TestImportReadsAsEncodingJSONDid(t *testing.T) {
	for _, tc := range []struct{ format, file string }{
		{"aegis", "aegis_plain.json"},
		{"andotp", "andotp_plain.json"},
		{"bitwarden", "bitwarden.json"},
		{"stratum", "stratum_plain.json"},
		{"2fas", "2fas_authenticator_plain.2fas"},
		{"2fas", "2fas_authenticator_plain_v3.2fas"},
		{"2fas", "2fas_authenticator_plain_v4.2fas"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, ok := formats.Lookup(tc.format)
			if !ok {
				t.Fatalf("no format %s", tc.format)
			}
			data := ft.ReadPeer(t, "aegis", tc.file)
			want, err := f.Importer.Import(data, nil)
			if err != nil || len(want.Accounts) == 0 {
				t.Fatalf("the fixture: %v", err)
			}
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
			variant, err := json.MarshalIndent(recase(v), "\t", " ")
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.Importer.Import(variant, nil)
			if err != nil {
				t.Fatalf("upper-case member names: %v", err)
			}
			ft.Compare(t, got.Accounts, want.Accounts)
			if len(got.Problems) != len(want.Problems) {
				t.Errorf("problems %v, want %v", got.Problems, want.Problems)
			}

			// A whole number as 6.0 or 6e0 was refused for an int member, and still is:
			// the entry becomes a problem rather than a guess.
			for _, num := range []string{`6.0`, `6e0`} {
				bad := bytes.Replace(variant, []byte(`: 6,`), []byte(`: `+num+`,`), 1)
				if bytes.Equal(bad, variant) {
					continue // no 6 in this file
				}
				res, err := f.Importer.Import(bad, nil)
				if err == nil && len(res.Problems) == 0 {
					t.Errorf("%s for an integer was accepted", num)
				}
			}
		})
	}
}

// recase returns v with every member name in upper case and an unknown member added to
// every object.
func recase(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{"ZZ_UNKNOWN": map[string]any{"a": []any{1, nil, "x", map[string]any{"b": true}}}}
		for k, x := range v {
			out[strings.ToUpper(k)] = recase(x)
		}
		return out
	case []any:
		for i, x := range v {
			v[i] = recase(x)
		}
	}
	return v
}
