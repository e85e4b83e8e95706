//go:build !(js && wasm)

package seal

import "golang.org/x/crypto/argon2"

// idKey is Argon2id: natively x/crypto's, with its assembly and a goroutine per lane.
func idKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	return argon2.IDKey(password, salt, time, memory, threads, keyLen)
}
