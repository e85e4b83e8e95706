package seal

import "crypto/rand"

var cryptoRand = rand.Reader
