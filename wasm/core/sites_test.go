//go:build js && wasm

package main

import (
	"encoding/json"
	"reflect"
	"testing"

	"codeward.dev/wasm/bridge"
)

func TestSitesBridge(t *testing.T) {
	r := invoke(t, "sitesNormalize", "www.GitHub.com, localhost:3000\nbücher.de")
	var list []string
	if !r.OK || json.Unmarshal([]byte(str(t, r.Value)), &list) != nil {
		t.Fatalf("sitesNormalize failed: %s %s", r.Code, r.Msg)
	}
	if want := []string{"github.com", "localhost:3000", "xn--bcher-kva.de"}; !reflect.DeepEqual(list, want) {
		t.Errorf("sitesNormalize = %q, want %q", list, want)
	}
	if r := invoke(t, "sitesNormalize", "github.com, co.uk"); r.OK || r.Code != bridge.CodeInvalidSite {
		t.Errorf("sitesNormalize with a public suffix: ok=%v code=%q", r.OK, r.Code)
	}

	for _, tt := range []struct {
		sites, page string
		want        bool
	}{
		{`["github.com"]`, "https://www.github.com/login", true},
		{`["github.com"]`, "https://github.com.evil.io/", false},
		{`["evil.io","127.0.0.1:8080"]`, "http://127.0.0.1:8080/x", true},
		{`[]`, "https://github.com/", false},
	} {
		r := invoke(t, "sitesMatch", tt.sites, tt.page)
		if !r.OK {
			t.Fatalf("sitesMatch(%s, %s): %s", tt.sites, tt.page, r.Code)
		}
		if got, _ := r.Value.Bool(); got != tt.want {
			t.Errorf("sitesMatch(%s, %s) = %v, want %v", tt.sites, tt.page, got, tt.want)
		}
	}
	if r := invoke(t, "sitesMatch", `{"a":1}`, "https://github.com/"); r.OK || r.Code != bridge.CodeInvalid {
		t.Errorf("sitesMatch with a non-list: ok=%v code=%q", r.OK, r.Code)
	}

	if r := invoke(t, "sitesOf", "https://login.evil.example/x"); !r.OK || str(t, r.Value) != "evil.example" {
		t.Errorf("sitesOf: ok=%v code=%q", r.OK, r.Code)
	}
	if r := invoke(t, "sitesOf", "chrome://settings"); r.OK || r.Code != bridge.CodeInvalid {
		t.Errorf("sitesOf(chrome://): ok=%v code=%q", r.OK, r.Code)
	}

	r = invoke(t, "sitesSuggest", "Google", "https://accounts.google.com/")
	if !r.OK || str(t, r.Value) != `["google.com"]` {
		t.Errorf("sitesSuggest: ok=%v code=%q", r.OK, r.Code)
	}
	r = invoke(t, "sitesSuggest", "Acme")
	if !r.OK || str(t, r.Value) != `[]` {
		t.Errorf("sitesSuggest without a tab: ok=%v code=%q", r.OK, r.Code)
	}

	r = invoke(t, "sitesPatterns", `["github.com","127.0.0.1:1","127.0.0.1:2","co.uk"]`)
	want := `["https://github.com/*","https://*.github.com/*","http://127.0.0.1/*","https://127.0.0.1/*"]`
	if !r.OK || str(t, r.Value) != want {
		t.Errorf("sitesPatterns = %v (%s)", r.OK, r.Code)
	}
}
