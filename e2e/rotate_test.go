package e2e

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"codeward.dev/internal/vault"
)

// storedBlobs reads the two stored generations ("vault", "vault.prev") as sealed blobs.
func storedBlobs(t *testing.T, b *Browser) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, raw := range b.Storage("local") {
		if name != "vault" && name != "vault.prev" {
			continue
		}
		var rec struct{ Blob string }
		if err := json.Unmarshal(raw, &rec); err != nil || rec.Blob == "" {
			t.Fatalf("storage.local %q is not a vault record: %v", name, err)
		}
		blob, err := base64.StdEncoding.DecodeString(rec.Blob)
		if err != nil {
			t.Fatalf("storage.local %q: %v", name, err)
		}
		out[name] = blob
	}
	return out
}

func sessionKey(t *testing.T, b *Browser) string {
	t.Helper()
	var key string
	if err := json.Unmarshal(b.Storage("session")["key"], &key); err != nil || key == "" {
		t.Fatalf("no data key in storage.session: %v", err)
	}
	return key
}

// TestChangePasswordRotatesKey changes the master password in the popup's settings and
// checks what an attacker holding the old password and an old copy of the stored vault
// (which the browser's storage files may keep) gets: a key that opens neither stored
// generation, nor anything written after the change.
func TestChangePasswordRotatesKey(t *testing.T) {
	const newPassword = "a different master password 7"
	b, p := newVault(t)
	p.AddAccountByHand(handSecretTyped, handIssuer, handName)
	oldKey := sessionKey(t, b)
	oldCopy := storedBlobs(t, b)["vault"]

	p.Click("button", "Menu")
	p.Click("button", "Settings")
	p.Fill("textbox", "Current master password", password)
	p.Fill("textbox", "New master password", newPassword)
	p.Fill("textbox", "Confirm new master password", newPassword)
	p.Click("button", "Change password")
	p.WaitText("Master password changed")
	p.Close()

	// An account added after the change, by a worker that reopened the vault with the key
	// it keeps in storage.session.
	b.StopServiceWorker()
	p = b.OpenPopup()
	p.AddAccountURI(testURI, uriIssuer, uriName)
	p.WaitListItems(2)

	newKey := sessionKey(t, b)
	if newKey == oldKey {
		t.Fatal("the data key in storage.session did not change with the master password")
	}
	_, leaked, err := vault.Unlock(oldCopy, []byte(password))
	if err != nil {
		t.Fatalf("the old copy no longer opens with the old password: %v", err)
	}
	if base64.StdEncoding.EncodeToString(leaked[:]) != oldKey {
		t.Fatal("the old copy holds another key than the session held")
	}
	stored := storedBlobs(t, b)
	if len(stored) != 2 {
		t.Fatalf("want both generations stored, have %d", len(stored))
	}
	for name, blob := range stored {
		if _, err := vault.Open(blob, leaked); !errors.Is(err, vault.ErrCorrupt) {
			t.Errorf("%s opens with the data key from before the change: %v", name, err)
		}
		if _, _, err := vault.Unlock(blob, []byte(password)); !errors.Is(err, vault.ErrWrongPassword) {
			t.Errorf("%s with the old password: %v, want wrong password", name, err)
		}
	}
	got, key, err := vault.Unlock(stored["vault"], []byte(newPassword))
	if err != nil {
		t.Fatalf("the new password does not open the stored vault: %v", err)
	}
	if base64.StdEncoding.EncodeToString(key[:]) != newKey {
		t.Error("the session holds another key than the new password unlocks")
	}
	if len(got.Accounts) != 2 {
		t.Errorf("the stored vault holds %d accounts, want 2", len(got.Accounts))
	}

	// And the person sees the same: old password refused, new one opens both accounts.
	p.Lock()
	if alert := p.UnlockWrong(password); alert == "" {
		t.Error("old password: no alert")
	}
	p.Unlock(newPassword)
	requireCode(t, p, handSecret, handOpts, handIssuer, handName)
	requireCode(t, p, uriSecret, uriOpts, uriIssuer, uriName)
}
