package formatstest_test

import (
	"testing"

	"codeward.dev/internal/formats"
	ft "codeward.dev/internal/formats/formatstest"
)

// BenchmarkEncryptedImport prints what opening each app's encrypted fixture costs (the
// apps' own KDF settings: Aegis scrypt N=2^15 r=8, andOTP PBKDF2-SHA1 ~146k, 2FAS
// PBKDF2-SHA256 10k, Stratum Argon2id 64 MiB).
func BenchmarkEncryptedImport(b *testing.B) {
	for _, fx := range []struct{ format, file string }{
		{"aegis", "aegis_encrypted.json"},
		{"andotp", "andotp_encrypted.bin"},
		{"2fas", "2fas_authenticator_encrypted_v4.2fas"},
		{"stratum", "stratum_encrypted.bin"},
		{"stratum", "stratum_encrypted_legacy.bin"},
	} {
		b.Run(fx.file, func(b *testing.B) {
			data := ft.ReadPeer(b, "aegis", fx.file)
			f, _ := formats.Lookup(fx.format)
			for b.Loop() {
				if _, err := f.Importer.Import(data, []byte("test")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
