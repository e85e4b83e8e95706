package vault_test

import (
	"testing"

	"codeward.dev/internal/vault"
	"codeward.dev/internal/vault/vaulttest"
)

func bench500(b *testing.B) ([]byte, vault.DataKey, *vault.Vault) {
	v := &vault.Vault{Accounts: vaulttest.Many(500)}
	blob, key, err := vault.Create(v, pw, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		b.Fatal(err)
	}
	return blob, key, v
}

// Reseal is what the extension runs on every write: verify the key, seal a new payload.
func BenchmarkReseal500(b *testing.B) {
	blob, key, v := bench500(b)
	for b.Loop() {
		if _, err := vault.Reseal(blob, key, v, vault.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(blob)), "blob-bytes")
}

// Open with the data key held while unlocked.
func BenchmarkOpen500(b *testing.B) {
	blob, key, _ := bench500(b)
	for b.Loop() {
		if _, err := vault.Open(blob, key); err != nil {
			b.Fatal(err)
		}
	}
}

// Unlock at the default KDF parameters: Argon2id dominates.
func BenchmarkUnlockDefaultKDF500(b *testing.B) {
	v := &vault.Vault{Accounts: vaulttest.Many(500)}
	blob, _, err := vault.Create(v, pw, vault.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := vault.Unlock(blob, pw); err != nil {
			b.Fatal(err)
		}
	}
}

// The same at 10,000 accounts (about 3.7 MB sealed), the largest vault the extension's
// View is sized for: JSON and validation, not crypto, are what grows.
func bench10000(b *testing.B) ([]byte, vault.DataKey, *vault.Vault) {
	v := &vault.Vault{Accounts: vaulttest.Many(10000)}
	blob, key, err := vault.Create(v, pw, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		b.Fatal(err)
	}
	return blob, key, v
}

func BenchmarkOpen10000(b *testing.B) {
	blob, key, _ := bench10000(b)
	for b.Loop() {
		if _, err := vault.Open(blob, key); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(blob)), "blob-bytes")
}

func BenchmarkReseal10000(b *testing.B) {
	blob, key, v := bench10000(b)
	for b.Loop() {
		if _, err := vault.Reseal(blob, key, v, vault.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
