package otp

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"hash"
)

// Sequence computes the codes of one key at consecutive counters (TOTP and Steam time steps,
// or HOTP counters), keying its HMAC once.
//
// It exists for the extension's View, which holds codes for the coming minutes of every
// account: at 5,000 accounts that is 100,000 codes on each unlock, and Key.Code, which goes
// through github.com/pquerna/otp, builds a new HMAC from the secret as base32 text and
// formats with fmt for each one. A Sequence keeps the keyed HMAC (hmac.Reset restores
// the keyed state without hashing the key again) and writes the digits itself. Its codes
// are Key.Code's, which the tests check for every type, algorithm and length. A Sequence is
// for one goroutine at a time.
type Sequence struct {
	mac    hash.Hash
	steam  bool
	digits int
	sum    []byte
}

// NewSequence returns a Sequence for k after the checks Key.Code makes.
func NewSequence(k Key) (*Sequence, error) {
	if err := k.ValidateCode(); err != nil {
		return nil, err
	}
	h := sha1.New
	switch k.Algorithm {
	case SHA256:
		h = sha256.New
	case SHA512:
		h = sha512.New
	}
	mac := hmac.New(h, k.Secret)
	return &Sequence{mac: mac, steam: k.Type == Steam, digits: k.Digits, sum: make([]byte, 0, mac.Size())}, nil
}

// Append appends the code at counter to b: RFC 4226's dynamic truncation, then the value
// modulo 10^digits with leading zeros, or for Steam five characters of SteamAlphabet.
func (s *Sequence) Append(b []byte, counter uint64) []byte {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	s.mac.Reset()
	s.mac.Write(msg[:])
	sum := s.mac.Sum(s.sum[:0])
	off := sum[len(sum)-1] & 0xf
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	if s.steam {
		for range s.digits {
			b = append(b, SteamAlphabet[v%uint32(len(SteamAlphabet))])
			v /= uint32(len(SteamAlphabet))
		}
		return b
	}
	// v < 2^31 has at most 10 digits, so for 10 digits the modulo is v itself.
	n := len(b) + s.digits
	for range s.digits {
		b = append(b, 0)
	}
	for i := n - 1; i >= n-s.digits; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}
