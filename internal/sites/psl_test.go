package sites

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"codeward.dev/internal/sites/internal/psldata"
	"golang.org/x/net/publicsuffix"
)

// The committed psl.txt is what `go generate` makes of the x/net version go.mod pins.
func TestPSLTableIsCurrent(t *testing.T) {
	dir, err := psldata.ModuleDir()
	if err != nil {
		t.Skipf("x/net module not available: %v", err)
	}
	tab, err := psldata.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := tab.Render()
	got, err := os.ReadFile("psl.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("psl.txt is not what golang.org/x/net/publicsuffix holds (%d nodes): run `go generate ./internal/sites`", len(tab.Nodes))
	}
	if len(tab.Nodes) < 5000 {
		t.Fatalf("only %d nodes decoded from x/net: layout misread?", len(tab.Nodes))
	}
}

// For every node of the list (every rule, exception, wildcard parent and intermediate
// label) and names below and beside it, the embedded table gives exactly what
// golang.org/x/net/publicsuffix gives: the public suffix, its ICANN bit, and the
// registrable domain or its refusal.
func TestPublicSuffixAgreesWithXNet(t *testing.T) {
	var names []string
	lines := strings.Split(strings.TrimSpace(pslText), "\n")[1:]
	for _, line := range lines {
		n := line[1:]
		names = append(names, n, "x."+n, "www.x."+n, "a.b.c."+n, "zz"+n)
		if i := strings.IndexByte(n, '.'); i >= 0 {
			names = append(names, "q"+n[i:]) // a sibling label the list may not have
		}
	}
	names = append(names, "", "com", "example", "example.invalidtld", "a.b.example.invalidtld",
		".com", "com.", "a..com", "127.0.0.1", "::1", "2001:db8::1", "localhost", "a.localhost",
		"github.io", "foo.github.io", "www.ck", "a.www.ck", "x.ck", "y.x.ck", "bücher.de", "EXAMPLE.COM")
	if len(lines) < 5000 {
		t.Fatalf("psl.txt has %d nodes", len(lines))
	}
	bad := 0
	for _, n := range names {
		ws, wi := publicsuffix.PublicSuffix(n)
		gs, gi := publicSuffix(n)
		we, werr := publicsuffix.EffectiveTLDPlusOne(n)
		ge, gerr := effectiveTLDPlusOne(n)
		if ws != gs || wi != gi || we != ge || (werr == nil) != (gerr == nil) {
			bad++
			if bad <= 20 {
				t.Errorf("%q: suffix %q icann %v, eTLD+1 %q (err %v); x/net: %q %v, %q (err %v)", n, gs, gi, ge, gerr, ws, wi, we, werr)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d names differ", bad, len(names))
	}
	t.Logf("%d names agree", len(names))
}
