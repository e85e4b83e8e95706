package backupserver_test

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"codeward.dev/internal/backupserver"
	"codeward.dev/internal/backupserver/workerdtest"
)

func TestHTTPInMemory(t *testing.T) {
	h := backupserver.New(backupserver.Config{
		Token: checkToken, MaxBytes: checkMaxBytes, Keep: checkKeep, AllowedOrigins: []string{checkOrigin},
	}, &backupserver.MemStore{})
	srv := httptest.NewServer(h)
	defer srv.Close()
	runChecks(t, srv.URL)
}

func TestHTTPInMemoryNotConfigured(t *testing.T) {
	for _, secret := range []string{"", "short", strings.Repeat("s", backupserver.MinTokenLength-1)} {
		srv := httptest.NewServer(backupserver.New(backupserver.Config{Token: secret}, &backupserver.MemStore{}))
		runNotConfigured(t, srv.URL, secret)
		srv.Close()
	}
}

// workerdWanted says whether to run the built Worker under workerd: `make test-server`
// (part of `make test`) sets CODEWARD_WORKERD=1 after building it.
func workerdWanted(t *testing.T) {
	if os.Getenv("CODEWARD_WORKERD") == "" && os.Getenv("CODEWARD_E2E") == "" {
		t.Skip("set CODEWARD_WORKERD=1 (make test-server) to run the built Worker under workerd")
	}
}

func TestWorkerd(t *testing.T) {
	workerdWanted(t)
	w, err := workerdtest.Start(t.TempDir(), workerdtest.Options{
		Token: checkToken, MaxBytes: checkMaxBytes, Keep: checkKeep, AllowedOrigins: checkOrigin,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	runChecks(t, w.URL)
	if t.Failed() {
		t.Logf("workerd log:\n%s", w.Log())
	}
}

func TestWorkerdNotConfigured(t *testing.T) {
	workerdWanted(t)
	for _, secret := range []string{"", strings.Repeat("s", backupserver.MinTokenLength-1)} {
		w, err := workerdtest.Start(t.TempDir(), workerdtest.Options{Token: secret})
		if err != nil {
			t.Fatal(err)
		}
		runNotConfigured(t, w.URL, secret)
		w.Stop()
	}
}
