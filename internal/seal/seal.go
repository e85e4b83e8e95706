// Package seal holds the cryptography shared by the vault and the backup file: Argon2id
// with bounded parameters, XChaCha20-Poly1305, strict base64, and the line-based
// associated-data text both formats authenticate their headers with.
//
// Both formats derive 64 bytes from a password with Argon2id: the first 32 are the
// key-encryption key, the last 32 a check value stored in the clear. The check value lets a
// reader say "wrong password" apart from "damaged file" without weakening anything: testing
// a guess against it costs a full Argon2id run, exactly as testing it against the ciphertext
// would.
package seal

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sentinel errors. The vault package re-exports them; the backup package wraps them.
var (
	ErrWrongPassword      = errors.New("wrong password")
	ErrCorrupt            = errors.New("the data is damaged or not in the expected format")
	ErrUnsupportedVersion = errors.New("unsupported format version")
	ErrKDFParams          = errors.New("key derivation parameters out of bounds")
)

const (
	KeySize   = chacha20poly1305.KeySize    // 32
	NonceSize = chacha20poly1305.NonceSizeX // 24
	Overhead  = chacha20poly1305.Overhead   // 16
	CheckSize = 32
	SaltSize  = 16 // what writers use
	// Readers accept salts of MinSaltSize…MaxSaltSize bytes.
	MinSaltSize = 16
	MaxSaltSize = 64
)

// KDF bounds, checked before Argon2id allocates anything. The upper bounds keep a crafted
// file from making a reader allocate more than 1 GiB (which a browser's WebAssembly heap
// would keep forever) or spin for minutes. The lower bounds are Argon2's own minimums:
// weak parameters in a file only weaken that file, and tests and fuzzing need cheap ones.
const (
	MinMemory  = 8       // KiB per thread (Argon2 requires m ≥ 8·p)
	MaxMemory  = 1 << 20 // KiB = 1 GiB
	MinTime    = 1
	MaxTime    = 10
	MinThreads = 1
	MaxThreads = 16
)

// Tighter bounds for a file that comes from elsewhere (a backup being restored or
// imported): whoever made it chooses what reading it costs, and a reader in a browser
// keeps the memory Argon2id takes. 256 MiB, and at most 1 GiB of memory passes in all
// (memory × time: about two seconds in a browser, ten times the default's cost). Codeward's
// own writers stay within them (the default is 64 MiB × 3).
const (
	MaxFileMemory = 256 << 10 // KiB = 256 MiB
	MaxFileCost   = 1 << 20   // KiB × passes = 1 GiB·pass
)

// KDFParams are Argon2id's cost parameters.
type KDFParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
}

// DefaultKDF is what writers use when no parameters are given: 64 MiB, 3 passes, 4 lanes.
var DefaultKDF = KDFParams{Memory: 64 * 1024, Time: 3, Threads: 4}

// Check reports whether p is within the bounds every reader and writer enforces.
func (p KDFParams) Check() error {
	switch {
	case p.Threads < MinThreads || p.Threads > MaxThreads:
		return fmt.Errorf("%w: threads %d not in %d…%d", ErrKDFParams, p.Threads, MinThreads, MaxThreads)
	case p.Time < MinTime || p.Time > MaxTime:
		return fmt.Errorf("%w: time %d not in %d…%d", ErrKDFParams, p.Time, MinTime, MaxTime)
	case p.Memory < MinMemory*uint32(p.Threads) || p.Memory > MaxMemory:
		return fmt.Errorf("%w: memory %d KiB not in %d…%d", ErrKDFParams, p.Memory, MinMemory*uint32(p.Threads), MaxMemory)
	}
	return nil
}

// CheckFile is Check with the tighter bounds for a file from elsewhere. The error names the
// parameters the file asks for and the limits, so a person can tell what was refused.
func (p KDFParams) CheckFile() error {
	if err := p.Check(); err != nil {
		return err
	}
	if p.Memory > MaxFileMemory || uint64(p.Memory)*uint64(p.Time) > MaxFileCost {
		return fmt.Errorf("%w: the file asks for Argon2id with %s of memory, %d passes and %d lanes; Codeward reads files that ask for at most %s and %s in all (memory × passes)",
			ErrKDFParams, kib(uint64(p.Memory)), p.Time, p.Threads, kib(MaxFileMemory), kib(MaxFileCost))
	}
	return nil
}

// kib writes a size in KiB as MiB or GiB when it is a whole number of them.
func kib(n uint64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d GiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d MiB", n>>10)
	}
	return fmt.Sprintf("%d KiB", n)
}

// CheckWide is Check for values read from a file as wider integers, so that a value that
// would not even fit the field is reported as out of bounds rather than truncated.
func CheckWide(memory, time, threads uint64) (KDFParams, error) {
	if memory > MaxMemory || time > MaxTime || threads > MaxThreads {
		return KDFParams{}, fmt.Errorf("%w: memory %d KiB, time %d, threads %d", ErrKDFParams, memory, time, threads)
	}
	p := KDFParams{Memory: uint32(memory), Time: uint32(time), Threads: uint8(threads)}
	return p, p.Check()
}

// Derive runs Argon2id and returns the key-encryption key and the check value. It checks
// p and the salt length first, so nothing is allocated for out-of-bounds parameters.
func Derive(password, salt []byte, p KDFParams) (key [KeySize]byte, check [CheckSize]byte, err error) {
	if err := p.Check(); err != nil {
		return key, check, err
	}
	if len(salt) < MinSaltSize || len(salt) > MaxSaltSize {
		return key, check, fmt.Errorf("%w: salt of %d bytes", ErrCorrupt, len(salt))
	}
	out := idKey(password, salt, p.Time, p.Memory, p.Threads, KeySize+CheckSize)
	copy(key[:], out[:KeySize])
	copy(check[:], out[KeySize:])
	clear(out)
	return key, check, nil
}

// CheckEqual compares check values in constant time.
func CheckEqual(a, b []byte) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare(a, b) == 1
}

// Seal encrypts plaintext with XChaCha20-Poly1305.
func Seal(key *[KeySize]byte, nonce, plaintext, ad []byte) []byte {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		panic("seal: " + err.Error()) // only on a wrong key size, which the type rules out
	}
	return aead.Seal(nil, nonce, plaintext, ad)
}

// Open decrypts and authenticates; any failure is reported as ErrCorrupt and the caller
// decides whether it means a wrong password.
func Open(key *[KeySize]byte, nonce, ciphertext, ad []byte) ([]byte, error) {
	if len(nonce) != NonceSize {
		return nil, fmt.Errorf("%w: nonce of %d bytes", ErrCorrupt, len(nonce))
	}
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		panic("seal: " + err.Error())
	}
	pt, err := aead.Open(nil, nonce, ciphertext, ad)
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed", ErrCorrupt)
	}
	return pt, nil
}

// Random reads n bytes from r (crypto/rand when r is nil).
func Random(r io.Reader, n int) ([]byte, error) {
	if r == nil {
		r = cryptoRand
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("reading random bytes: %w", err)
	}
	return b, nil
}

// EncodeBase64 is standard base64 with padding (RFC 4648 §4).
func EncodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// DecodeBase64 accepts only the canonical encoding: standard alphabet, padding, no line
// breaks, zero trailing bits. Each byte string thus has exactly one spelling, so the
// associated data rebuilt from decoded values matches what the writer authenticated.
func DecodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	// Strict mode still skips '\r' and '\n'; they would make s longer than the canonical
	// encoding of b.
	if err != nil || len(s) != base64.StdEncoding.EncodedLen(len(b)) {
		return nil, fmt.Errorf("%w: invalid base64", ErrCorrupt)
	}
	return b, nil
}

// AD builds associated data as "name: value\n" lines after a first line holding the format
// name. Values must not contain line breaks; callers only pass names, decimal numbers,
// base64 and texts they have checked.
type AD struct{ b strings.Builder }

// NewAD starts associated data with the format name line.
func NewAD(format string) *AD {
	a := &AD{}
	a.b.WriteString(format)
	a.b.WriteByte('\n')
	return a
}

// Line appends "name: value\n".
func (a *AD) Line(name, value string) *AD {
	if strings.ContainsAny(value, "\r\n") || strings.ContainsAny(name, "\r\n:") {
		panic("seal: line break in associated data")
	}
	a.b.WriteString(name)
	a.b.WriteString(": ")
	a.b.WriteString(value)
	a.b.WriteByte('\n')
	return a
}

// Uint appends a decimal number line.
func (a *AD) Uint(name string, v uint64) *AD { return a.Line(name, strconv.FormatUint(v, 10)) }

// Bytes returns the associated data.
func (a *AD) Bytes() []byte { return []byte(a.b.String()) }
