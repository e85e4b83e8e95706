package sites

import (
	"strings"
)

// knownIssuers maps issuer names (lower case, single spaces) whose sign-in domain cannot be
// read off the name to their sites. It is short on purpose: a wrong entry would send codes
// to a stranger's domain, so only names whose owner is beyond doubt are listed, and an
// issuer that is not listed gets no guessed domain ("Acme" does not become acme.com).
var knownIssuers = map[string][]string{
	"google":              {"google.com"},
	"microsoft":           {"microsoft.com", "live.com"},
	"amazon":              {"amazon.com"},
	"amazon web services": {"amazon.com"},
	"aws":                 {"amazon.com"},
	"apple":               {"apple.com"},
	"facebook":            {"facebook.com"},
	"meta":                {"facebook.com", "meta.com"},
	"instagram":           {"instagram.com"},
	"twitter":             {"x.com", "twitter.com"},
	"x":                   {"x.com", "twitter.com"},
	"github":              {"github.com"},
	"gitlab":              {"gitlab.com"},
	"npm":                 {"npmjs.com"},
	"docker":              {"docker.com"},
	"dropbox":             {"dropbox.com"},
	"discord":             {"discord.com"},
	"slack":               {"slack.com"},
	"paypal":              {"paypal.com"},
	"proton":              {"proton.me"},
	"cloudflare":          {"cloudflare.com"},
	"digitalocean":        {"digitalocean.com"},
	"linkedin":            {"linkedin.com"},
	"reddit":              {"reddit.com"},
	"steam":               {"steampowered.com", "steamcommunity.com"},
	"epic games":          {"epicgames.com"},
	"coinbase":            {"coinbase.com"},
}

// Suggest proposes sites for an account: the issuer's known sites, the issuer itself when it
// looks like a domain ("accounts.example.co.uk" → "example.co.uk"), and the site of the tab
// the account was added on (tabURL may be empty or a non-web page, which adds nothing).
// The result is canonical, without duplicates, and never nil.
func Suggest(issuer, tabURL string) []string {
	out := []string{}
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	key := strings.ToLower(strings.Join(strings.Fields(issuer), " "))
	for _, s := range knownIssuers[key] {
		add(s)
	}
	if strings.Contains(key, ".") && !strings.ContainsAny(key, " /@:") {
		if s, err := Normalize(key); err == nil {
			add(s)
		}
	}
	if tabURL != "" {
		if s, err := Of(tabURL); err == nil {
			add(s)
		}
	}
	return out
}
