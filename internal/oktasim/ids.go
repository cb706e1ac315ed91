package oktasim

import (
	"crypto/rand"
	"math/big"
)

const (
	base62Alphabet    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	base64URLAlphabet = base62Alphabet + "-_"

	// Real object ids are 20 characters: a 3-character prefix and 17
	// base62 characters (docs/okta-api-behaviour.md, R1 and R17).
	objectIDLength = 20
	// Real error ids are 25 characters from the base64url alphabet, e.g.
	// "oaeyge3FJs3QFO9EZCCx-T3gQ" (pysdk-004).
	errorIDLength = 25
)

// Prefixes of the ids a real org hands out (docs/okta-api-behaviour.md, R1,
// R17 and §2).
const (
	prefixDeviceAssurance = "dae"
	prefixPostureCheck    = "dch"
	prefixAccessPolicy    = "rst"
	prefixRule            = "rul"
	prefixUser            = "00u"
	prefixAPIToken        = "00T"
	prefixError           = "oae"
)

// newID returns a 20-character id with the given prefix and a base62 tail.
func newID(prefix string) string {
	return prefix + randomString(base62Alphabet, objectIDLength-len(prefix))
}

// newErrorID returns an error id like the ones in recorded error bodies.
func newErrorID() string {
	return prefixError + randomString(base64URLAlphabet, errorIDLength-len(prefixError))
}

// randomString draws n characters uniformly from alphabet.
func randomString(alphabet string, n int) string {
	max := big.NewInt(int64(len(alphabet)))
	out := make([]byte, n)
	for i := range out {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("oktasim: crypto/rand failed: " + err.Error())
		}
		out[i] = alphabet[v.Int64()]
	}
	return string(out)
}

// isBase62 reports whether s holds only base62 characters.
func isBase62(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}
