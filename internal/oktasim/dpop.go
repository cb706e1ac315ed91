package oktasim

import (
	"crypto"
	"encoding/base64"
	"errors"
	"net/url"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// parseDPoPProof verifies a DPoP proof's form and signature against the
// public key in its own "jwk" header, and its htm, htu, iat and jti. It
// returns the claims and the key's SHA-256 JWK thumbprint.
func parseDPoPProof(proof, method, targetURL string, now time.Time) (dpopClaims, string, error) {
	var claims dpopClaims
	tok, err := jwt.ParseSigned(proof, signingAlgorithms)
	if err != nil || len(tok.Headers) != 1 {
		return claims, "", errors.New("the DPoP proof is not a JWT signed with RS256 or ES256")
	}
	header := tok.Headers[0]
	if typ, _ := header.ExtraHeaders[jose.HeaderType].(string); typ != "dpop+jwt" {
		return claims, "", errors.New("the DPoP proof typ must be dpop+jwt")
	}
	if header.JSONWebKey == nil || !header.JSONWebKey.IsPublic() {
		return claims, "", errors.New("the DPoP proof must carry a public jwk header")
	}
	if err := tok.Claims(header.JSONWebKey.Key, &claims); err != nil {
		return claims, "", errors.New("the DPoP proof signature is invalid")
	}
	if claims.HTM != method {
		return claims, "", errors.New("the DPoP proof htm does not match the request method")
	}
	if !sameTarget(claims.HTU, targetURL) {
		return claims, "", errors.New("the DPoP proof htu does not match the request URL")
	}
	if claims.IssuedAt == nil || absDuration(now.Sub(claims.IssuedAt.Time())) > dpopProofWindow {
		return claims, "", errors.New("the DPoP proof iat is missing or outside the accepted window")
	}
	if claims.ID == "" {
		return claims, "", errors.New("the DPoP proof jti is missing")
	}
	sum, err := header.JSONWebKey.Thumbprint(crypto.SHA256)
	if err != nil {
		return claims, "", errors.New("the DPoP proof jwk has no thumbprint")
	}
	return claims, base64.RawURLEncoding.EncodeToString(sum), nil
}

// sameTarget compares htu with the request URL without query or fragment
// (RFC 9449 §4.3).
func sameTarget(htu, target string) bool {
	u, err := url.Parse(htu)
	if err != nil {
		return false
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String() == target
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
