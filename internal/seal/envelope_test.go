package seal

import (
	"errors"
	"testing"
)

func TestKDFJSONParams(t *testing.T) {
	salt := EncodeBase64(make([]byte, SaltSize))
	for _, tc := range []struct {
		name string
		k    KDFJSON
		want error
	}{
		{"ok", KDFJSON{KDFArgon2id, 64, 1, 1, salt}, nil},
		{"unknown function", KDFJSON{"scrypt", 64, 1, 1, salt}, ErrCorrupt},
		{"memory over uint32", KDFJSON{KDFArgon2id, 1 << 33, 1, 1, salt}, ErrKDFParams},
		{"time 0", KDFJSON{KDFArgon2id, 64, 0, 1, salt}, ErrKDFParams},
		{"salt not base64", KDFJSON{KDFArgon2id, 64, 1, 1, "!!"}, ErrCorrupt},
		{"salt too short", KDFJSON{KDFArgon2id, 64, 1, 1, EncodeBase64(make([]byte, MinSaltSize-1))}, ErrCorrupt},
		{"salt too long", KDFJSON{KDFArgon2id, 64, 1, 1, EncodeBase64(make([]byte, MaxSaltSize+1))}, ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, s, err := tc.k.Params()
			if !errors.Is(err, tc.want) {
				t.Fatalf("Params = %v, want %v", err, tc.want)
			}
			if err == nil && (p != KDFParams{Memory: 64, Time: 1, Threads: 1} || len(s) != SaltSize) {
				t.Errorf("Params = %+v, %d-byte salt", p, len(s))
			}
		})
	}
}
