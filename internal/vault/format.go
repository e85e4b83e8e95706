package vault

import (
	"fmt"
	"io"

	"codeward.dev/internal/seal"
	"codeward.dev/internal/strictjson"
)

// The sealed form; docs/vault-format.md is the normative description.
const (
	formatName    = "codeward-vault"
	formatVersion = 1
	slotPassword  = "password"
	wrappedSize   = len(DataKey{}) + seal.Overhead
)

// envelopeJSON is the envelope as read; marshal writes the same members in this order.
type envelopeJSON struct {
	Format  string     `json:"format"`
	Version int64      `json:"version"`
	Slots   []slotJSON `json:"slots"`
	Nonce   string     `json:"nonce"`
	Payload string     `json:"payload"`
}

type slotJSON struct {
	Type  string       `json:"type"`
	KDF   seal.KDFJSON `json:"kdf"`
	Check string       `json:"check"`
	Nonce string       `json:"nonce"`
	Key   string       `json:"key"`
}

type slot struct {
	kdf     KDFParams
	salt    []byte
	check   []byte
	nonce   []byte
	wrapped []byte
}

type sealed struct {
	slots   []slot
	nonce   []byte
	payload []byte
}

// parse reads and checks the envelope. The format and version are read first so that a
// newer file is reported as such rather than as damage; the KDF bounds are checked here,
// long before Argon2 could allocate anything.
func parse(blob []byte) (*sealed, error) {
	if len(blob) == 0 {
		return nil, fmt.Errorf("%w: empty vault", ErrCorrupt)
	}
	if len(blob) > MaxBlobSize {
		return nil, fmt.Errorf("%w: vault larger than %d MiB", ErrCorrupt, MaxBlobSize>>20)
	}
	format, version, err := seal.Head(blob, true)
	if err != nil {
		return nil, err
	}
	if format != formatName {
		return nil, fmt.Errorf("%w: not a Codeward vault", ErrCorrupt)
	}
	if version == nil {
		return nil, fmt.Errorf("%w: no version", ErrCorrupt)
	}
	if *version != formatVersion {
		return nil, fmt.Errorf("%w: vault version %d (this version reads %d)", ErrUnsupportedVersion, *version, formatVersion)
	}
	e, err := readEnvelope(blob)
	if err != nil {
		return nil, err
	}
	if len(e.Slots) != 1 {
		return nil, fmt.Errorf("%w: %d key slots (version 1 has exactly one)", ErrCorrupt, len(e.Slots))
	}
	s := &sealed{}
	for _, sj := range e.Slots {
		if sj.Type != slotPassword {
			return nil, fmt.Errorf("%w: unknown key slot type", ErrCorrupt)
		}
		p, salt, err := sj.KDF.Params()
		if err != nil {
			return nil, err
		}
		sl := slot{kdf: p, salt: salt}
		if sl.check, err = seal.DecodeField(sj.Check, "check", seal.CheckSize, seal.CheckSize); err != nil {
			return nil, err
		}
		if sl.nonce, err = seal.DecodeField(sj.Nonce, "slot nonce", seal.NonceSize, seal.NonceSize); err != nil {
			return nil, err
		}
		if sl.wrapped, err = seal.DecodeField(sj.Key, "wrapped key", wrappedSize, wrappedSize); err != nil {
			return nil, err
		}
		s.slots = append(s.slots, sl)
	}
	if s.nonce, err = seal.DecodeField(e.Nonce, "nonce", seal.NonceSize, seal.NonceSize); err != nil {
		return nil, err
	}
	if s.payload, err = seal.DecodeField(e.Payload, "payload", seal.Overhead, MaxBlobSize); err != nil {
		return nil, err
	}
	return s, nil
}

var envelopeNames = []string{"format", "version", "slots", "nonce", "payload"}
var slotNames = []string{"type", "kdf", "check", "nonce", "key"}

// readEnvelope reads the envelope strictly: every member of envelopeJSON, no other.
func readEnvelope(blob []byte) (*envelopeJSON, error) {
	var e envelopeJSON
	d := strictjson.NewDecoder(blob)
	d.Object(envelopeNames, func(i int, _ string) {
		switch i {
		case 0:
			e.Format = d.String()
		case 1:
			e.Version = d.Int(64)
		case 2:
			if d.IsNull() {
				d.Null()
				e.Slots = nil
				return
			}
			d.Array(func() {
				var sj slotJSON
				d.Object(slotNames, func(i int, _ string) {
					switch i {
					case 0:
						sj.Type = d.String()
					case 1:
						sj.KDF = seal.ReadKDF(d)
					case 2:
						sj.Check = d.String()
					case 3:
						sj.Nonce = d.String()
					case 4:
						sj.Key = d.String()
					}
				})
				e.Slots = append(e.Slots, sj)
			})
		case 3:
			e.Nonce = d.String()
		case 4:
			e.Payload = d.String()
		}
	})
	if err := d.End(); err != nil {
		return nil, seal.Corrupt(err)
	}
	return &e, nil
}

// marshal writes the envelope by hand: every value is a fixed name, a number or base64,
// none of which needs JSON escaping, and encoding/json's MarshalIndent spent most of
// Reseal's time re-scanning the payload string.
func (s *sealed) marshal() []byte {
	payload := seal.EncodeBase64(s.payload)
	b := make([]byte, 0, len(payload)+1024)
	b = fmt.Appendf(b, "{\n  \"format\": %q,\n  \"version\": %d,\n  \"slots\": [", formatName, formatVersion)
	for i, sl := range s.slots {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "\n    {\n      \"type\": %q,\n      \"kdf\": {\n        \"name\": %q,\n        \"memory\": %d,\n        \"time\": %d,\n        \"threads\": %d,\n        \"salt\": %q\n      },\n      \"check\": %q,\n      \"nonce\": %q,\n      \"key\": %q\n    }",
			slotPassword, seal.KDFArgon2id, sl.kdf.Memory, sl.kdf.Time, sl.kdf.Threads,
			seal.EncodeBase64(sl.salt), seal.EncodeBase64(sl.check), seal.EncodeBase64(sl.nonce), seal.EncodeBase64(sl.wrapped))
	}
	b = fmt.Appendf(b, "\n  ],\n  \"nonce\": %q,\n  \"payload\": \"", seal.EncodeBase64(s.nonce))
	b = append(b, payload...)
	return append(b, "\"\n}\n"...)
}

// slotAD is what a slot's wrap authenticates: the format, the version and the slot's own
// parameters, salt and check value.
func (sl *slot) slotAD(a *seal.AD) *seal.AD {
	return a.Line("slot", slotPassword).
		Line("kdf", seal.KDFArgon2id).
		Uint("memory", uint64(sl.kdf.Memory)).
		Uint("time", uint64(sl.kdf.Time)).
		Uint("threads", uint64(sl.kdf.Threads)).
		Line("salt", seal.EncodeBase64(sl.salt)).
		Line("check", seal.EncodeBase64(sl.check))
}

func (sl *slot) wrapAD() []byte {
	return sl.slotAD(seal.NewAD(formatName).Uint("version", formatVersion)).Bytes()
}

// payloadAD is the whole header: everything but the payload and its nonce (the nonce is
// an input of the AEAD, so it is authenticated anyway).
func (s *sealed) payloadAD() []byte {
	a := seal.NewAD(formatName).Uint("version", formatVersion)
	for i := range s.slots {
		sl := &s.slots[i]
		sl.slotAD(a).
			Line("nonce", seal.EncodeBase64(sl.nonce)).
			Line("key", seal.EncodeBase64(sl.wrapped))
	}
	return a.Bytes()
}

func newPasswordSlot(key *DataKey, password []byte, p KDFParams, rand io.Reader) (slot, error) {
	salt, err := seal.Random(rand, seal.SaltSize)
	if err != nil {
		return slot{}, err
	}
	nonce, err := seal.Random(rand, seal.NonceSize)
	if err != nil {
		return slot{}, err
	}
	kek, check, err := seal.Derive(password, salt, p)
	if err != nil {
		return slot{}, err
	}
	defer clear(kek[:])
	sl := slot{kdf: p, salt: salt, check: check[:], nonce: nonce}
	sl.wrapped = seal.Seal(&kek, nonce, key[:], sl.wrapAD())
	return sl, nil
}

func (sl *slot) unwrap(password []byte) (DataKey, error) {
	var key DataKey
	kek, check, err := seal.Derive(password, sl.salt, sl.kdf)
	if err != nil {
		return key, err
	}
	defer clear(kek[:])
	if !seal.CheckEqual(check[:], sl.check) {
		return key, ErrWrongPassword
	}
	k, err := seal.Open(&kek, sl.nonce, sl.wrapped, sl.wrapAD())
	if err != nil {
		return key, fmt.Errorf("key slot: %w", err)
	}
	copy(key[:], k)
	clear(k)
	return key, nil
}

func (s *sealed) seal(key *DataKey, plaintext []byte, rand io.Reader) error {
	nonce, err := seal.Random(rand, seal.NonceSize)
	if err != nil {
		return err
	}
	s.nonce = nonce
	s.payload = seal.Seal((*[32]byte)(key), nonce, plaintext, s.payloadAD())
	return nil
}

func (s *sealed) openRaw(key *DataKey) ([]byte, error) {
	pt, err := seal.Open((*[32]byte)(key), s.nonce, s.payload, s.payloadAD())
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	return pt, nil
}

func (s *sealed) open(key *DataKey) (*Vault, error) {
	pt, err := s.openRaw(key)
	if err != nil {
		return nil, err
	}
	return decodePayload(pt)
}
