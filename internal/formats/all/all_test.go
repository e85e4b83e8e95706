package all

import (
	"testing"

	"codeward.dev/internal/formats"
)

func TestRegistry(t *testing.T) {
	all := formats.All()
	if len(all) == 0 {
		t.Fatal("no formats registered")
	}
	for i, f := range all {
		if f.Name == "" || f.Description == "" {
			t.Errorf("format %d has no name or description: %+v", i, f)
		}
		if f.Importer == nil && f.Exporter == nil {
			t.Errorf("format %s neither imports nor exports", f.Name)
		}
	}
	// A plain list of URIs must not be claimed by a more specific format.
	f, err := formats.Detect([]byte("otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n"))
	if err != nil || f.Name != "otpauth" {
		t.Errorf("an otpauth text file is detected as %q (%v)", f.Name, err)
	}
	if _, err := formats.Detect(make([]byte, 1024)); err == nil {
		t.Error("1 KiB of zeros is detected as a format")
	}
}
