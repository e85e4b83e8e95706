package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/vault"
)

// TestRestoreKDFOffTheBackground opens a backup that asks for the largest Argon2id cost a
// file may ask for (256 MiB × 4 passes) and checks that the background answers another
// extension page while the restore page is still deriving the key: the derivation runs in
// a worker of the restore page, not in the background, which serves every other message.
func TestRestoreKDFOffTheBackground(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b, bkAccounts[0])
	rp := openFromPopup(t, b, p, true, NameRestore, "#restore")
	costly := vault.KDFParams{Memory: 256 << 10, Time: 4, Threads: 4}
	data, err := backup.Write(nil, []byte(bkPassword), backup.Options{KDF: costly})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "codeward-backup-costly.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	openRestore(t, rp, path, bkPassword)
	rp.WaitText("Opening the backup")
	// Give a background that derived the key itself the time to be deep inside Argon2id
	// (seconds at this cost); then ask it something from the other page.
	time.Sleep(500 * time.Millisecond)
	status := send[struct{ State string }](t, p.Page, "backup.status", map[string]any{})
	previewShown := len(rp.Query("button", "Merge")) > 0
	if status.State != "unlocked" {
		t.Errorf("status while restoring: %+v", status)
	}
	if previewShown {
		t.Error("the background answered only after the backup was opened: the key derivation blocked it")
	}
	rp.Find("button", "Merge") // and the costly file does open
	if !strings.Contains(rp.Text(), "holds 0 accounts") {
		t.Errorf("preview of the empty backup:\n%s", rp.Text())
	}

	t.Logf("opening a 256 MiB × 4 backup took %v (worker start, Argon2id, decryption in the background)", time.Since(start).Round(10*time.Millisecond))
}
