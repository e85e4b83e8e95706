//go:build js && wasm

package main

import (
	"fmt"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/sites"
	"codeward.dev/internal/strictjson"
	"codeward.dev/wasm/bridge"
)

func init() {
	bridge.Register("sitesNormalize", sitesNormalize)
	bridge.Register("sitesMatch", sitesMatch)
	bridge.Register("sitesOf", sitesOf)
	bridge.Register("sitesSuggest", sitesSuggest)
	bridge.Register("sitesPatterns", sitesPatterns)
}

// sitesNormalize(text) → JSON array of canonical sites, from a comma- or line-separated
// list as typed in the account form. One bad entry refuses the list (code "invalid").
func sitesNormalize(args []safejs.Value) (any, error) {
	s, err := bridge.String(args, 0)
	if err != nil {
		return nil, err
	}
	list, err := sites.NormalizeList(s)
	if err != nil {
		return nil, bridge.Coded(bridge.CodeInvalidSite, err)
	}
	return bridge.StringsJSON(list), nil
}

// sitesMatch(sitesJSON, pageURL) → whether the page belongs to one of the sites.
func sitesMatch(args []safejs.Value) (any, error) {
	list, err := siteListArg(args, 0)
	if err != nil {
		return nil, err
	}
	page, err := bridge.String(args, 1)
	if err != nil {
		return nil, err
	}
	return sites.MatchAny(list, page), nil
}

// sitesOf(pageURL) → the page's site, for messages like "this page is evil.example".
func sitesOf(args []safejs.Value) (any, error) {
	page, err := bridge.String(args, 0)
	if err != nil {
		return nil, err
	}
	s, err := sites.Of(page)
	if err != nil {
		return nil, bridge.Invalid(err)
	}
	return s, nil
}

// sitesSuggest(issuer, tabURL?) → JSON array of suggested sites for a new account.
func sitesSuggest(args []safejs.Value) (any, error) {
	issuer, err := bridge.String(args, 0)
	if err != nil {
		return nil, err
	}
	tab, err := bridge.OptionalString(args, 1)
	if err != nil {
		return nil, err
	}
	return bridge.StringsJSON(sites.Suggest(issuer, tab)), nil
}

// sitesPatterns(sitesJSON) → JSON array of match patterns covering the sites, without
// duplicates; sites that cannot be bound are skipped (they never match either).
func sitesPatterns(args []safejs.Value) (any, error) {
	list, err := siteListArg(args, 0)
	if err != nil {
		return nil, err
	}
	out := []string{}
	seen := map[string]bool{}
	for _, s := range list {
		ps, err := sites.Patterns(s)
		if err != nil {
			continue
		}
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return bridge.StringsJSON(out), nil
}

func siteListArg(args []safejs.Value, i int) ([]string, error) {
	s, err := bridge.String(args, i)
	if err != nil {
		return nil, err
	}
	d := strictjson.NewDecoder([]byte(s))
	list := d.Strings()
	if err := d.End(); err != nil {
		return nil, bridge.Invalid(fmt.Errorf("sites: %w", err))
	}
	return list, nil
}
