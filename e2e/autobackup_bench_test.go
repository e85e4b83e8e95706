package e2e

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"codeward.dev/internal/backup"
	"codeward.dev/internal/vault"
)

// TestBenchAutoBackup prints what automatic backups cost (make bench; never judged): the
// time from the last change to the file at the destination, and the cost of one automatic
// backup in the worker (write the file with the stored key, hand it to the downloads folder
// and upload it to the Google double, both confirmed), by vault size.
func TestBenchAutoBackup(t *testing.T) {
	requireBench(t)
	g := StartGoogleDouble(t)
	b := StartBrowser(t, BrowserOptions{ExtDir: g.ExtensionCopy(t)})
	p := seedVault(t, b)
	ap := b.OpenExtensionPage(AutoPage)
	ap.WaitText("Set up automatic backups")
	const quiet = 2
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"delaySeconds": quiet, "keep": 3})
	connectDrive(t, b, ap, g)
	ap.Click("checkbox", NameDownloads)
	setUpAuto(t, ap)
	p.Close()
	waitFor(t, "the first automatic backup", func() bool { return g.uploads() == 1 })

	seeded := 0
	for _, n := range []int{50, 500} {
		var list []vault.Account
		for i := seeded; i < n; i++ {
			list = append(list, vault.Account{ID: vault.NewID(nil), Type: "totp", Issuer: "Bench", Name: "account" + string(rune('a'+i%26)) + time.Now().Format("150405.000000") + string(rune('0'+i%10)),
				Secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", Algorithm: "SHA1", Digits: 6, Period: 30, Order: i, Created: time.Now().UTC(), Updated: time.Now().UTC()})
		}
		data, err := backup.Write(list, []byte(bkPassword), backup.Options{KDF: vault.KDFParams{Memory: 8 * 1024, Time: 1, Threads: 1}})
		if err != nil {
			t.Fatal(err)
		}
		before := g.uploads()
		send[json.RawMessage](t, ap, "backup.restore", map[string]any{"file": string(data), "password": bkPassword, "mode": "merge"})
		changed := time.Now()
		waitFor(t, "the automatic backup after the change", func() bool { return g.uploads() > before })
		latency := time.Since(changed)
		seeded = n

		var runs []time.Duration
		for i := 0; i < 5; i++ {
			start := time.Now()
			send[json.RawMessage](t, ap, "auto.run", map[string]any{})
			runs = append(runs, time.Since(start))
		}
		slices.Sort(runs)
		size := len(g.Backups()[len(g.Backups())-1].Body)
		t.Logf("automatic backup, %d accounts (%d KB file): last change → file in Drive %v (quiet time %ds); one backup to Downloads folder + Google Drive (double), median of 5: %v (min %v, max %v)",
			n, size/1024, latency.Round(10*time.Millisecond), quiet, runs[2].Round(time.Millisecond), runs[0].Round(time.Millisecond), runs[4].Round(time.Millisecond))
	}
}

// uploads counts the double's upload requests (retention keeps the number of files flat).
func (g *GoogleDouble) uploads() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.Requests["POST /upload/drive/v3/files"]
}
