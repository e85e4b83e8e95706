package formatstest

import (
	"errors"
	"strings"
	"testing"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/vault"
)

// WrongPassword is what CheckImport offers as a wrong password.
const WrongPassword = "not the password"

// CheckImport runs imp on a file that holds want: imp must detect it, report Encrypted
// exactly when password is not nil, refuse a missing password (formats.ErrPasswordRequired)
// and a wrong one (vault.ErrWrongPassword), and read want with no problem or warning and
// every account valid. It returns the result for checks of a format's own.
func CheckImport(t testing.TB, imp formats.Importer, data, password []byte, want []vault.Account) formats.Result {
	t.Helper()
	if !imp.Detect(data) {
		t.Fatal("not detected")
	}
	if got := imp.Encrypted(data); got != (password != nil) {
		t.Errorf("Encrypted = %v", got)
	}
	if password != nil {
		if _, err := imp.Import(data, nil); !errors.Is(err, formats.ErrPasswordRequired) {
			t.Errorf("without password: %v", err)
		}
		if _, err := imp.Import(data, []byte(WrongPassword)); !errors.Is(err, vault.ErrWrongPassword) {
			t.Errorf("wrong password: %v", err)
		}
	}
	res, err := imp.Import(data, password)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems)+len(res.Warnings) > 0 {
		t.Errorf("problems %v, warnings %v", res.Problems, res.Warnings)
	}
	Valid(t, res.Accounts)
	Compare(t, res.Accounts, want)
	return res
}

// CheckProblem fails t unless res holds exactly one Problem, for the entry at index, and
// its text does not contain secret (a fragment of the bad entry's key).
func CheckProblem(t testing.TB, res formats.Result, index int, secret string) {
	t.Helper()
	if len(res.Problems) != 1 || res.Problems[0].Index != index {
		t.Fatalf("problems = %v, want one for entry %d", res.Problems, index)
	}
	if strings.Contains(res.Problems[0].String(), secret) {
		t.Errorf("problem shows the secret: %s", res.Problems[0])
	}
}

// Fuzz is the body every importer's fuzz target shares: Detect and Encrypted must not
// panic on any input, and whatever Import accepts must be fit for a vault.
func Fuzz(t *testing.T, imp formats.Importer, data, password []byte) {
	t.Helper()
	imp.Detect(data)
	imp.Encrypted(data)
	res, err := imp.Import(data, password)
	if err == nil {
		Valid(t, res.Accounts)
	}
}
