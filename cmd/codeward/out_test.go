package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A backup password is judged as in the extension: weak ones are refused with the reason,
// and nothing is written; --allow-weak-password lets a script write a throwaway file.
func TestExportWeakPassword(t *testing.T) {
	in := roundTripURIs[0] + "\n"
	for _, pw := range []string{"letmein", "hunter2hunter2", "abc", "qwertyuiop12"} {
		out := filepath.Join(t.TempDir(), "b.json")
		pwf := writeFile(t, "pw", []byte(pw+"\n"))
		for _, to := range []string{"codeward", "aegis"} {
			r := cw(t, in, "export", "--to", to, "--password-file", pwf, "--out", out)
			wantError(t, r, "the password is too weak")
			if strings.Contains(r.stderr, pw) {
				t.Errorf("the message repeats the password %q: %s", pw, r.stderr)
			}
			if strings.Contains(r.stderr, "Generate") {
				t.Errorf("the message mentions the extension's Generate button: %s", r.stderr)
			}
			if !strings.Contains(r.stderr, "--allow-weak-password") {
				t.Errorf("no hint about --allow-weak-password: %s", r.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatalf("a refused export wrote %s", out)
			}
		}
		r := cw(t, in, "export", "--to", "codeward", "--password-file", pwf, "--allow-weak-password", "--out", out)
		wantOK(t, r)
		r = cw(t, "", "import", "--password-file", pwf, out)
		wantOK(t, r)
		if r.stdout != canonical(t, roundTripURIs[:1]) {
			t.Errorf("the weak-password backup reads back as %q", r.stdout)
		}
	}
	wantError(t, cw(t, in, "export", "--to", "codeward", "--allow-weak-password=yes"), "takes no value")
}

// --out replaces only a regular file: a link, a directory, a FIFO or a device is refused
// and left as it was.
func TestExportOutRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nothing"), dangling); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		link:     "is a symbolic link",
		dangling: "is a symbolic link",
		dir:      "is a directory",
		fifo:     "is a named pipe",
	}
	// A character device like /dev/full, made in the test's own folder (root only), so that
	// a codeward that replaces it cannot harm the real one.
	dev := filepath.Join(dir, "full")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, int(7|1<<8)); err == nil {
		cases[dev] = "is a device"
	} else {
		t.Logf("no device case (mknod: %v)", err)
	}
	for path, want := range cases {
		before, _ := os.Lstat(path)
		r := cw(t, roundTripURIs[0]+"\n", "export", "--to", "otpauth", "--out", path)
		wantError(t, r, want)
		after, err := os.Lstat(path)
		if err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s was replaced: %v %v", path, after, err)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me" {
		t.Errorf("the link's target was written: %q", b)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, ".codeward-*")); len(names) != 0 {
		t.Errorf("temporary files left behind: %v", names)
	}
}

// An existing regular file is replaced whole and keeps its permissions; a new one is 0600.
func TestExportOutPermissions(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.txt")
	if err := os.WriteFile(old, []byte(strings.Repeat("x", 10000)), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(old, 0o640); err != nil { // whatever the umask
		t.Fatal(err)
	}
	wantOK(t, cw(t, roundTripURIs[0]+"\n", "export", "--to", "otpauth", "--out", old))
	fi, err := os.Stat(old)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("replaced file has mode %v, want 0640", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(old); string(b) != canonical(t, roundTripURIs[:1]) {
		t.Errorf("replaced file holds %q", b)
	}
	fresh := filepath.Join(dir, "new.txt")
	wantOK(t, cw(t, roundTripURIs[0]+"\n", "export", "--to", "otpauth", "--out", fresh))
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new file: %v %v, want mode 0600", fi.Mode(), err)
	}
}

// An export leaves out, and lists, the accounts its format cannot hold (Google
// Authenticator: no Steam, only 30 s periods) instead of failing for all of them; only an
// export with nothing left fails.
func TestExportLeavesOutWhatTheFormatCannotHold(t *testing.T) {
	in := strings.Join(roundTripURIs, "\n") + "\n"
	r := cw(t, in, "export", "--to", "google")
	wantOK(t, r)
	if !strings.Contains(r.stderr, "codeward: warning: line 7 (Boeing: Sophia) left out: google: Google Authenticator cannot hold this account unchanged: Steam accounts are not supported") {
		t.Errorf("no warning naming the Steam account:\n%s", r.stderr)
	}
	back := cw(t, r.stdout, "import", "--from", "google", "-")
	wantOK(t, back)
	if !strings.Contains(back.stdout, "Deno:Mason") || strings.Contains(back.stdout, "Boeing") {
		t.Errorf("the export holds the wrong accounts:\n%s", back.stdout)
	}
	wantError(t, cw(t, roundTripURIs[6]+"\n", "export", "--to", "google"), "none of the 1 accounts can be written as google")
	// Names beyond the bounds are refused on the way in, with the field and the limit.
	long := "otpauth://totp/" + strings.Repeat("I", 10000) + ":bob?secret=JBSWY3DPEHPK3PXP\n"
	wantError(t, cw(t, long, "export", "--to", "google"), "the issuer has 10000 characters (at most 200)")
}
