package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeward.dev/internal/vault"
)

// TestBackupVectors runs "codeward import" on every committed backup test vector
// (internal/backup/testdata/vectors.txt) and checks the outcome the manifest states.
func TestBackupVectors(t *testing.T) {
	dir := filepath.Join("..", "..", "internal", "backup", "testdata")
	manifest, err := os.ReadFile(filepath.Join(dir, "vectors.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors []map[string]string
	cur := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(manifest))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		if line == "" {
			if len(cur) > 0 {
				vectors = append(vectors, cur)
				cur = map[string]string{}
			}
			continue
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("manifest line %q", line)
		}
		cur[k] = v
	}
	if len(cur) > 0 {
		vectors = append(vectors, cur)
	}
	if len(vectors) < 5 {
		t.Fatalf("only %d vectors in the manifest", len(vectors))
	}
	messages := map[string]string{
		"wrong-password":      "wrong password",
		"damaged":             "damaged",
		"unsupported-version": "unsupported",
		"kdf-params":          "out of bounds",
	}
	for _, v := range vectors {
		t.Run(v["file"]+"/"+v["expect"], func(t *testing.T) {
			pw := writeFile(t, "pw", []byte(v["password"]+"\n"))
			r := cw(t, "", "import", "--from", "codeward", "--password-file", pw, filepath.Join(dir, v["file"]))
			if v["expect"] != "ok" {
				want, known := messages[v["expect"]]
				if !known {
					t.Fatalf("unknown expectation %q", v["expect"])
				}
				wantError(t, r, want)
				return
			}
			payload, err := os.ReadFile(filepath.Join(dir, v["payload"]))
			if err != nil {
				t.Fatal(err)
			}
			var p struct{ Accounts []vault.Account }
			if err := json.Unmarshal(payload, &p); err != nil {
				t.Fatal(err)
			}
			var want strings.Builder
			for _, a := range p.Accounts {
				k, err := a.Key()
				if err != nil {
					t.Fatal(err)
				}
				want.WriteString(k.URI() + "\n")
			}
			checkStderr(t, r)
			if r.status != 0 || r.stdout != want.String() {
				t.Errorf("status %d, stdout:\n%s\nwant:\n%s\nstderr: %s", r.status, r.stdout, want.String(), r.stderr)
			}
		})
	}
}
