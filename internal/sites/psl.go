package sites

import (
	_ "embed"
	"errors"
	"net/netip"
	"strings"
)

//go:generate go run ./internal/pslgen psl.txt

// pslText is the Public Suffix List as a tree of nodes, one a line, sorted by name: a flag
// byte ('a' + type | wildcard<<2 | icann<<3, see internal/psldata) then the node's full
// name. Generated from golang.org/x/net/publicsuffix's table, whose package cannot be linked
// here: it imports net/http/cookiejar, and with it net/http and crypto/tls (~2 MB of WASM).
// TestPublicSuffixAgreesWithXNet checks both agree on every node.
//
//go:embed psl.txt
var pslText string

const (
	pslNormal    = 0
	pslException = 1
	pslTypeMask  = 3
	pslWildcard  = 1 << 2
	pslICANN     = 1 << 3
)

// pslNode finds the node named name; ok is false when the tree has none.
func pslNode(name string) (flags byte, ok bool) {
	text := pslText
	if i := strings.IndexByte(text, '\n'); i >= 0 && strings.HasPrefix(text, "#") {
		text = text[i+1:]
	}
	lo, hi := 0, len(text) // byte range holding whole lines
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := strings.LastIndexByte(text[lo:mid], '\n') + 1 + lo
		end := strings.IndexByte(text[start:hi], '\n')
		if end < 0 {
			end = hi
		} else {
			end += start
		}
		line := text[start:end]
		switch c := strings.Compare(line[1:], name); {
		case c == 0:
			return line[0] - 'a', true
		case c < 0:
			lo = end + 1
		default:
			hi = start
		}
	}
	return 0, false
}

// publicSuffix returns the public suffix of domain (lower case, ASCII, no trailing dot) and
// whether it comes from the list's ICANN section, walking the tree from the top-level
// label as golang.org/x/net/publicsuffix.PublicSuffix does (same results, including the
// "*" default rule for unknown top-level domains and IP addresses returned whole).
func publicSuffix(domain string) (suffix string, icann bool) {
	if _, err := netip.ParseAddr(domain); err == nil {
		return domain, false
	}
	s, at, icannNode, wildcard := domain, len(domain), false, false
	for {
		dot := strings.LastIndexByte(s, '.')
		if wildcard {
			icann = icannNode
			at = 1 + dot
		}
		flags, ok := pslNode(domain[1+dot:])
		if !ok {
			break
		}
		icannNode = flags&pslICANN != 0
		switch flags & pslTypeMask {
		case pslNormal:
			at = 1 + dot
		case pslException:
			at = 1 + len(s)
			return domain[at:], icann
		}
		wildcard = flags&pslWildcard != 0
		if !wildcard {
			icann = icannNode
		}
		if dot == -1 {
			break
		}
		s = s[:dot]
	}
	if at == len(domain) {
		// No rule matched: the prevailing rule is "*".
		return domain[1+strings.LastIndexByte(domain, '.'):], icann
	}
	return domain[at:], icann
}

var errNoRegistrable = errors.New("no registrable domain")

// effectiveTLDPlusOne returns the registrable domain of domain: its public suffix plus one
// label (as golang.org/x/net/publicsuffix.EffectiveTLDPlusOne), or an error when domain has
// an empty label or is itself a public suffix.
func effectiveTLDPlusOne(domain string) (string, error) {
	if strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", errNoRegistrable
	}
	suffix, _ := publicSuffix(domain)
	if len(domain) <= len(suffix) {
		return "", errNoRegistrable
	}
	i := len(domain) - len(suffix) - 1
	if domain[i] != '.' {
		return "", errNoRegistrable
	}
	return domain[1+strings.LastIndexByte(domain[:i], '.'):], nil
}
