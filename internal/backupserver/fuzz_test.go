package backupserver_test

import (
	"bytes"
	"io"
	"net/http/httptest"
	"net/url"
	"testing"

	"codeward.dev/internal/backupserver"
)

// FuzzPut: whatever the name and body, the handler answers without panicking, and what
// it stores has a valid name and begins like a backup.
func FuzzPut(f *testing.F) {
	f.Add("codeward-backup-2026-12-06-04-55-12.json", []byte(`{"format":"codeward-backup","version":1}`))
	f.Add("../x.json", []byte(`{"format":"codeward-backup"}`))
	f.Add("a%2Fb.json", []byte(`{ "format" : "codeward-backup" , "x": 1}`))
	f.Add("x.json", []byte(`{"format":"codeward-backupx"}`))
	f.Fuzz(func(t *testing.T, name string, body []byte) {
		store := &backupserver.MemStore{}
		h := backupserver.New(backupserver.Config{Token: checkToken, MaxBytes: 4096, Keep: 2}, store)
		req := httptest.NewRequest("PUT", "/backups/x.json", io.NopCloser(bytes.NewReader(body)))
		req.URL = &url.URL{Path: "/backups/" + name}
		req.ContentLength = -1
		req.Header.Set("Authorization", "Bearer "+checkToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		objs, _ := store.List()
		for _, o := range objs {
			if !backupserver.ValidName(o.Name) {
				t.Errorf("stored under %q", o.Name)
			}
			_, rc, err := store.Get(o.Name)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			if !backupserver.LooksLikeBackup(data) || len(data) > 4096 {
				t.Errorf("stored %d bytes that are no backup: %q", len(data), data)
			}
		}
		if rec.Code == 201 && len(objs) != 1 {
			t.Errorf("201 but %d stored", len(objs))
		}
	})
}
