package formats

import (
	"fmt"

	"codeward.dev/internal/vault"
)

// Collect reads each entry with read and gathers the good accounts and one Problem per
// entry read refused, numbered from 1 in the order of entries, so that one bad entry does
// not sink an import. read returns a label (issuer and/or name, or "") even with an error,
// and an error text that holds no secret: it becomes the Problem's Message.
func Collect[E any](entries []E, read func(E) (vault.Account, string, error)) Result {
	var res Result
	for i, e := range entries {
		a, label, err := read(e)
		if err != nil {
			res.AddProblem(ProblemOf(i+1, label, err))
			continue
		}
		res.Accounts = append(res.Accounts, a)
	}
	return res
}

// NoneRead returns the error for a result whose every entry was refused, or nil otherwise:
// a file of only bad entries must fail rather than import nothing in silence. format
// prefixes the message and noun names the entries ("entries", "services").
func NoneRead(res Result, format, noun string) error {
	if len(res.Accounts) == 0 && len(res.Problems) > 0 {
		return fmt.Errorf("%s: none of the %d %s could be read (first: %s)", format, res.ProblemCount(), noun, res.Problems[0])
	}
	return nil
}

// Label names an entry in a Problem: "Issuer: name", or whichever of the two is set.
func Label(issuer, name string) string {
	if issuer != "" && name != "" {
		return issuer + ": " + name
	}
	return issuer + name
}
