package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinary builds the real command and runs it as a user would, with the default
// Argon2id parameters (the only test that pays for them).
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "codeward")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exe := func(stdin string, args ...string) result {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		status := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("running codeward: %v", err)
			}
			status = ee.ExitCode()
		}
		return result{status, out.String(), errb.String()}
	}

	r := exe("", "code", "--at", at, "otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI",
		"otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ")
	wantOK(t, r)
	if r.stdout != "B2MYW\n547265\n" {
		t.Errorf("code: %q", r.stdout)
	}

	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.json")
	wantOK(t, exe(strings.Join(roundTripURIs, "\n"), "export", "--to", "codeward", "--password-file", pw, "--out", backup))
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"memory": 65536`)) || !bytes.Contains(data, []byte(`"time": 3`)) || !bytes.Contains(data, []byte(`"threads": 4`)) {
		t.Errorf("the binary did not use the default Argon2id parameters:\n%s", data)
	}
	r = exe("", "import", "--password-file", pw, backup)
	wantOK(t, r)
	if want := canonical(t, roundTripURIs); r.stdout != want {
		t.Errorf("import:\n%s\nwant:\n%s", r.stdout, want)
	}

	if err := os.WriteFile(pw, []byte("wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = exe("", "import", "--password-file", pw, backup)
	wantError(t, r, "wrong password")
	if r.status != 1 {
		t.Errorf("status %d", r.status)
	}
	r = exe("", "frobnicate")
	wantError(t, r, "unknown command")
	if r.status != 2 {
		t.Errorf("status %d", r.status)
	}
}
