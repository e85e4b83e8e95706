// Package sites decides which web pages an account's codes may be filled into.
//
// An account is bound to a list of sites. A site is one of:
//
//   - a registrable domain ("github.com", "example.co.uk", "foo.github.io"), decided with
//     the Public Suffix List (including its private section, so "foo.github.io" and
//     "bar.github.io" are different sites). It covers the domain and every subdomain, on any
//     port, but only over https: a code typed into a plain-http page of a real domain can be
//     read and relayed by anyone on the network path.
//   - a local host: an IP address or "localhost" (or a name under ".localhost"), written
//     host or host:port (IPv6 as "[::1]:8080"). It matches that host and that port exactly,
//     over http or https, because such hosts have no registrable domain and are
//     often served without TLS (development servers, routers). A site without a port
//     matches pages on the scheme's default port.
//
// Names are compared in their ASCII (punycode) form after IDNA mapping, so case, Unicode
// spelling and a trailing dot make no difference, while look-alike letters from another
// script produce a different name and do not match. Native builds map with
// golang.org/x/net/idna, the extension's WebAssembly with the browser's URL parser under
// the same rules (idna.go).
//
// Normalize turns what a person types (a domain, a host, a URL) into the canonical site;
// Match tells whether a page URL belongs to a site; Suggest proposes sites for a new account.
package sites

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	// ErrInvalid reports input that is not a host name, IP address or http(s) URL.
	ErrInvalid = errors.New("not a valid site")
	// ErrPublicSuffix reports a name that is itself a public suffix ("co.uk", "github.io"),
	// which no single owner controls; binding it would cover strangers' pages.
	ErrPublicSuffix = errors.New("a public suffix is not a site")
	// ErrScheme reports a URL whose scheme is not http or https.
	ErrScheme = errors.New("only http and https pages can be sites")
)

// maxInput bounds what is parsed; no real host or URL a person types comes close.
const maxInput = 2048

// host is a parsed host: either a local host (IP or localhost) with an optional port, or a
// DNS name in ASCII form.
type host struct {
	name  string // ASCII, lower case, no trailing dot; IPs in canonical text form (IPv6 without brackets)
	ip    bool
	local bool   // IP or localhost: matched by host and port
	port  string // only for local hosts; "" means the scheme's default port
}

// site renders the canonical site string for a parsed host.
func (h host) site() (string, error) {
	if h.local {
		n := h.name
		if h.ip && strings.Contains(n, ":") {
			n = "[" + n + "]"
		}
		if h.port != "" {
			n += ":" + h.port
		}
		return n, nil
	}
	d, err := effectiveTLDPlusOne(h.name)
	if err != nil {
		return "", ErrPublicSuffix
	}
	return d, nil
}

// Normalize returns the canonical form of a site typed by a person: a registrable domain
// for DNS names ("https://www.GitHub.com/login" → "github.com", "bücher.de" →
// "xn--bcher-kva.de") and host[:port] for IP addresses and localhost ("http://127.0.0.1:80/"
// → "127.0.0.1", "localhost:3000" → "localhost:3000").
func Normalize(site string) (string, error) {
	h, err := parseSite(site)
	if err != nil {
		return "", err
	}
	return h.site()
}

// NormalizeList splits a comma-, space- or line-separated list of sites, normalizes each and
// drops duplicates, keeping the first occurrence's position. The first bad entry fails the
// whole list, naming its position (not its text, which may be anything).
func NormalizeList(list string) ([]string, error) {
	fields := strings.FieldsFunc(list, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '\r' || r == ' ' || r == '\t'
	})
	out := []string{}
	seen := map[string]bool{}
	for i, f := range fields {
		s, err := Normalize(f)
		if err != nil {
			return nil, fmt.Errorf("site %d: %w", i+1, err)
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// Of returns the site a page URL belongs to (what Normalize would make of it), or an error
// if the URL is not an http(s) page.
func Of(pageURL string) (string, error) {
	h, _, err := parsePage(pageURL)
	if err != nil {
		return "", err
	}
	return h.site()
}

// Match reports whether the page at pageURL belongs to site. Pages of a domain site must be
// https; local sites (IPs, localhost) match http or https on exactly their host and port.
// A site or URL that does not parse never matches.
func Match(site, pageURL string) bool {
	s, err := parseSite(site)
	if err != nil {
		return false
	}
	want, err := s.site()
	if err != nil {
		return false
	}
	p, scheme, err := parsePage(pageURL)
	if err != nil {
		return false
	}
	if !p.local {
		if scheme != "https" {
			return false
		}
		got, err := p.site()
		return err == nil && got == want
	}
	if !s.local || s.name != p.name {
		return false
	}
	// A local site without a port means the page scheme's default port.
	return effectivePort(s.port, scheme) == effectivePort(p.port, scheme)
}

func effectivePort(port, scheme string) string {
	if port != "" {
		return port
	}
	if scheme == "https" {
		return "443"
	}
	return "80"
}

// MatchAny reports whether the page belongs to any of the sites.
func MatchAny(sites []string, pageURL string) bool {
	for _, s := range sites {
		if Match(s, pageURL) {
			return true
		}
	}
	return false
}

// Patterns returns the WebExtension match patterns that give host access to a site's pages
// (for optional host permissions and dynamically registered content scripts). Match
// patterns carry no port, so a local site's patterns cover every port of its host; Match
// still checks the port before any code is sent.
func Patterns(site string) ([]string, error) {
	h, err := parseSite(site)
	if err != nil {
		return nil, err
	}
	s, err := h.site()
	if err != nil {
		return nil, err
	}
	if h.local {
		n := h.name
		if h.ip && strings.Contains(n, ":") {
			n = "[" + n + "]"
		}
		return []string{"http://" + n + "/*", "https://" + n + "/*"}, nil
	}
	return []string{"https://" + s + "/*", "https://*." + s + "/*"}, nil
}

// parseSite reads a site as a person types it: a URL with a scheme, or host[:port].
func parseSite(s string) (host, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxInput || !utf8.ValidString(s) {
		return host{}, ErrInvalid
	}
	if strings.Contains(s, "://") {
		h, _, err := parsePage(s)
		return h, err
	}
	// A bare host may still carry a path ("github.com/login"); the host ends there.
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return parseHostPort(s, "")
}

// parsePage reads an absolute http(s) URL as a browser reports it.
func parsePage(raw string) (host, string, error) {
	if len(raw) > maxInput || !utf8.ValidString(raw) || strings.ContainsAny(raw, "\\ \t\r\n") {
		return host{}, "", ErrInvalid
	}
	u, err := url.Parse(raw)
	if err != nil {
		return host{}, "", ErrInvalid
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return host{}, "", ErrScheme
	}
	if u.Host == "" || u.Opaque != "" {
		return host{}, "", ErrInvalid
	}
	h, err := parseHostPort(u.Host, scheme)
	if err != nil {
		return host{}, "", err
	}
	return h, scheme, nil
}

// parseHostPort parses host[:port]; scheme, when known, lets a default port be dropped so
// "http://localhost:80" and "http://localhost" are the same page.
func parseHostPort(hp, scheme string) (host, error) {
	name, port := hp, ""
	if strings.HasPrefix(hp, "[") {
		end := strings.Index(hp, "]")
		if end < 0 {
			return host{}, ErrInvalid
		}
		name, port = hp[1:end], hp[end+1:]
		if port != "" {
			if !strings.HasPrefix(port, ":") {
				return host{}, ErrInvalid
			}
			port = port[1:]
		}
		a, err := netip.ParseAddr(name)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return host{}, ErrInvalid
		}
		return localHost(a.String(), true, port, scheme)
	}
	if i := strings.LastIndex(hp, ":"); i >= 0 {
		name, port = hp[:i], hp[i+1:]
		if strings.Contains(name, ":") {
			// An unbracketed IPv6 address, as a person might type it.
			a, err := netip.ParseAddr(hp)
			if err != nil || !a.Is6() || a.Zone() != "" {
				return host{}, ErrInvalid
			}
			return localHost(a.String(), true, "", scheme)
		}
		if port == "" {
			return host{}, ErrInvalid
		}
	}
	if a, err := netip.ParseAddr(name); err == nil {
		if a.Zone() != "" {
			return host{}, ErrInvalid
		}
		return localHost(a.Unmap().String(), true, port, scheme)
	}
	name = strings.TrimSuffix(name, ".")
	if name == "" || strings.HasSuffix(name, ".") {
		return host{}, ErrInvalid
	}
	ascii, err := toASCII(name)
	if err != nil || ascii == "" {
		return host{}, ErrInvalid
	}
	ascii = strings.ToLower(ascii)
	// The ASCII form must read back as itself, or two spellings could name one site.
	if again, err := toASCII(ascii); err != nil || again != ascii {
		return host{}, ErrInvalid
	}
	if len(ascii) > 253 {
		return host{}, ErrInvalid
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 {
			return host{}, ErrInvalid
		}
	}
	if ascii == "localhost" || strings.HasSuffix(ascii, ".localhost") {
		return localHost(ascii, false, port, scheme)
	}
	if port != "" {
		if _, err := parsePort(port); err != nil {
			return host{}, err
		}
	}
	// A name whose last label is a number (e.g. "1.2.3", "a.0.00", "x.0x1f") is refused:
	// browsers parse such a host as an IPv4 address (the URL standard's "ends in a number"
	// rule), so it never names a DNS host — and its registrable domain would not either.
	if endsInNumber(ascii) {
		return host{}, ErrInvalid
	}
	return host{name: ascii}, nil
}

// endsInNumber reports whether the last label of name is decimal digits or 0x and hex
// digits, as the URL standard's IPv4 parser decides.
func endsInNumber(name string) bool {
	last := name[strings.LastIndexByte(name, '.')+1:]
	if hex, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(hex, "0123456789abcdef") == ""
	}
	return last != "" && strings.Trim(last, "0123456789") == ""
}

func localHost(name string, ip bool, port, scheme string) (host, error) {
	if port != "" {
		n, err := parsePort(port)
		if err != nil {
			return host{}, err
		}
		port = strconv.Itoa(n)
		if (scheme == "http" && n == 80) || (scheme == "https" && n == 443) {
			port = ""
		}
	}
	return host{name: name, ip: ip, local: true, port: port}, nil
}

func parsePort(p string) (int, error) {
	if p == "" || len(p) > 5 || strings.Trim(p, "0123456789") != "" {
		return 0, ErrInvalid
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return 0, ErrInvalid
	}
	return n, nil
}
