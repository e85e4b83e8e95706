package vault

import (
	"time"

	"codeward.dev/internal/otp"
)

// Account is one entry of the vault, as stored sealed and as carried in backups.
// Secret is base32 (upper case, no padding) so that the JSON stays readable to a person
// who has legitimately decrypted it.
type Account struct {
	ID        string        `json:"id"`
	Type      otp.Type      `json:"type"`
	Issuer    string        `json:"issuer,omitempty"`
	Name      string        `json:"name"`
	Secret    string        `json:"secret"`
	Algorithm otp.Algorithm `json:"algorithm"`
	Digits    int           `json:"digits"`
	Period    int           `json:"period,omitempty"`  // TOTP and Steam
	Counter   uint64        `json:"counter,omitempty"` // HOTP
	Sites     []string      `json:"sites,omitempty"`   // registrable domains (or host:port for IPs and localhost) autofill may use
	Note      string        `json:"note,omitempty"`
	Order     int           `json:"order"`
	Created   time.Time     `json:"created"`
	Updated   time.Time     `json:"updated"`
}
