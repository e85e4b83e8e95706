// Package twofas reads 2FAS Authenticator backups (.2fas, schema versions 1–4), plain and
// encrypted.
//
// An encrypted backup keeps its services in "servicesEncrypted" as three base64 fields
// joined by ':': ciphertext‖GCM tag, a salt and a 12-byte IV. The key is
// PBKDF2-HMAC-SHA256(password, salt, 10000 iterations, 32 bytes) and the cipher
// AES-256-GCM. Schema 1 and 2 backups have no token type (2FAS then knew only TOTP);
// schema 1 has no digits, period or algorithm either, so 2FAS' defaults (SHA1, 6, 30 s)
// apply.
package twofas

import (
	"cmp"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/strictjson"
	"codeward.dev/internal/vault"
)

func init() {
	formats.Register(formats.Format{
		Name:        "2fas",
		Description: "2FAS Authenticator backup (.2fas), plain or encrypted",
		Priority:    10,
		Importer:    Importer{},
	})
}

// ErrCorrupt is wrapped by errors about a file that is not a readable 2FAS backup.
var ErrCorrupt = errors.New("2fas: damaged or unsupported backup")

// iterations is fixed by 2FAS; it is not read from the file.
const iterations = 10000

// backup and service are what the reader takes from a backup, read by readBackup and
// readServiceJSON as encoding/json read them into these types (the tests compare).
type backup struct {
	Services          [][]byte `json:"services"`
	SchemaVersion     int      `json:"schemaVersion"`
	ServicesEncrypted string   `json:"servicesEncrypted"`
}

type service struct {
	Name   string     `json:"name"`
	Secret string     `json:"secret"`
	OTP    serviceOTP `json:"otp"`
}

type serviceOTP struct {
	Label     string  `json:"label"`
	Account   string  `json:"account"`
	Issuer    string  `json:"issuer"`
	Digits    *int    `json:"digits"`
	Period    *int    `json:"period"`
	Algorithm string  `json:"algorithm"`
	TokenType string  `json:"tokenType"`
	Counter   *uint64 `json:"counter"`
}

func readBackup(data []byte) (backup, error) {
	var b backup
	d := strictjson.NewLenientDecoder(data)
	d.Object([]string{"services", "schemaVersion", "servicesEncrypted"}, func(i int, _ string) {
		switch i {
		case 0:
			b.Services = d.Raws()
		case 1:
			d.IntTo(&b.SchemaVersion)
		case 2:
			d.StringTo(&b.ServicesEncrypted)
		}
	})
	return b, d.End()
}

var (
	serviceNames = []string{"name", "secret", "otp"}
	otpNames     = []string{"label", "account", "issuer", "digits", "period", "algorithm", "tokenType", "counter"}
)

func readServiceJSON(raw []byte) (service, error) {
	var s service
	d := strictjson.NewLenientDecoder(raw)
	d.Object(serviceNames, func(i int, _ string) {
		switch i {
		case 0:
			d.StringTo(&s.Name)
		case 1:
			d.StringTo(&s.Secret)
		case 2:
			o := &s.OTP
			d.Object(otpNames, func(i int, _ string) {
				switch i {
				case 0:
					d.StringTo(&o.Label)
				case 1:
					d.StringTo(&o.Account)
				case 2:
					d.StringTo(&o.Issuer)
				case 3:
					o.Digits = d.IntPtr()
				case 4:
					o.Period = d.IntPtr()
				case 5:
					d.StringTo(&o.Algorithm)
				case 6:
					d.StringTo(&o.TokenType)
				case 7:
					o.Counter = d.Uint64Ptr()
				}
			})
		}
	})
	return s, d.End()
}

// Importer reads 2FAS backups.
type Importer struct{}

// Detect reports whether data is a JSON object with 2FAS' services and schemaVersion.
func (Importer) Detect(data []byte) bool {
	return formats.HasMembers(data, "services", "schemaVersion")
}

// Encrypted reports whether the services are encrypted.
func (Importer) Encrypted(data []byte) bool {
	b, err := readBackup(data)
	return err == nil && b.ServicesEncrypted != ""
}

// Import reads a plain or encrypted backup.
func (Importer) Import(data, password []byte) (formats.Result, error) {
	b, err := readBackup(data)
	if err != nil {
		return formats.Result{}, fmt.Errorf("%w: not valid JSON", ErrCorrupt)
	}
	if b.SchemaVersion < 1 || b.SchemaVersion > 4 {
		return formats.Result{}, fmt.Errorf("%w: schema version %d (1–4 are known)", ErrCorrupt, b.SchemaVersion)
	}
	services := b.Services
	if b.ServicesEncrypted != "" {
		if password == nil {
			return formats.Result{}, formats.ErrPasswordRequired
		}
		plain, err := decrypt(b.ServicesEncrypted, password)
		if err != nil {
			return formats.Result{}, err
		}
		d := strictjson.NewLenientDecoder(plain)
		if services = d.Raws(); d.End() != nil {
			return formats.Result{}, fmt.Errorf("%w: decrypted services are not a JSON list", ErrCorrupt)
		}
	}
	res := formats.Collect(services, func(raw []byte) (vault.Account, string, error) {
		return readService(raw, b.SchemaVersion)
	})
	return res, formats.NoneRead(res, "2fas", "services")
}

func decrypt(field string, password []byte) ([]byte, error) {
	parts := strings.Split(field, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: servicesEncrypted does not have three parts", ErrCorrupt)
	}
	var bs [3][]byte
	for i, p := range parts {
		b, err := base64.StdEncoding.DecodeString(p)
		if err != nil {
			return nil, fmt.Errorf("%w: servicesEncrypted part %d is not base64", ErrCorrupt, i+1)
		}
		bs[i] = b
	}
	ct, salt, iv := bs[0], bs[1], bs[2]
	if len(iv) != 12 || len(salt) == 0 || len(ct) < 16 {
		return nil, fmt.Errorf("%w: bad salt, IV or ciphertext length", ErrCorrupt)
	}
	key, err := pbkdf2.Key(sha256.New, string(password), salt, iterations, 32)
	if err != nil {
		return nil, fmt.Errorf("2fas: %w", err)
	}
	plain, err := formats.OpenGCM(key, iv, ct)
	if err != nil {
		return nil, formats.WrongPassword("2fas")
	}
	return plain, nil
}

func readService(raw []byte, schema int) (vault.Account, string, error) {
	s, err := readServiceJSON(raw)
	if err != nil {
		return vault.Account{}, "", errors.New("malformed service")
	}
	k := otp.Key{Issuer: s.Name, Name: s.OTP.Account}
	if k.Issuer == "" {
		k.Issuer = s.OTP.Issuer
	}
	if k.Name == "" {
		k.Name = s.OTP.Label
		for _, prefix := range []string{s.OTP.Issuer, s.Name} {
			if rest, ok := strings.CutPrefix(k.Name, prefix+":"); ok && prefix != "" {
				k.Name = strings.TrimSpace(rest)
				break
			}
		}
	}
	label := formats.Label(k.Issuer, k.Name)

	switch tt := strings.ToUpper(s.OTP.TokenType); {
	case tt == "" && schema < 3, tt == "TOTP":
		k.Type = otp.TOTP
	case tt == "HOTP":
		k.Type = otp.HOTP
	case tt == "STEAM":
		k.Type = otp.Steam
	default:
		return vault.Account{}, label, fmt.Errorf("token type %q is not supported", s.OTP.TokenType)
	}
	if k.Secret, err = otp.ParseSecret(s.Secret); err != nil {
		return vault.Account{}, label, formats.BadSecret("the secret is not valid base32")
	}
	// Schema 1 files have no algorithm: 2FAS then knew only SHA1.
	if k.Algorithm, err = formats.Algorithm(cmp.Or(s.OTP.Algorithm, "SHA1")); err != nil {
		return vault.Account{}, label, err
	}
	k.Digits, k.Period = 6, 30 // 2FAS' defaults when a field is absent
	if k.Type == otp.Steam {
		k.Digits = 5
	}
	if s.OTP.Digits != nil {
		k.Digits = *s.OTP.Digits
	}
	if s.OTP.Period != nil {
		k.Period = *s.OTP.Period
	}
	if k.Type == otp.HOTP {
		if s.OTP.Counter == nil {
			return vault.Account{}, label, errors.New("HOTP service without a counter")
		}
		k.Counter, k.Period = *s.OTP.Counter, 0
	}
	if err := k.Validate(); err != nil {
		return vault.Account{}, label, err
	}
	return vault.AccountFromKey(k), label, nil
}
