package backup

import (
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

func benchWrite(b *testing.B, kdf vault.KDFParams) {
	accounts := vaulttest.Many(500)
	var n int
	for b.Loop() {
		data, err := Write(accounts, pw, Options{KDF: kdf})
		if err != nil {
			b.Fatal(err)
		}
		n = len(data)
	}
	b.ReportMetric(float64(n), "file-bytes")
}

func benchRead(b *testing.B, kdf vault.KDFParams) {
	data, err := Write(vaulttest.Many(500), pw, Options{KDF: kdf})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Read(data, pw); err != nil {
			b.Fatal(err)
		}
	}
}

// With the default KDF, as the extension and the CLI write.
func BenchmarkWrite500(b *testing.B) { benchWrite(b, vault.DefaultKDF) }
func BenchmarkRead500(b *testing.B)  { benchRead(b, vault.DefaultKDF) }

// With a negligible KDF: the encoding and encryption alone.
func BenchmarkWrite500NoKDF(b *testing.B) { benchWrite(b, vaulttest.FastKDF) }
func BenchmarkRead500NoKDF(b *testing.B)  { benchRead(b, vaulttest.FastKDF) }
