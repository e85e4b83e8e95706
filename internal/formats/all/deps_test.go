package all

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The WebAssembly programs keep out packages whose weight they do not need
// (docs/benchmarks.md): encoding/json with the reflection it brings (the tools read and
// write JSON with internal/strictjson; it cost the tools 479 KB and the core 547 KB), and
// gozxing with x/text's character-set tables (internal/qr reads and draws QR codes itself;
// they cost the tools about 1.4 MB), and encoding/csv (Bitwarden's CSV is read by a reader
// of its own, 25 KB smaller). gozxing and encoding/csv stay in tests, to check ours against.
// This fails when an import brings one of them back.
func TestProgramsLinkNoHeavyPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command(goTool, "list", "-deps", "codeward.dev/wasm/core", "codeward.dev/wasm/tools")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		for _, banned := range []string{"encoding/json", "encoding/csv", "github.com/makiuchi-d/gozxing", "golang.org/x/text"} {
			if p == banned || strings.HasPrefix(p, banned+"/") {
				t.Errorf("wasm/core or wasm/tools links %s (see which import with: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./wasm/tools | grep %s)", p, banned)
			}
		}
	}
}
