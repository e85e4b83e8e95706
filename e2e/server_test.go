package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"codeward.dev/internal/backupserver/workerdtest"
)

// "Your own server": the extension connected to the built backup-server Worker running
// under workerd (Cloudflare's runtime) on 127.0.0.1. The test build holds host access to
// 127.0.0.1, standing in for the person's "Allow" (a permission prompt cannot be answered
// headless); the page still asks, and the browser answers at once.

const (
	NameOwnServer      = "Your own server"
	NameConnection     = "Connection string"
	NameConnectServer  = "Connect your server"
	NameShowServerList = "Show the server's backups"
	serverToken        = "e2e-token-4f1c9a7b2d8e6f3a5c0b9d1e7a2f4c6b"
)

// serverBackups lists the server's backups as the server itself reports them.
func serverBackups(t *testing.T, w *workerdtest.Worker) []string {
	t.Helper()
	var l struct{ Backups []struct{ Name string } }
	getJSON(t, w.URL+"/backups", &l)
	var out []string
	for _, b := range l.Backups {
		out = append(out, b.Name)
	}
	return out
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	body := serverGet(t, url)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, body)
	}
}

func serverGet(t *testing.T, url string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+serverToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	return body
}

// serverProblem is what the automatic backups page says about the server after a reload.
func serverProblem(ap *Page) string {
	ap.Reload()
	ap.WaitText("Where the backups go")
	for _, line := range strings.Split(ap.Text(), "\n") {
		if strings.HasPrefix(line, NameOwnServer+": the last backup failed") {
			return line
		}
	}
	return ""
}

func TestOwnServerBackups(t *testing.T) {
	RequireE2E(t)
	w, err := workerdtest.Start(t.TempDir(), workerdtest.Options{Token: serverToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	connection := w.URL + "/#" + serverToken
	ext := CopyExtension(t, WithHostPermissions("http://127.0.0.1/*"))

	b := StartBrowser(t, BrowserOptions{ExtDir: ext})
	p := seedVault(t, b, autoAccounts[0])
	ap := b.OpenExtensionPage(AutoPage)
	ap.WaitText("Set up automatic backups")
	send[json.RawMessage](t, ap, "auto.config", map[string]any{"delaySeconds": 2})

	// A wrong token: said plainly, nothing kept, nothing stored.
	ap.Fill("textbox", NameConnection, w.URL+"/#"+strings.Repeat("w", 40))
	ap.Click("button", NameConnectServer)
	if msg := ap.WaitAlert(); !strings.Contains(msg, "refused the token") {
		t.Errorf("wrong token: the page says %q", msg)
	}
	ap.WaitText("Not connected.")
	// A wrong address: something answers, but not a backup server.
	other := Serve(t, http.NotFoundHandler())
	ap.Fill("textbox", NameConnection, other.URL+"/#"+serverToken)
	ap.Click("button", NameConnectServer)
	ap.WaitText("not a Codeward backup server")

	// A server without its TOKEN secret refuses everything, and the page says how to fix it.
	bare, err := workerdtest.Start(t.TempDir(), workerdtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ap.Fill("textbox", NameConnection, bare.URL+"/#"+serverToken)
	ap.Click("button", NameConnectServer)
	ap.WaitText("server is not set up yet")
	bare.Stop()

	ap.Fill("textbox", NameConnection, connection)
	ap.Click("button", NameConnectServer)
	ap.WaitText("Connected.")
	// Connected: the field is gone and the token shown nowhere.
	ap.WaitGone("textbox", NameConnection)
	if strings.Contains(ap.Text(), serverToken) || strings.Contains(Eval[string](ap, `document.documentElement.outerHTML`), serverToken) {
		t.Error("the page still shows the token")
	}
	// Connecting ticks the destination, as connecting Google Drive does.
	if !checked(ap.Find("checkbox", NameOwnServer)) {
		t.Error("the server is not ticked after connecting")
	}
	setUpAuto(t, ap)

	waitFor(t, "the first backup on the server", func() bool { return len(serverBackups(t, w)) == 1 })
	name := serverBackups(t, w)[0]
	if !autoName.MatchString(name) {
		t.Errorf("the server holds %q", name)
	}
	if got := importWithCLI(t, serverGet(t, w.URL+"/backups/"+name), autoPassword); !slices.Equal(got, want(autoAccounts[0])) {
		t.Errorf("the server's backup lists %v", got)
	}
	waitFor(t, "the badge to clear", func() bool { return badge(p.Page) == "" })

	// The token is kept sealed: not in storage, not in anything a page receives.
	scanStorage(t, b, "connected", map[string]string{"server token": serverToken})
	for _, kind := range []string{"settings.get", "accounts.view", "auto.status"} {
		if raw := string(send[json.RawMessage](t, ap, kind, map[string]any{})); strings.Contains(raw, serverToken) {
			t.Errorf("%s reply holds the server token", kind)
		}
	}

	// The server goes down: the change waits (badge), the page says why, and the backup is
	// made once the server is back (an empty store: workerd keeps it in memory).
	w.Stop()
	p.AddAccountByHand(autoAccounts[1].Secret, autoAccounts[1].Issuer, autoAccounts[1].Name)
	waitFor(t, "the failure to show", func() bool { return strings.Contains(serverProblem(ap), "could not reach your server") })
	if got := badge(p.Page); got != "1" {
		t.Errorf("badge while the server is down = %q, want 1", got)
	}
	if err := w.Restart(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the backup after the server is back", func() bool { return len(serverBackups(t, w)) == 1 })
	name = serverBackups(t, w)[0]
	if got := importWithCLI(t, serverGet(t, w.URL+"/backups/"+name), autoPassword); !slices.Equal(got, want(autoAccounts[:2]...)) {
		t.Errorf("the backup after the outage lists %v", got)
	}
	waitFor(t, "the badge to clear after the outage", func() bool { return badge(p.Page) == "" })
	waitFor(t, "the notice to go", func() bool { return serverProblem(ap) == "" })

	// Without host access to the server (the product build before the person allows it),
	// the background refuses to connect and says why.
	plain := StartBrowser(t, BrowserOptions{})
	pp := plain.OpenExtensionPage("extension/backup/backup.html#restore")
	reply := Eval[string](pp, `chrome.runtime.sendMessage({kind: "auto.connectFinish", payload: {dest: "server", connection: `+mustJSON(connection)+`}}).then((r) => r.ok ? "connected" : r.error.message)`)
	if !strings.Contains(reply, "no access to "+w.URL) {
		t.Errorf("connecting without host access: %q", reply)
	}
	plain.Close()

	// A brand-new profile restores from the server's list.
	b2 := StartBrowser(t, BrowserOptions{ExtDir: ext})
	rp := b2.OpenExtensionPage("extension/backup/backup.html#restore")
	rp.WaitText("From your own server")
	rp.Fill("textbox", NameConnection, connection)
	rp.Click("button", NameShowServerList)
	rp.WaitText("Your server holds 1 backup")
	items := rp.Find("list", "Backups on your server").Query("button", "")
	if len(items) != 1 {
		t.Fatalf("the server's list shows %d backups", len(items))
	}
	items[0].Click()
	rp.Fill("textbox", NameBackupPassword, autoPassword)
	rp.Click("button", "Restore")
	rp.WaitText("What this backup holds")
	rp.Fill("textbox", "New master password", bkMaster)
	rp.Fill("textbox", "Confirm master password", bkMaster)
	rp.Click("button", "Create vault from backup")
	rp.WaitText("Codeward is set up with the 2 accounts from the backup")
	p2 := b2.OpenPopup()
	for _, a := range autoAccounts[:2] {
		p2.WaitAccount(a.Issuer)
	}
}
