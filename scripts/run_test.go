// Package scripts holds tests for the repository's shell scripts; the scripts themselves
// are plain bash files beside this one.
package scripts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Without a display, run.sh must explain in one line what to do instead and exit non-zero
// before it starts a browser (or even looks for one): a fake chromium on PATH records any
// start, and an empty build/ would otherwise be the first complaint.
func TestRunWithoutDisplay(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	bin := t.TempDir()
	started := filepath.Join(t.TempDir(), "started")
	fake := "#!/bin/sh\ntouch " + started + "\n"
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(fake), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "run.sh")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") && !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); !ok {
		t.Fatalf("run.sh without a display: %v, want a non-zero exit\nstderr: %s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "xvfb-run make run") || !strings.Contains(lines[0], "by hand") {
		t.Errorf("run.sh without a display said %q, want one line naming xvfb-run and loading by hand", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("run.sh printed on stdout: %q", stdout.String())
	}
	if _, err := os.Stat(started); err == nil {
		t.Error("run.sh started a browser without a display")
	}
}
