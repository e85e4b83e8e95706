package restore

import (
	"bytes"
	"fmt"
	"slices"
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
