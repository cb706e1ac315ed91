package okta

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// dpopState holds the DPoP key and the token endpoint's latest nonce
// (RFC 9449; docs/okta-api-behaviour.md §7.3). It is shared by the token
// source and the authorizer, and safe for concurrent use.
type dpopState struct {
	mu     sync.Mutex
	on     bool
	key    crypto.Signer
	signer jose.Signer
	nonce  string
}

func newDPoPState(on bool, key crypto.Signer) (*dpopState, error) {
	s := &dpopState{key: key}
	if on && !s.enable() {
		return nil, fmt.Errorf("okta: cannot set up DPoP with key type %T", key)
	}
	return s, nil
}

// enable switches DPoP on, generating a P-256 key if none was given. It
// reports false if DPoP was already on (nothing new to try) or failed.
func (s *dpopState) enable() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.on {
		return false
	}
	if s.key == nil {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return false
		}
		s.key = key
	}
	alg, err := signatureAlgorithm(s.key)
	if err != nil {
		return false
	}
	opts := (&jose.SignerOptions{EmbedJWK: true}).WithType("dpop+jwt")
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: s.key}, opts)
	if err != nil {
		return false
	}
	s.signer, s.on = signer, true
	return true
}

func (s *dpopState) enabled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.on
}

// setNonce stores a new nonce and reports whether it differs from the one
// already sent (the same nonce twice means retrying will not help).
func (s *dpopState) setNonce(nonce string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.on || nonce == s.nonce {
		return false
	}
	s.nonce = nonce
	return true
}

func (s *dpopState) currentNonce() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nonce
}

// dpopClaims are the claims of a DPoP proof.
type dpopClaims struct {
	HTM   string           `json:"htm"`
	HTU   string           `json:"htu"`
	IAT   *jwt.NumericDate `json:"iat"`
	JTI   string           `json:"jti"`
	Nonce string           `json:"nonce,omitempty"`
	ATH   string           `json:"ath,omitempty"`
}

// proof signs a fresh proof for one request. accessToken, when set, is
// bound through `ath`; Okta resource requests need no nonce.
func (s *dpopState) proof(method string, target *url.URL, accessToken, nonce string) (string, error) {
	s.mu.Lock()
	signer := s.signer
	s.mu.Unlock()
	if signer == nil {
		return "", fmt.Errorf("okta: DPoP is not set up")
	}
	jti, err := randomID()
	if err != nil {
		return "", err
	}
	// iat is checked by Okta against its clock: real time, not the Clock.
	claims := dpopClaims{
		HTM: method, HTU: htu(target), IAT: jwt.NewNumericDate(time.Now()), JTI: jti, Nonce: nonce,
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims.ATH = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	signed, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("okta: signing DPoP proof: %w", err)
	}
	return signed, nil
}

// htu is the request URL without query and fragment (RFC 9449 §4.2).
func htu(u *url.URL) string {
	clean := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	return clean.String()
}
