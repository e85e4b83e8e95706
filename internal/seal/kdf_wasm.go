//go:build js && wasm

package seal

import "codeward.dev/internal/argon2id"

// idKey is Argon2id. In WebAssembly x/crypto's argon2 runs its portable code; internal/argon2id
// computes the same output in about half the time there, which is most of an unlock.
func idKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	return argon2id.IDKey(password, salt, time, memory, threads, keyLen)
}
