//go:build js && wasm

package sites

import "github.com/hack-pad/safejs"

// toASCII asks the JavaScript host's URL parser (the browser's, or Node's under test) for
// the ASCII form of name and applies the rules it leaves out; see idna.go.
func toASCII(name string) (string, error) { return fromBrowser(name, urlHostname) }

// urlHostname is new URL("http://" + name + "/").hostname; a name the parser refuses is an
// error (safejs turns the TypeError into one).
func urlHostname(name string) (string, error) {
	ctor, err := safejs.Global().Get("URL")
	if err != nil {
		return "", err
	}
	u, err := ctor.New("http://" + name + "/")
	if err != nil {
		return "", err
	}
	h, err := u.Get("hostname")
	if err != nil {
		return "", err
	}
	return h.String()
}
