package sites

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"github.com", "github.com", nil},
		{"GitHub.COM", "github.com", nil},
		{"www.github.com", "github.com", nil},
		{"github.com.", "github.com", nil},
		{"  github.com  ", "github.com", nil},
		{"github.com/login", "github.com", nil},
		{"https://www.github.com/login?x=1#f", "github.com", nil},
		{"HTTPS://GITHUB.COM", "github.com", nil},
		{"github.com:443", "github.com", nil},
		{"accounts.example.co.uk", "example.co.uk", nil},
		{"foo.github.io", "foo.github.io", nil},
		{"a.b.foo.github.io", "foo.github.io", nil},
		{"bücher.de", "xn--bcher-kva.de", nil},
		{"BÜCHER.de", "xn--bcher-kva.de", nil},
		{"www.xn--bcher-kva.de", "xn--bcher-kva.de", nil},
		{"例え.jp", "xn--r8jz45g.jp", nil},
		{"127.0.0.1", "127.0.0.1", nil},
		{"127.0.0.1:8080", "127.0.0.1:8080", nil},
		{"127.0.0.1:80", "127.0.0.1:80", nil}, // typed: kept, it still matches http://127.0.0.1/
		{"http://127.0.0.1:80/", "127.0.0.1", nil},
		{"https://127.0.0.1:443/x", "127.0.0.1", nil},
		{"http://127.0.0.1:443/", "127.0.0.1:443", nil},
		{"http://127.0.0.1:08080/", "127.0.0.1:8080", nil},
		{"localhost", "localhost", nil},
		{"LocalHost:3000", "localhost:3000", nil},
		{"http://localhost:3000/login", "localhost:3000", nil},
		{"app.localhost:5173", "app.localhost:5173", nil},
		{"[::1]:8080", "[::1]:8080", nil},
		{"::1", "[::1]", nil},
		{"http://[0:0:0:0:0:0:0:1]/", "[::1]", nil},
		{"192.168.1.1", "192.168.1.1", nil},

		{"", "", ErrInvalid},
		{"   ", "", ErrInvalid},
		{"com", "", ErrPublicSuffix},
		{"co.uk", "", ErrPublicSuffix},
		{"github.io", "", ErrPublicSuffix},
		{"intranet", "", ErrPublicSuffix},
		{"ftp://github.com/", "", ErrScheme},
		{"javascript://github.com/%0aalert(1)", "", ErrScheme},
		{"github..com", "", ErrInvalid},
		{"github.com..", "", ErrInvalid},
		{".github.com", "", ErrInvalid},
		{"*.github.com", "", ErrInvalid},
		{"git hub.com", "", ErrInvalid},
		{"github_x.com", "", ErrInvalid},
		{"github.com:", "", ErrInvalid},
		{"github.com:0", "", ErrInvalid},
		{"github.com:65536", "", ErrInvalid},
		{"github.com:+1", "", ErrInvalid},
		{"localhost:99999", "", ErrInvalid},
		{"[::1", "", ErrInvalid},
		{"[127.0.0.1]", "", ErrInvalid},
		{"[fe80::1%25eth0]", "", ErrInvalid},
		{"1.2.3", "", ErrInvalid},
		{"A.0.00", "", ErrInvalid}, // ends in a number: an IPv4 shorthand to browsers (fuzzer find)
		{"x.0x1f", "", ErrInvalid}, // hex last label, likewise
		{"0x.example.com", "example.com", nil},
		{"https://", "", ErrInvalid},
		{"https:github.com", "", ErrInvalid},
		{strings.Repeat("a", 3000) + ".com", "", ErrInvalid},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Normalize(%q) = %q, %v; want error %v", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		site, page string
		want       bool
	}{
		{"github.com", "https://github.com/login", true},
		{"github.com", "https://www.github.com/sessions/two-factor", true},
		{"github.com", "https://gist.github.com:8443/", true},
		{"github.com", "https://GITHUB.com./", true},
		{"GitHub.com.", "https://github.com/", true},
		{"www.github.com", "https://api.github.com/", true}, // sites are registrable domains
		{"github.com", "http://github.com/login", false},    // domains need https
		{"github.com", "https://evil-github.com/", false},
		{"github.com", "https://github.com.evil.io/", false},
		{"github.com", "https://githubcom.io/", false},
		{"github.com", "https://github.co/", false},
		{"github.com", "https://github.com@evil.io/", false},
		{"github.com", "https://evil.io/?github.com", false},
		{"github.com", "https://evil.io/#https://github.com/", false},
		{"github.com", "https://xn--gthub-n4a.com/", false}, // gıthub.com, dotless i
		{"github.com", "https://gіthub.com/", false},        // Cyrillic і
		{"github.com", "ftp://github.com/", false},
		{"github.com", "file:///github.com/", false},
		{"github.com", "chrome-extension://github.com/", false},
		{"github.com", "about:blank", false},
		{"github.com", "", false},
		{"github.com", "https://evil.io\\@github.com/", false},
		{"foo.github.io", "https://foo.github.io/", true},
		{"foo.github.io", "https://bar.github.io/", false},
		{"foo.github.io", "https://github.io/", false},
		{"github.io", "https://foo.github.io/", false}, // a public suffix binds nothing
		{"example.co.uk", "https://login.example.co.uk/", true},
		{"example.co.uk", "https://other.co.uk/", false},
		{"bücher.de", "https://www.xn--bcher-kva.de/", true},
		{"xn--bcher-kva.de", "https://shop.bücher.de/", true},
		{"bücher.de", "https://bucher.de/", false},

		{"127.0.0.1:8080", "http://127.0.0.1:8080/login", true},
		{"127.0.0.1:8080", "https://127.0.0.1:8080/", true},
		{"127.0.0.1:8080", "http://127.0.0.1:8081/", false},
		{"127.0.0.1:8080", "http://127.0.0.1/", false},
		{"127.0.0.1:8080", "http://localhost:8080/", false},
		{"127.0.0.1:8080", "http://127.0.0.2:8080/", false},
		{"127.0.0.1", "http://127.0.0.1/", true},
		{"127.0.0.1", "https://127.0.0.1/", true},
		{"127.0.0.1", "http://127.0.0.1:80/", true},
		{"127.0.0.1", "http://127.0.0.1:8080/", false},
		{"127.0.0.1", "http://127.0.0.1:443/", false},
		{"127.0.0.1:80", "http://127.0.0.1/", true},
		{"127.0.0.1:80", "https://127.0.0.1/", false},
		{"localhost:3000", "http://localhost:3000/", true},
		{"localhost:3000", "http://LOCALHOST:3000/", true},
		{"localhost:3000", "http://localhost:3001/", false},
		{"localhost:3000", "http://127.0.0.1:3000/", false},
		{"localhost:3000", "http://app.localhost:3000/", false},
		{"localhost", "http://localhost/", true},
		{"[::1]:8080", "http://[::1]:8080/", true},
		{"[::1]:8080", "http://[::1]:8081/", false},
		{"192.168.1.1", "http://192.168.1.1/", true},
		{"192.168.1.1", "http://192.168.1.10/", false},

		{"", "https://github.com/", false},
		{"com", "https://github.com/", false},
		{"not a site", "https://github.com/", false},
	}
	for _, tt := range tests {
		if got := Match(tt.site, tt.page); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.site, tt.page, got, tt.want)
		}
	}
}

func TestMatchAny(t *testing.T) {
	s := []string{"evil.io", "github.com"}
	if !MatchAny(s, "https://github.com/") {
		t.Error("MatchAny missed github.com")
	}
	if MatchAny(s, "https://gitlab.com/") || MatchAny(nil, "https://github.com/") {
		t.Error("MatchAny matched an unbound page")
	}
}

func TestOf(t *testing.T) {
	tests := []struct {
		page, want string
		err        error
	}{
		{"https://www.github.com/login", "github.com", nil},
		{"http://evil.example/", "evil.example", nil},
		{"http://127.0.0.1:41234/otp.html", "127.0.0.1:41234", nil},
		{"github.com", "", ErrScheme},
		{"chrome://extensions/", "", ErrScheme},
	}
	for _, tt := range tests {
		got, err := Of(tt.page)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Of(%q) = %q, %v; want error %v", tt.page, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Of(%q) = %q, %v; want %q", tt.page, got, err, tt.want)
		}
	}
}

func TestNormalizeList(t *testing.T) {
	got, err := NormalizeList("github.com, www.github.com\nlocalhost:3000;  https://gitlab.com/x\r\n\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"github.com", "localhost:3000", "gitlab.com"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NormalizeList = %q, want %q", got, want)
	}
	if got, err := NormalizeList(" , \n"); err != nil || len(got) != 0 || got == nil {
		t.Errorf("NormalizeList(empty) = %#v, %v; want empty non-nil", got, err)
	}
	_, err = NormalizeList("github.com, co.uk")
	if !errors.Is(err, ErrPublicSuffix) || !strings.Contains(err.Error(), "site 2") {
		t.Errorf("NormalizeList with a public suffix: %v", err)
	}
}

func TestPatterns(t *testing.T) {
	tests := []struct {
		site string
		want []string
	}{
		{"www.github.com", []string{"https://github.com/*", "https://*.github.com/*"}},
		{"127.0.0.1:8080", []string{"http://127.0.0.1/*", "https://127.0.0.1/*"}},
		{"[::1]:3000", []string{"http://[::1]/*", "https://[::1]/*"}},
		{"localhost", []string{"http://localhost/*", "https://localhost/*"}},
	}
	for _, tt := range tests {
		got, err := Patterns(tt.site)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Patterns(%q) = %q, %v; want %q", tt.site, got, err, tt.want)
		}
	}
	if _, err := Patterns("co.uk"); !errors.Is(err, ErrPublicSuffix) {
		t.Errorf("Patterns(co.uk) error = %v", err)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		issuer, tab string
		want        []string
	}{
		{"Google", "", []string{"google.com"}},
		{"  microsoft ", "https://login.live.com/", []string{"microsoft.com", "live.com"}},
		{"Amazon Web Services", "https://signin.aws.amazon.com/", []string{"amazon.com"}},
		{"GitHub", "https://github.com/settings/security", []string{"github.com"}},
		{"GitHub", "https://evil.example/", []string{"github.com", "evil.example"}},
		{"accounts.example.co.uk", "", []string{"example.co.uk"}},
		{"Example.COM", "", []string{"example.com"}},
		{"Acme", "", []string{}},              // no guessed acme.com
		{"Acme Inc.", "", []string{}},         // has a dot but is not a domain
		{"alice@example.com", "", []string{}}, // an e-mail is not a site
		{"co.uk", "", []string{}},             // public suffix
		{"", "chrome-extension://abc/popup.html", []string{}},
		{"", "http://127.0.0.1:41234/p.html", []string{"127.0.0.1:41234"}},
	}
	for _, tt := range tests {
		got := Suggest(tt.issuer, tt.tab)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.issuer, tt.tab, got, tt.want)
		}
	}
}

// Every built-in issuer entry must itself be a canonical site, or it could never match.
func TestKnownIssuersCanonical(t *testing.T) {
	for issuer, list := range knownIssuers {
		if issuer != strings.ToLower(strings.Join(strings.Fields(issuer), " ")) {
			t.Errorf("issuer key %q is not in lookup form", issuer)
		}
		for _, s := range list {
			if n, err := Normalize(s); err != nil || n != s {
				t.Errorf("knownIssuers[%q] has %q, canonical %q (%v)", issuer, s, n, err)
			}
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("github.com", "https://www.github.com/login")
	f.Add("127.0.0.1:8080", "http://127.0.0.1:8080/")
	f.Add("bücher.de", "https://xn--bcher-kva.de/")
	f.Add("[::1]", "http://[::1]:80/")
	f.Fuzz(func(t *testing.T, site, page string) {
		n, err := Normalize(site)
		if err != nil {
			if Match(site, page) {
				t.Fatalf("Match(%q, %q) with an invalid site", site, page)
			}
			return
		}
		// Normalizing is idempotent and does not change what matches.
		if n2, err := Normalize(n); err != nil || n2 != n {
			t.Fatalf("Normalize(%q) = %q; again = %q, %v", site, n, n2, err)
		}
		if Match(site, page) != Match(n, page) {
			t.Fatalf("Match differs for %q and its normal form %q on %q", site, n, page)
		}
	})
}
