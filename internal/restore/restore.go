// Package restore decides what restoring a backup does to a vault's account list.
//
// Merge adds a backup's accounts to the current ones. An incoming account that is an exact
// duplicate of one already present — same type, issuer, account name, secret, algorithm,
// digits and period, so it would show the same codes under the same label — is skipped;
// anything else is kept, so two accounts that differ only in their name both stay. A
// restore never silently loses information from either side: a skipped HOTP duplicate
// lifts the kept account's counter to the higher of the two (an older counter would show
// codes the server has already seen), and sites the backup bound to a duplicate are added.
//
// Replace is Merge into an empty vault: the backup's accounts as they are, with exact
// duplicates inside the backup itself folded the same way.
//
// Incoming ids are kept unless they collide with an id already in use (restoring a vault's
// own backup after editing an account must keep both versions), in which case the
// incoming account gets a new id. Added accounts go after the current ones, in the
// backup's order.
package restore

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

// MaxImport bounds the accounts one import may bring: far above any real authenticator's
// export (hundreds at most), and enough for a whole vault exported from another browser
// (the browser tests hold a 20,000-account preview). A preview of more is refused before
// anything is merged or held, so that a crafted file cannot make the background hold and
// compare an unbounded list.
const MaxImport = 20_000

// ErrTooMany is CheckImport's error; its text names the bound, for the person importing.
var ErrTooMany = fmt.Errorf("this file holds more accounts than Codeward imports at once (limit %d)", MaxImport)

// CheckImport refuses an import of more than MaxImport accounts.
func CheckImport(n int) error {
	if n > MaxImport {
		return ErrTooMany
	}
	return nil
}

// Result is the merged account list and what happened to the incoming accounts.
type Result struct {
	Accounts []vault.Account
	Added    []string // ids (in Accounts) of the incoming accounts that were added
	Skipped  int      // incoming exact duplicates
	Updated  []string // ids of kept accounts that took a higher counter or new sites
}

// Merge returns current plus the accounts of incoming that are not exact duplicates.
// Neither argument is modified. r supplies new ids (nil means crypto/rand).
func Merge(current, incoming []vault.Account, r io.Reader) Result {
	out := Result{Accounts: slices.Clone(current)}
	for i := range out.Accounts {
		out.Accounts[i].Sites = slices.Clone(out.Accounts[i].Sites)
	}
	ids := make(map[string]bool, len(current)+len(incoming))
	order := 0
	for _, a := range out.Accounts {
		ids[a.ID] = true
		order = max(order, a.Order+1)
	}
	// Each account's duplicate key, to its first index in out.Accounts: finding an incoming
	// account's duplicate is then one lookup, not a scan of the whole (growing) list, which
	// made importing 40,000 accounts take 18 s natively and held every vault write meanwhile.
	// The first index is kept because the scan this replaces took the first match.
	first := make(map[dupKey]int, len(current)+len(incoming))
	for i, a := range out.Accounts {
		if k := keyOf(a); !hasKey(first, k) {
			first[k] = i
		}
	}
	updated := map[string]bool{}
	for _, in := range sortedByOrder(incoming) {
		k := keyOf(in)
		if j, ok := first[k]; ok {
			out.Skipped++
			if fold(&out.Accounts[j], in) && !updated[out.Accounts[j].ID] {
				updated[out.Accounts[j].ID] = true
				out.Updated = append(out.Updated, out.Accounts[j].ID)
			}
			continue
		}
		in.Sites = slices.Clone(in.Sites)
		for in.ID == "" || ids[in.ID] {
			in.ID = vault.NewID(r)
		}
		ids[in.ID] = true
		in.Order = order
		order++
		first[k] = len(out.Accounts)
		out.Accounts = append(out.Accounts, in)
		out.Added = append(out.Added, in.ID)
	}
	return out
}

// Replace returns the accounts of a backup as the whole new account list.
func Replace(incoming []vault.Account, r io.Reader) Result {
	return Merge(nil, incoming, r)
}

// Duplicate reports whether a and b are the same account under the same label: equal
// type, issuer, name, secret, algorithm, digits and period. Ids, order, dates, notes, sites
// and an HOTP counter do not count.
func Duplicate(a, b vault.Account) bool {
	return a.Type == b.Type && a.Issuer == b.Issuer && a.Name == b.Name &&
		sameSecret(a.Secret, b.Secret) && a.Algorithm == b.Algorithm &&
		a.Digits == b.Digits && a.Period == b.Period
}

// dupKey holds exactly what Duplicate compares, so that two accounts are duplicates if and
// only if their keys are equal: the secret as its bytes when it parses (as sameSecret
// compares it), else as its text, marked so that a text never equals a parsed secret's
// bytes (sameSecret never calls a parsing and a non-parsing secret the same).
type dupKey struct {
	typ       otp.Type
	issuer    string
	name      string
	parsed    bool
	secret    string
	algorithm otp.Algorithm
	digits    int
	period    int
}

func hasKey(m map[dupKey]int, k dupKey) bool {
	_, ok := m[k]
	return ok
}

func keyOf(a vault.Account) dupKey {
	k := dupKey{typ: a.Type, issuer: a.Issuer, name: a.Name, secret: a.Secret, algorithm: a.Algorithm, digits: a.Digits, period: a.Period}
	if b, err := otp.ParseSecret(a.Secret); err == nil {
		k.parsed, k.secret = true, string(b)
	}
	return k
}

// sameSecret compares secrets as bytes, so that spelling differences in base32 (case,
// padding) do not hide a duplicate.
func sameSecret(a, b string) bool {
	if a == b {
		return true
	}
	x, errA := otp.ParseSecret(a)
	y, errB := otp.ParseSecret(b)
	return errA == nil && errB == nil && string(x) == string(y)
}

// fold carries over what the skipped duplicate in knows and kept does not; it reports
// whether kept changed. A fold that would make kept invalid (too many sites) is dropped.
func fold(kept *vault.Account, in vault.Account) bool {
	before := *kept
	before.Sites = slices.Clone(kept.Sites)
	changed := false
	if kept.Type == otp.HOTP && in.Counter > kept.Counter {
		kept.Counter = in.Counter
		changed = true
	}
	for _, s := range in.Sites {
		if !slices.Contains(kept.Sites, s) {
			kept.Sites = append(kept.Sites, s)
			changed = true
		}
	}
	if changed && kept.Validate() != nil {
		*kept = before
		return false
	}
	return changed
}

func sortedByOrder(accounts []vault.Account) []vault.Account {
	s := slices.Clone(accounts)
	slices.SortStableFunc(s, func(a, b vault.Account) int { return cmp.Compare(a.Order, b.Order) })
	return s
}
