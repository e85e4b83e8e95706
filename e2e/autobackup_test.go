package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp"

	"codeward.dev/internal/seal"
	"codeward.dev/internal/vault"
)

// Automatic backups: set up on their page, made by themselves after changes, confirmed by a
// destination before the reminder clears, checked from outside (files on disk, the Google
// double's Drive) and opened by the codeward command with the backup password alone.

const (
	AutoPage         = "extension/auto/auto.html"
	NameTurnOnAuto   = "Turn on automatic backups"
	NameDownloads    = "Downloads folder"
	NameGoogleDrive  = "Google Drive"
	NameConnectDrive = "Connect Google Drive"
	autoPassword     = "wq4n-b7tz-k2mx-p9rd-h3vc"
)

var autoName = regexp.MustCompile(`^codeward-backup-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}( \(\d+\))?\.json$`)

var autoAccounts = []bkAccount{
	{"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "Saltmarsh Credit Union", "erin.auto@example.net"},
	{"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "Lindenbrook Cloud", "frank.auto@example.org"},
	{"KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD", "Copperfield Games", "grace.auto@example.com"},
	{"ORSXG5DJNZTXIZLTORUW4Z3UMVZXI2LO", "Thornbury Health", "heidi.auto@example.com"},
}

// waitFor polls cond until it holds or the test's timeout passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * Timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// importWithCLI opens a backup file with `codeward import --from codeward` and the backup
// password, and returns "issuer|name|secret" for every account it lists, sorted.
func importWithCLI(t *testing.T, data []byte, password string) []string {
	t.Helper()
	cli := filepath.Join(RepoRoot(t), "bin", "codeward")
	if _, err := os.Stat(cli); err != nil {
		t.Fatalf("%v (run `make` first)", err)
	}
	dir := t.TempDir()
	pwFile, path := filepath.Join(dir, "password"), filepath.Join(dir, "backup.json")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(cli, "import", "--from", "codeward", "--password-file", pwFile, path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("codeward import: %v\n%s", err, stderr.String())
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if line == "" {
			continue
		}
		k, err := otp.NewKeyFromURL(line)
		if err != nil {
			t.Fatalf("codeward import printed a line that is no otpauth URI: %v", err)
		}
		got = append(got, k.Issuer()+"|"+k.AccountName()+"|"+k.Secret())
	}
	slices.Sort(got)
	return got
}

func want(accounts ...bkAccount) []string {
	var out []string
	for _, a := range accounts {
		out = append(out, a.Issuer+"|"+a.Name+"|"+a.Secret)
	}
	slices.Sort(out)
	return out
}

// autoFiles lists the files in the Codeward/ folder of the download directory.
func autoFiles(t *testing.T, b *Browser) []string {
	t.Helper()
	var out []string
	for _, name := range files(t, filepath.Join(b.DownloadDir, "Codeward")) {
		if !strings.HasSuffix(name, ".crdownload") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// setUpAuto fills the set-up form on the automatic backups page with the destinations
// already ticked by the caller, and turns automatic backups on.
func setUpAuto(t *testing.T, ap *Page) {
	t.Helper()
	ap.Fill("textbox", NameMasterPassword, bkMaster)
	ap.Fill("textbox", NameBackupPassword, autoPassword)
	ap.Fill("textbox", NameConfirmBackup, autoPassword)
	ap.Click("button", NameTurnOnAuto)
	ap.WaitText("Automatic backups are on.")
}

// keyNeedles are the automatic backup key in the encodings a careless store would use,
// derived from a file's salt and the backup password exactly as the extension derives it.
func keyNeedles(t *testing.T, file []byte) map[string]string {
	t.Helper()
	var env struct {
		KDF struct {
			Memory, Time uint32
			Threads      uint8
			Salt         string
		}
	}
	if err := json.Unmarshal(file, &env); err != nil {
		t.Fatal(err)
	}
	salt, _ := base64.StdEncoding.DecodeString(env.KDF.Salt)
	key, check, err := seal.Derive([]byte(autoPassword), salt, vault.KDFParams{Memory: env.KDF.Memory, Time: env.KDF.Time, Threads: env.KDF.Threads})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"backup key base64":    base64.StdEncoding.EncodeToString(key[:]),
		"backup key base64url": base64.RawURLEncoding.EncodeToString(key[:]),
		"backup key hex":       hex.EncodeToString(key[:]),
		"backup check base64":  base64.StdEncoding.EncodeToString(check[:]),
		"backup password":      autoPassword,
	}
}

// scanStorage fails the test when any needle is readable in either storage area.
func scanStorage(t *testing.T, b *Browser, when string, needles map[string]string) {
	t.Helper()
	for _, area := range []string{"local", "session"} {
		for key, value := range b.Storage(area) {
			lower := strings.ToLower(key + " " + string(value))
			for what, needle := range needles {
				if len(needle) >= 6 && strings.Contains(lower, strings.ToLower(needle)) {
					t.Errorf("%s: storage.%s[%q] holds the %s", when, area, key, what)
				}
			}
		}
	}
}

func accountNeedles(accounts ...bkAccount) map[string]string {
	out := map[string]string{}
	for _, a := range accounts {
		out["secret of "+a.Issuer] = a.Secret
		out["issuer "+a.Issuer] = a.Issuer
		out["name "+a.Name] = a.Name
	}
	return out
}

func TestAutoBackupDownloads(t *testing.T) {
	b := StartBrowser(t, BrowserOptions{})
	p := seedVault(t, b, autoAccounts[0])
	// The backup reminder suggests them; the popup's menu leads to their page.
	p.WaitText("Never forget a backup again")
	p.Find("button", "Back up automatically")
	p.Click("button", NameMenu)
	p.Click("button", "Set up automatic backups")
	waitFor(t, "the automatic backups page to open", func() bool {
		for _, in := range b.Targets() {
			if in.Type == "page" && in.URL == b.URL(AutoPage) {
				return true
			}
		}
		return false
	})
	ap := b.OpenExtensionPage(AutoPage)
	ap.WaitText("Set up automatic backups")
	// The test build's only difference: a short quiet time and a small number kept, through
	// the same setting a person's choice would use.
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"delaySeconds": 2, "keep": 2})
	// The product build has no OAuth client id: Google Drive is listed, and says so.
	ap.WaitText("Google Drive is not set up in this build of Codeward")
	if box := ap.Find("checkbox", NameDrive()); !Eval[bool](ap, `document.getElementById("dest-drive").disabled`) {
		t.Errorf("%v can be ticked without a client id", box)
	}
	if len(ap.Query("button", NameConnectDrive)) != 0 {
		t.Error("Connect Google Drive offered without a client id")
	}
	ap.Click("checkbox", NameDownloads)
	setUpAuto(t, ap)

	waitFor(t, "the first automatic backup in Codeward/", func() bool { return len(autoFiles(t, b)) == 1 })
	first := autoFiles(t, b)[0]
	if !autoName.MatchString(first) {
		t.Errorf("file name %q is not dated to the second", first)
	}
	data, err := os.ReadFile(filepath.Join(b.DownloadDir, "Codeward", first))
	if err != nil {
		t.Fatal(err)
	}
	if got := importWithCLI(t, data, autoPassword); !slices.Equal(got, want(autoAccounts[0])) {
		t.Errorf("first backup lists %v", got)
	}

	// A change → after the quiet time a second file, holding both accounts; the badge clears.
	p.AddAccountByHand(autoAccounts[1].Secret, autoAccounts[1].Issuer, autoAccounts[1].Name)
	waitFor(t, "the second automatic backup", func() bool { return len(autoFiles(t, b)) == 2 })
	waitFor(t, "the badge to clear", func() bool { return badge(p.Page) == "" })
	second := autoFiles(t, b)
	data, _ = os.ReadFile(filepath.Join(b.DownloadDir, "Codeward", second[len(second)-1]))
	if got := importWithCLI(t, data, autoPassword); !slices.Equal(got, want(autoAccounts[:2]...)) {
		t.Errorf("second backup lists %v", got)
	}

	// Nothing changed → no backup, whatever the alarm does.
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"delaySeconds": 1})
	time.Sleep(3 * time.Second)
	if got := autoFiles(t, b); len(got) != 2 {
		t.Errorf("a backup without a change: %v", got)
	}

	// The worker stopped between the change and the alarm: the alarm wakes it and the backup
	// happens. Only two files are kept: the oldest one Codeward wrote is removed.
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"delaySeconds": 4})
	p.AddAccountByHand(autoAccounts[2].Secret, autoAccounts[2].Issuer, autoAccounts[2].Name)
	if badge(p.Page) == "" {
		t.Error("no badge right after a change")
	}
	p.Close() // an open popup asks the worker for codes, which would wake it at once
	b.StopServiceWorker()
	waitFor(t, "the backup after a worker stop", func() bool {
		got := autoFiles(t, b)
		return len(got) == 2 && !slices.Contains(got, first)
	})
	third := autoFiles(t, b)
	var newest []byte
	for _, name := range third {
		if !slices.Contains(second, name) {
			newest, _ = os.ReadFile(filepath.Join(b.DownloadDir, "Codeward", name))
		}
	}
	if got := importWithCLI(t, newest, autoPassword); !slices.Equal(got, want(autoAccounts[:3]...)) {
		t.Errorf("backup after the worker stop lists %v", got)
	}
	waitFor(t, "the badge to clear after the worker stop", func() bool { return badge(ap) == "" })

	// "Back up now" in the popup makes one at once, without the page or a password.
	pp := b.OpenPopup()
	pp.WaitState(StateUnlocked)
	pp.WaitText("Backed up just now to Downloads folder")
	before := autoFiles(t, b)
	pp.Click("button", "Back up now")
	waitFor(t, "the backup made by Back up now", func() bool {
		got := autoFiles(t, b)
		return len(got) == 2 && !slices.Equal(got, before)
	})

	needles := keyNeedles(t, newest)
	for k, v := range accountNeedles(autoAccounts[:3]...) {
		needles[k] = v
	}
	scanStorage(t, b, "unlocked", needles)
	// Nor in anything a page receives.
	for _, kind := range []string{"settings.get", "accounts.view", "auto.status"} {
		raw := string(send[json.RawMessage](t, ap, kind, map[string]any{}))
		for what, needle := range keyNeedles(t, newest) {
			if strings.Contains(raw, needle) {
				t.Errorf("%s reply holds the %s", kind, what)
			}
		}
	}

	// A new master password keeps automatic backups working; a change made just before a
	// lock is backed up after the next unlock, not while locked.
	const newMaster = "heron 4 copper lantern"
	send[json.RawMessage](t, ap, "vault.changePassword", map[string]any{"current": bkMaster, "next": newMaster})
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"delaySeconds": 2})
	before = autoFiles(t, b)
	pp.AddAccountByHand(autoAccounts[3].Secret, autoAccounts[3].Issuer, autoAccounts[3].Name)
	pp.Lock()
	scanStorage(t, b, "locked", needles)
	time.Sleep(5 * time.Second)
	if got := autoFiles(t, b); !slices.Equal(got, before) {
		t.Errorf("a backup was written while locked: %v → %v", before, got)
	}
	pp.Unlock(newMaster)
	waitFor(t, "the backup after the next unlock", func() bool { return !slices.Equal(autoFiles(t, b), before) })
	var latest []byte
	for _, name := range autoFiles(t, b) {
		if !slices.Contains(before, name) {
			latest, _ = os.ReadFile(filepath.Join(b.DownloadDir, "Codeward", name))
		}
	}
	if got := importWithCLI(t, latest, autoPassword); !slices.Equal(got, want(autoAccounts...)) {
		t.Errorf("backup after the unlock lists %v", got)
	}

	// Turning them off (master password again) forgets the key.
	ap.Reload()
	ap.Fill("textbox", NameMasterPassword, newMaster)
	ap.Click("button", "Turn off automatic backups")
	ap.WaitText("Automatic backups are off.")
	ap.Find("button", NameTurnOnAuto)
}

// NameDrive is the accessible name of the Google Drive choice.
func NameDrive() string { return NameGoogleDrive }

// attachTarget drives a tab the test did not open (an auth window).
func (b *Browser) attachTarget(t *testing.T, match func(*target.Info) bool) *Page {
	t.Helper()
	in, err := b.waitTarget(match)
	if err != nil {
		t.Fatalf("no such tab: %v", err)
	}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(in.TargetID))
	p := &Page{b: b, t: t, ctx: ctx, cancel: cancel}
	if err := withWatchdog(func() error { return chromedp.Do(ctx) }); err != nil {
		t.Fatalf("attach: %v", err)
	}
	return p
}

// connectDrive clicks "Connect Google Drive" on the automatic backups page and "Allow" in
// the auth window the browser opens on the double's consent page.
func connectDrive(t *testing.T, b *Browser, ap *Page, g *GoogleDouble) {
	t.Helper()
	ap.Click("button", NameConnectDrive)
	auth := b.attachTarget(t, func(in *target.Info) bool { return in.Type == "page" && strings.HasPrefix(in.URL, g.URL+"/auth") })
	auth.Click("button", "Allow")
	ap.WaitText("Connected.")
}

// driveStatus is the Google Drive entry of AUTO_STATUS.
func driveStatus(t *testing.T, p *Page) (problem string, fix string) {
	t.Helper()
	st := send[struct {
		Destinations []struct {
			ID      string
			Problem *struct{ Fix, Message string }
		}
	}](t, p, "auto.status", map[string]any{})
	for _, d := range st.Destinations {
		if d.ID == "drive" && d.Problem != nil {
			return d.Problem.Message, d.Problem.Fix
		}
	}
	return "", ""
}

func TestAutoBackupGoogleDrive(t *testing.T) {
	g := StartGoogleDouble(t)
	ext := g.ExtensionCopy(t)
	b := StartBrowser(t, BrowserOptions{ExtDir: ext})
	p := seedVault(t, b, autoAccounts[0])
	ap := b.OpenExtensionPage(AutoPage)
	ap.WaitText("Set up automatic backups")
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"delaySeconds": 2})

	connectDrive(t, b, ap, g)
	if !checked(ap.Find("checkbox", NameGoogleDrive)) {
		t.Error("Google Drive is not ticked after connecting")
	}
	setUpAuto(t, ap)
	waitFor(t, "the first backup in Drive", func() bool { return len(g.Backups()) == 1 })
	if got := importWithCLI(t, g.Backups()[0].Body, autoPassword); !slices.Equal(got, want(autoAccounts[0])) {
		t.Errorf("first Drive backup lists %v", got)
	}
	if f := g.Backups()[0]; !autoName.MatchString(f.Name) || len(f.Parents) != 1 {
		t.Errorf("Drive file %q in %v: not a dated file in Codeward's folder", f.Name, f.Parents)
	}

	// 429, 503, then success: the change waits (badge and count stay, the problem is shown), and
	// lands after the retry.
	g.FailNext(429, 503)
	p.AddAccountByHand(autoAccounts[1].Secret, autoAccounts[1].Issuer, autoAccounts[1].Name)
	waitFor(t, "the injected 429 to be answered", func() bool { msg, _ := driveStatus(t, ap); return msg != "" })
	if msg, fix := driveStatus(t, ap); !strings.Contains(msg, "429") || fix != "retry" {
		t.Errorf("problem after a 429: %q (fix %q)", msg, fix)
	}
	if got := badge(p.Page); got != "1" {
		t.Errorf("badge %q while the backup has failed, want 1", got)
	}
	waitFor(t, "the retried backup in Drive", func() bool { return len(g.Backups()) == 2 })
	if got := importWithCLI(t, g.Backups()[1].Body, autoPassword); !slices.Equal(got, want(autoAccounts[:2]...)) {
		t.Errorf("retried Drive backup lists %v", got)
	}
	waitFor(t, "the badge to clear after Drive confirmed", func() bool { return badge(p.Page) == "" })

	// An expired access token: one refresh, and the backup still lands.
	g.ExpireAccessTokens()
	p.AddAccountByHand(autoAccounts[2].Secret, autoAccounts[2].Issuer, autoAccounts[2].Name)
	waitFor(t, "the backup after the token expired", func() bool { return len(g.Backups()) == 3 })
	if got := importWithCLI(t, g.Backups()[2].Body, autoPassword); !slices.Equal(got, want(autoAccounts[:3]...)) {
		t.Errorf("Drive backup after a refresh lists %v", got)
	}
	waitFor(t, "the badge to clear", func() bool { return badge(p.Page) == "" })

	pp := b.OpenPopup()
	pp.WaitState(StateUnlocked)
	pp.WaitText("Backed up just now to Google Drive")

	needles := keyNeedles(t, g.Backups()[2].Body)
	for i, tok := range g.RefreshTokens() {
		needles["refresh token "+string(rune('1'+i))] = tok
	}
	for k, v := range accountNeedles(autoAccounts[:3]...) {
		needles[k] = v
	}
	scanStorage(t, b, "unlocked, Drive connected", needles)

	// The grant revoked: the popup says "Reconnect Google Drive", the count stays, no file.
	g.RevokeAll()
	p.AddAccountByHand(autoAccounts[3].Secret, autoAccounts[3].Issuer, autoAccounts[3].Name)
	waitFor(t, "the revoked grant to be noticed", func() bool { _, fix := driveStatus(t, ap); return fix == "reconnect" })
	if got := badge(p.Page); got != "1" {
		t.Errorf("badge %q after a failed backup, want 1", got)
	}
	if n := len(g.Backups()); n != 3 {
		t.Errorf("%d backups in Drive after the revoke, want 3", n)
	}
	pp = b.OpenPopup()
	pp.WaitState(StateUnlocked)
	pp.WaitText("Automatic backup to Google Drive failed")
	pp.Find("button", "Reconnect Google Drive")
	pp.WaitText("1 account changed since your last backup")
	ap.Reload()
	ap.Find("button", "Reconnect Google Drive")

	// Reconnect: the waiting change lands.
	ap.Click("button", "Reconnect Google Drive")
	auth := b.attachTarget(t, func(in *target.Info) bool { return in.Type == "page" && strings.HasPrefix(in.URL, g.URL+"/auth") })
	auth.Click("button", "Allow")
	waitFor(t, "the backup after reconnecting", func() bool { return len(g.Backups()) == 4 })
	if got := importWithCLI(t, g.Backups()[3].Body, autoPassword); !slices.Equal(got, want(autoAccounts...)) {
		t.Errorf("Drive backup after reconnecting lists %v", got)
	}
	waitFor(t, "the badge to clear after reconnecting", func() bool { return badge(p.Page) == "" })

	// Keeping the newest 2: Back up now, and only Codeward's 2 newest files are left in Drive.
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"keep": 2})
	send[json.RawMessage](t, ap, "auto.run", map[string]any{})
	waitFor(t, "Drive to keep the newest 2", func() bool { return len(g.Backups()) == 2 })

	// Disconnect revokes the grant at Google and forgets it.
	ap.Reload()
	ap.Click("button", "Disconnect Google Drive")
	ap.WaitText("Not connected.")
	waitFor(t, "the grant to be revoked", func() bool { return g.Grants() == 0 })

	b.Close()

	// A brand-new install restores from the list of backups in Drive: connect, pick the
	// newest, backup password, new master password.
	b2 := StartBrowser(t, BrowserOptions{ExtDir: ext})
	rp := b2.OpenExtensionPage(BackupPage + "#restore")
	rp.Click("button", "Show backups in Google Drive")
	auth2 := b2.attachTarget(t, func(in *target.Info) bool { return in.Type == "page" && strings.HasPrefix(in.URL, g.URL+"/auth") })
	auth2.Click("button", "Allow")
	rp.WaitText("2 backups in Google Drive, newest first")
	radios := rp.FindAll("radio", "")
	if len(radios) != 2 || !strings.HasSuffix(radios[0].Name, "(newest)") {
		var names []string
		for _, r := range radios {
			names = append(names, r.Name)
		}
		t.Fatalf("Drive list: %q", names)
	}
	radios[0].Click()
	rp.Fill("textbox", NameBackupPassword, autoPassword)
	rp.Click("button", "Restore")
	rp.WaitText("it holds 4 accounts")
	rp.Fill("textbox", NameNewPassword, "a new master for this one")
	rp.Fill("textbox", NameConfirmPassword, "a new master for this one")
	rp.Click("button", "Create vault from backup")
	rp.WaitText("set up with the 4 accounts")
	p2 := b2.OpenPopup()
	p2.WaitState(StateUnlocked)
	for _, a := range autoAccounts {
		requireCode(t, p2, a.Secret, TOTPOpts{}, a.Issuer, a.Name)
	}
	// The connection made before the vault existed is kept in it, sealed.
	waitFor(t, "the new vault to keep the Drive connection", func() bool {
		st := send[struct {
			Destinations []struct {
				ID        string
				Connected bool
			}
		}](t, p2.Page, "auto.status", map[string]any{})
		for _, d := range st.Destinations {
			if d.ID == "drive" {
				return d.Connected
			}
		}
		return false
	})
	tokens := map[string]string{}
	for i, tok := range g.RefreshTokens() {
		tokens["refresh token "+string(rune('1'+i))] = tok
	}
	scanStorage(t, b2, "restored from Drive", tokens)
}
