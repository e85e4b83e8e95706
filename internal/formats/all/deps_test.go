package all

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The WebAssembly programs read and write JSON with internal/strictjson: encoding/json
// (with the reflection it brings) cost the tools program 479 KB and the core 547 KB
// (docs/benchmarks.md). This fails when an import brings it back.
func TestProgramsLinkNoEncodingJSON(t *testing.T) {
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
		if p == "encoding/json" {
			t.Fatal("wasm/core or wasm/tools links encoding/json again (see which import with: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./wasm/tools | grep encoding/json)")
		}
	}
}
