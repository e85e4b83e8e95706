// Package all registers every import/export format: import it (blank) wherever the full
// set is needed — the CLI, the WebAssembly bridge. Each format package registers itself
// from its init function; add a line here for a new one.
package all

import (
	_ "codeward.dev/internal/formats/aegis"
	_ "codeward.dev/internal/formats/andotp"
	_ "codeward.dev/internal/formats/authext"
	_ "codeward.dev/internal/formats/bitwarden"
	_ "codeward.dev/internal/formats/codeward"
	_ "codeward.dev/internal/formats/ente"
	_ "codeward.dev/internal/formats/google"
	_ "codeward.dev/internal/formats/otpauth"
	_ "codeward.dev/internal/formats/stratum"
	_ "codeward.dev/internal/formats/twofas"
)
