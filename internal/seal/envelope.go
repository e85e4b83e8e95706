package seal

import "fmt"

// KDFArgon2id is the only key derivation function name either format knows.
const KDFArgon2id = "argon2id"

// KDFJSON is the "kdf" object the vault's key slots and the backup envelope both carry.
type KDFJSON struct {
	Name    string `json:"name"`
	Memory  uint64 `json:"memory"`
	Time    uint64 `json:"time"`
	Threads uint64 `json:"threads"`
	Salt    string `json:"salt"`
}

// Params checks the object as read and returns its parameters and salt: the bounds are
// checked here, long before Argon2 could allocate anything for them.
func (k *KDFJSON) Params() (KDFParams, []byte, error) {
	if k.Name != KDFArgon2id {
		return KDFParams{}, nil, fmt.Errorf("%w: unknown key derivation function", ErrCorrupt)
	}
	p, err := CheckWide(k.Memory, k.Time, k.Threads)
	if err != nil {
		return KDFParams{}, nil, err
	}
	salt, err := DecodeField(k.Salt, "salt", MinSaltSize, MaxSaltSize)
	if err != nil {
		return KDFParams{}, nil, err
	}
	return p, salt, nil
}

// DecodeField decodes the base64 envelope member name and checks that it holds min…max
// bytes; the error names the member, never its value.
func DecodeField(s, name string, min, max int) ([]byte, error) {
	b, err := DecodeBase64(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(b) < min || len(b) > max {
		return nil, fmt.Errorf("%w: %s of %d bytes", ErrCorrupt, name, len(b))
	}
	return b, nil
}
