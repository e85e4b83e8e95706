package restore

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

func totp(id, issuer, name, secret string, order int) vault.Account {
	return vault.Account{
		ID: id, Type: otp.TOTP, Issuer: issuer, Name: name, Secret: secret,
		Algorithm: otp.SHA1, Digits: 6, Period: 30, Order: order,
		Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func hotp(id, name, secret string, counter uint64) vault.Account {
	return vault.Account{ID: id, Type: otp.HOTP, Issuer: "Bank", Name: name, Secret: secret, Algorithm: otp.SHA1, Digits: 6, Counter: counter}
}

// ids reads from a fixed stream so that new ids are predictable.
func ids() *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte{0xab}, 16*8)) }

const newID = "abababababababababababababababab"

func labels(accounts []vault.Account) []string {
	var out []string
	for _, a := range accounts {
		out = append(out, fmt.Sprintf("%s:%s/%s#%d", a.ID, a.Issuer, a.Name, a.Order))
	}
	return out
}

func TestMerge(t *testing.T) {
	current := []vault.Account{
		totp("a", "GitHub", "ann", "JBSWY3DPEHPK3PXP", 0),
		totp("b", "Google", "ann@example.com", "GEZDGNBVGY3TQOJQ", 1),
	}
	tests := []struct {
		name     string
		incoming []vault.Account
		want     []string
		added    int
		skipped  int
	}{
		{
			name: "exact duplicate is skipped whatever its id, order and dates",
			incoming: []vault.Account{func() vault.Account {
				a := totp("zz", "GitHub", "ann", "JBSWY3DPEHPK3PXP", 7)
				a.Created = time.Time{}
				return a
			}()},
			want:    []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1"},
			skipped: 1,
		},
		{
			name:     "only the name differs: both kept",
			incoming: []vault.Account{totp("c", "GitHub", "ann-work", "JBSWY3DPEHPK3PXP", 0)},
			want:     []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1", "c:GitHub/ann-work#2"},
			added:    1,
		},
		{
			name:     "same label, other secret: both kept",
			incoming: []vault.Account{totp("c", "GitHub", "ann", "GEZDGNBVGY3TQOJQ", 0)},
			want:     []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1", "c:GitHub/ann#2"},
			added:    1,
		},
		{
			name: "other digits or period: not a duplicate",
			incoming: []vault.Account{
				func() vault.Account { a := totp("c", "GitHub", "ann", "JBSWY3DPEHPK3PXP", 0); a.Digits = 8; return a }(),
				func() vault.Account { a := totp("d", "GitHub", "ann", "JBSWY3DPEHPK3PXP", 1); a.Period = 60; return a }(),
			},
			want:  []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1", "c:GitHub/ann#2", "d:GitHub/ann#3"},
			added: 2,
		},
		{
			name:     "colliding id of an edited account gets a new id",
			incoming: []vault.Account{totp("a", "GitHub", "ann (old name)", "JBSWY3DPEHPK3PXP", 0)},
			want:     []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1", newID + ":GitHub/ann (old name)#2"},
			added:    1,
		},
		{
			name: "backup order is kept, after the current accounts",
			incoming: []vault.Account{
				totp("y", "Y", "second", "GEZDGNBVGY3TQOJQ", 5),
				totp("x", "X", "first", "GEZDGNBVGY3TQOJQ", 2),
			},
			want:  []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1", "x:X/first#2", "y:Y/second#3"},
			added: 2,
		},
		{
			name:     "secret spelled differently is still a duplicate",
			incoming: []vault.Account{totp("c", "GitHub", "ann", "jbswy3dpehpk3pxp", 0)},
			want:     []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1"},
			skipped:  1,
		},
		{
			name:    "empty backup changes nothing",
			want:    []string{"a:GitHub/ann#0", "b:Google/ann@example.com#1"},
			added:   0,
			skipped: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := labels(current)
			r := Merge(current, tt.incoming, ids())
			if got := labels(r.Accounts); !slices.Equal(got, tt.want) {
				t.Fatalf("accounts\n got %v\nwant %v", got, tt.want)
			}
			if len(r.Added) != tt.added || r.Skipped != tt.skipped {
				t.Fatalf("added %v skipped %d, want %d and %d", r.Added, r.Skipped, tt.added, tt.skipped)
			}
			if !slices.Equal(labels(current), before) {
				t.Fatal("Merge modified its argument")
			}
			if err := (&vault.Vault{Accounts: r.Accounts}).Validate(); err != nil {
				t.Fatalf("merged vault does not validate: %v", err)
			}
		})
	}
}

func TestMergeFoldsHOTPCounterAndSites(t *testing.T) {
	kept := hotp("a", "ann", "JBSWY3DPEHPK3PXP", 5)
	kept.Sites = []string{"bank.example"}
	current := []vault.Account{kept}

	older := hotp("x", "ann", "JBSWY3DPEHPK3PXP", 3)
	r := Merge(current, []vault.Account{older}, ids())
	if r.Accounts[0].Counter != 5 || len(r.Updated) != 0 || r.Skipped != 1 {
		t.Fatalf("an older counter changed the vault: counter %d, updated %v", r.Accounts[0].Counter, r.Updated)
	}

	newer := hotp("x", "ann", "JBSWY3DPEHPK3PXP", 9)
	newer.Sites = []string{"bank.example", "login.bank.example"}
	r = Merge(current, []vault.Account{newer}, ids())
	if len(r.Accounts) != 1 || r.Accounts[0].Counter != 9 {
		t.Fatalf("counter %d, want 9 (accounts %v)", r.Accounts[0].Counter, labels(r.Accounts))
	}
	if !slices.Equal(r.Accounts[0].Sites, []string{"bank.example", "login.bank.example"}) {
		t.Fatalf("sites %v", r.Accounts[0].Sites)
	}
	if !slices.Equal(r.Updated, []string{"a"}) {
		t.Fatalf("updated %v, want [a]", r.Updated)
	}
	if current[0].Counter != 5 || len(current[0].Sites) != 1 {
		t.Fatal("Merge modified its argument")
	}
}

func TestMergeDropsFoldThatWouldNotValidate(t *testing.T) {
	kept := totp("a", "GitHub", "ann", "JBSWY3DPEHPK3PXP", 0)
	for i := range 64 {
		kept.Sites = append(kept.Sites, fmt.Sprintf("s%d.example", i))
	}
	in := totp("b", "GitHub", "ann", "JBSWY3DPEHPK3PXP", 0)
	in.Sites = []string{"one-too-many.example"}
	r := Merge([]vault.Account{kept}, []vault.Account{in}, ids())
	if len(r.Accounts[0].Sites) != 64 || len(r.Updated) != 0 {
		t.Fatalf("%d sites, updated %v", len(r.Accounts[0].Sites), r.Updated)
	}
}

func TestReplace(t *testing.T) {
	incoming := []vault.Account{
		totp("b", "B", "two", "GEZDGNBVGY3TQOJQ", 1),
		totp("a", "A", "one", "JBSWY3DPEHPK3PXP", 0),
		totp("a", "A", "one", "JBSWY3DPEHPK3PXP", 2),   // an exact duplicate inside the backup
		totp("b", "C", "three", "JBSWY3DPEHPK3PXP", 3), // a duplicate id inside the backup
	}
	r := Replace(incoming, ids())
	want := []string{"a:A/one#0", "b:B/two#1", newID + ":C/three#2"}
	if got := labels(r.Accounts); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if r.Skipped != 1 || len(r.Added) != 3 {
		t.Fatalf("added %v skipped %d", r.Added, r.Skipped)
	}
}

func TestDuplicateIgnoresBookkeeping(t *testing.T) {
	a := totp("a", "GitHub", "ann", "JBSWY3DPEHPK3PXP", 0)
	b := a
	b.ID, b.Order, b.Note, b.Sites, b.Created, b.Updated = "b", 9, "note", []string{"github.com"}, time.Now(), time.Now()
	if !Duplicate(a, b) {
		t.Fatal("bookkeeping fields made accounts differ")
	}
	for name, edit := range map[string]func(*vault.Account){
		"type":      func(x *vault.Account) { x.Type = otp.Steam; x.Digits = 5 },
		"issuer":    func(x *vault.Account) { x.Issuer = "Gitlab" },
		"name":      func(x *vault.Account) { x.Name = "Ann" },
		"secret":    func(x *vault.Account) { x.Secret = "GEZDGNBVGY3TQOJQ" },
		"algorithm": func(x *vault.Account) { x.Algorithm = otp.SHA256 },
		"digits":    func(x *vault.Account) { x.Digits = 8 },
		"period":    func(x *vault.Account) { x.Period = 60 },
	} {
		c := a
		edit(&c)
		if Duplicate(a, c) {
			t.Errorf("accounts differing in %s are duplicates", name)
		}
	}
}

// quadraticMerge is Merge as it was before duplicates were looked up by key: each incoming
// account compared with Duplicate against the whole list. Merge must give the same Result.
func quadraticMerge(current, incoming []vault.Account, r io.Reader) Result {
	out := Result{Accounts: slices.Clone(current)}
	for i := range out.Accounts {
		out.Accounts[i].Sites = slices.Clone(out.Accounts[i].Sites)
	}
	ids := map[string]bool{}
	order := 0
	for _, a := range out.Accounts {
		ids[a.ID] = true
		order = max(order, a.Order+1)
	}
	updated := map[string]bool{}
	for _, in := range sortedByOrder(incoming) {
		if j := slices.IndexFunc(out.Accounts, func(a vault.Account) bool { return Duplicate(a, in) }); j >= 0 {
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
		out.Accounts = append(out.Accounts, in)
		out.Added = append(out.Added, in.ID)
	}
	return out
}

// mixedAccounts builds n accounts drawn from a small space of labels and secrets, with
// every near-duplicate Duplicate tells apart (other digits, period, algorithm, type, case
// of the issuer) and every spelling it does not (secret case, padding, spaces), secrets
// that do not parse, HOTP counters and sites to fold, and colliding ids.
func mixedAccounts(n, seed int) []vault.Account {
	secrets := []string{
		"JBSWY3DPEHPK3PXP", "jbswy3dpehpk3pxp", "JBSW Y3DP EHPK 3PXP", "GEZDGNBVGY3TQOJQ",
		"GEZDGNBVGY3TQOJQ====", "not base32!", "NOT BASE32!", "A", "MFRGG===", "mfrgg",
	}
	var out []vault.Account
	x := seed
	next := func(m int) int { x = (x*1103515245 + 12345) & 0x7fffffff; return x % m }
	for i := range n {
		a := totp(fmt.Sprintf("id%d", next(n)), []string{"GitHub", "github", "Bank"}[next(3)],
			[]string{"ann", "bob"}[next(2)], secrets[next(len(secrets))], next(n))
		switch next(8) {
		case 0:
			a.Digits = 8
		case 1:
			a.Period = 60
		case 2:
			a.Algorithm = otp.SHA256
		case 3:
			a.Type, a.Period, a.Counter = otp.HOTP, 0, uint64(next(5))
		case 4:
			a.Sites = []string{[]string{"example.com", "example.org"}[next(2)]}
		case 5:
			a.ID = ""
		}
		a.Note = fmt.Sprint(i)
		out = append(out, a)
	}
	return out
}

func TestMergeSameAsComparingEachPair(t *testing.T) {
	skipped, added, updated := 0, 0, 0
	for seed := range 20 {
		current, incoming := mixedAccounts(60, seed), mixedAccounts(80, seed+100)
		if seed%5 == 0 {
			current = nil
		}
		stream := func() io.Reader { return rand.New(rand.NewSource(int64(seed))) }
		want := quadraticMerge(current, incoming, stream())
		got := Merge(current, incoming, stream())
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: Merge differs from comparing each pair:\n got %d accounts, added %d, skipped %d, updated %v\nwant %d accounts, added %d, skipped %d, updated %v",
				seed, len(got.Accounts), len(got.Added), got.Skipped, got.Updated, len(want.Accounts), len(want.Added), want.Skipped, want.Updated)
		}
		skipped, added, updated = skipped+want.Skipped, added+len(want.Added), updated+len(want.Updated)
	}
	if skipped == 0 || added == 0 || updated == 0 {
		t.Errorf("the mixed sets should have duplicates, additions and folds: skipped %d, added %d, updated %d", skipped, added, updated)
	}
}

func TestCheckImport(t *testing.T) {
	if err := CheckImport(MaxImport); err != nil {
		t.Errorf("CheckImport(%d) = %v, want nil", MaxImport, err)
	}
	err := CheckImport(MaxImport + 1)
	if err == nil || !strings.Contains(err.Error(), "20000") {
		t.Errorf("CheckImport(%d) = %v, want an error naming the limit", MaxImport+1, err)
	}
}

func bulk(n int, prefix string) []vault.Account {
	out := make([]vault.Account, n)
	for i := range out {
		secret := fmt.Sprintf("%016X", uint64(i)*2654435761)
		secret = strings.Map(func(r rune) rune { return rune("ABCDEFGHIJKLMNOP234567"[int(r)%22]) }, secret)
		out[i] = totp(fmt.Sprintf("%s%d", prefix, i), "Bulk", fmt.Sprintf("user%d", i), secret, i)
	}
	return out
}

// BenchmarkMerge20000 merges 20,000 new accounts into an empty vault, and 20,000 of a
// vault's own accounts back into it (all duplicates).
func BenchmarkMerge20000(b *testing.B) {
	fresh := bulk(20_000, "n")
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			Merge(nil, fresh, nil)
		}
	})
	b.Run("duplicates", func(b *testing.B) {
		for b.Loop() {
			Merge(fresh, fresh, nil)
		}
	})
}
