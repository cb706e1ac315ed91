package okta

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"
)

const (
	tokenPath             = "/oauth2/v1/token" //nolint:gosec // a URL path, not a credential
	clientAssertionType   = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	clientAssertionMaxAge = 5 * time.Minute
	// defaultTokenEarlyExpiry renews the one-hour access token this long
	// before it expires, so no request carries a token about to lapse.
	defaultTokenEarlyExpiry = time.Minute
	// maxTokenRounds bounds the DPoP negotiation: a plain attempt, one with
	// a proof, one with the server's nonce.
	maxTokenRounds = 3
)

// PrivateKeyJWT are the credentials of an OAuth 2.0 service app using the
// client credentials grant with private_key_jwt client authentication, the
// only method Okta allows for Okta-scoped tokens
// (docs/okta-api-behaviour.md §7.2). Its String and GoString never show the
// keys.
type PrivateKeyJWT struct {
	// ClientID is the service app's client id (iss and sub of assertions).
	ClientID string
	// KeyID is the `kid` of the app's public key.
	KeyID string
	// PrivateKey signs client assertions: an *rsa.PrivateKey (RS256) or an
	// *ecdsa.PrivateKey (ES256 on P-256, ES384 on P-384, ES512 on P-521).
	PrivateKey crypto.Signer
	// Scopes are requested as they are; Okta refuses the whole token
	// request when one is not granted to the app. Empty means
	// DefaultScopes, of which the client leaves out those Okta refuses
	// (RequiredScope excepted) and remembers it until RelearnScopes; see
	// Client.Grants.
	Scopes []string
	// DPoP sends DPoP proofs from the first token request. Without it the
	// client switches to DPoP when the token endpoint demands it.
	DPoP bool
	// DPoPKey signs DPoP proofs (ECDSA P-256 recommended); it must differ
	// from PrivateKey. Nil means a fresh P-256 key per Client.
	DPoPKey crypto.Signer
	// TokenEarlyExpiry renews the token this long before expiry (default
	// one minute).
	TokenEarlyExpiry time.Duration
}

// String shows the client and key ids only.
func (p PrivateKeyJWT) String() string {
	return fmt.Sprintf("okta.PrivateKeyJWT{ClientID: %s, KeyID: %s, PrivateKey: %s}", p.ClientID, p.KeyID, redacted)
}

// GoString hides the keys from %#v.
func (p PrivateKeyJWT) GoString() string { return p.String() }

func (p PrivateKeyJWT) newAuthorizer(env authEnv) (authorizer, error) {
	if p.ClientID == "" {
		return nil, errors.New("okta: PrivateKeyJWT.ClientID is required")
	}
	assertionSigner, err := newAssertionSigner(p.PrivateKey, p.KeyID)
	if err != nil {
		return nil, err
	}
	dpop, err := newDPoPState(p.DPoP, p.DPoPKey)
	if err != nil {
		return nil, err
	}
	source := &assertionTokenSource{
		env: env, clientID: p.ClientID, scopes: newScopeState(p.Scopes), signer: assertionSigner, dpop: dpop,
		tokenURL: env.orgURL.String() + tokenPath,
	}
	a := &oauthAuthorizer{source: source, earlyExpiry: orDefault(p.TokenEarlyExpiry, defaultTokenEarlyExpiry), dpop: dpop}
	a.invalidate()
	return a, nil
}

// oauthAuthorizer puts a cached access token on each request.
type oauthAuthorizer struct {
	source      *assertionTokenSource
	earlyExpiry time.Duration
	dpop        *dpopState

	mu     sync.Mutex
	tokens oauth2.TokenSource // caching wrapper of source
}

// invalidate drops the cached token, so that a token Okta stopped
// accepting (revoked, app reconfigured) is not reused until it expires.
func (a *oauthAuthorizer) invalidate() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens = oauth2.ReuseTokenSourceWithExpiry(nil, a.source, a.earlyExpiry)
}

func (a *oauthAuthorizer) grants() (Grants, bool) { return a.source.scopes.grants() }

// relearnScopes asks for every scope again, with a new token, if some
// were left out.
func (a *oauthAuthorizer) relearnScopes() {
	if a.source.scopes.relearn() {
		a.invalidate()
	}
}

func (a *oauthAuthorizer) cachedTokens() oauth2.TokenSource {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tokens
}

func (a *oauthAuthorizer) authorize(req *http.Request) error {
	tok, err := a.cachedTokens().Token()
	if err != nil {
		return err
	}
	if !strings.EqualFold(tok.TokenType, "DPoP") {
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		return nil
	}
	proof, err := a.dpop.proof(req.Method, req.URL, tok.AccessToken, "")
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "DPoP "+tok.AccessToken)
	req.Header.Set("DPoP", proof)
	return nil
}

// assertionTokenSource mints a fresh client assertion (new jti) for every
// token request; oauth2.ReuseTokenSource caches the result.
type assertionTokenSource struct {
	env      authEnv
	clientID string
	scopes   *scopeState
	signer   jose.Signer
	dpop     *dpopState
	tokenURL string
}

// tokenResponse is the token endpoint's success body.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope"`
}

// negotiateDPoP reacts to a DPoP demand of the token endpoint and reports
// whether another round is worth trying.
func (s *assertionTokenSource) negotiateDPoP(err error, nonce string) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.ErrorCode {
	case "invalid_dpop_proof":
		return s.dpop.enable()
	case "use_dpop_nonce":
		return nonce != "" && s.dpop.setNonce(nonce)
	default:
		return false
	}
}

// requestToken makes one token request for scopes; it returns the token,
// the granted scopes of the response, and the DPoP nonce of a refusal.
func (s *assertionTokenSource) requestToken(ctx context.Context, scopes []string) (tok *oauth2.Token, granted, nonce string, err error) {
	req, err := s.newTokenRequest(ctx, scopes)
	if err != nil {
		return nil, "", "", err
	}
	resp, err := s.env.http.Do(req)
	if err != nil {
		return nil, "", "", &TransportError{Method: http.MethodPost, Path: tokenPath, Err: unwrapURLError(err)}
	}
	defer func() { _ = resp.Body.Close() }()
	now := s.env.clock.Now()
	s.env.limits.record(BucketToken, resp.Header, now)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, "", "", &TransportError{Method: http.MethodPost, Path: tokenPath, Sent: true, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", resp.Header.Get("DPoP-Nonce"), tokenError(resp, body, now, scopes)
	}
	// oauth2.Token.Valid compares Expiry with the real time, so the expiry
	// is computed from it too, not from the injectable Clock.
	tok, granted, err = parseTokenResponse(body, time.Now())
	return tok, granted, "", err
}

// tokenError is the typed error of a token endpoint refusal; an
// invalid_scope names the refused scope of asked when it can tell.
func tokenError(resp *http.Response, body []byte, now time.Time, asked []string) error {
	err := newAPIError(http.MethodPost, tokenPath, resp, body, now)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == oauthInvalidScope {
		apiErr.MissingScope = refusedScope(apiErr.ErrorSummary, asked)
	}
	return err
}

func (s *assertionTokenSource) newTokenRequest(ctx context.Context, scopes []string) (*http.Request, error) {
	assertion, err := s.clientAssertion()
	if err != nil {
		return nil, err
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {strings.Join(scopes, " ")},
		"client_assertion_type": {clientAssertionType},
		"client_assertion":      {assertion},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("okta: building token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", s.env.userAgent)
	if s.dpop.enabled() {
		proof, err := s.dpop.proof(http.MethodPost, req.URL, "", s.dpop.currentNonce())
		if err != nil {
			return nil, err
		}
		req.Header.Set("DPoP", proof)
	}
	return req, nil
}

// clientAssertion signs the private_key_jwt assertion: iss = sub = client
// id, aud = the token endpoint, a unique jti and a short expiry.
func (s *assertionTokenSource) clientAssertion() (string, error) {
	// Okta checks iat/exp against its own clock: use the real time, not the
	// injectable Clock.
	now := time.Now()
	jti, err := randomID()
	if err != nil {
		return "", err
	}
	claims := jwt.Claims{
		Issuer:   s.clientID,
		Subject:  s.clientID,
		Audience: jwt.Audience{s.tokenURL},
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(clientAssertionMaxAge)),
		ID:       jti,
	}
	signed, err := jwt.Signed(s.signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("okta: signing client assertion: %w", err)
	}
	return signed, nil
}

// parseTokenResponse returns the token and its granted scopes.
func parseTokenResponse(body []byte, now time.Time) (*oauth2.Token, string, error) {
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return nil, "", fmt.Errorf("okta: decoding token response: %w", err)
	}
	if tr.AccessToken == "" {
		return nil, "", errors.New("okta: token response has no access_token")
	}
	tok := &oauth2.Token{AccessToken: tr.AccessToken, TokenType: tr.TokenType}
	if tr.ExpiresIn > 0 {
		tok.Expiry = now.Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	return tok, tr.Scope, nil
}

// newAssertionSigner picks the JWS algorithm from the key type.
func newAssertionSigner(key crypto.Signer, keyID string) (jose.Signer, error) {
	alg, err := signatureAlgorithm(key)
	if err != nil {
		return nil, err
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: keyID}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		return nil, fmt.Errorf("okta: client assertion signer: %w", err)
	}
	return signer, nil
}

func signatureAlgorithm(key crypto.Signer) (jose.SignatureAlgorithm, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return jose.RS256, nil
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			return jose.ES256, nil
		case elliptic.P384():
			return jose.ES384, nil
		case elliptic.P521():
			return jose.ES512, nil
		}
		return "", errors.New("okta: unsupported ECDSA curve")
	case nil:
		return "", errors.New("okta: a private key is required")
	default:
		return "", fmt.Errorf("okta: unsupported private key type %T", key)
	}
}

// ParsePrivateKeyPEM parses an RSA or ECDSA private key in PKCS #1, SEC 1
// or PKCS #8 PEM form, as Okta's Admin Console and openssl produce them.
func ParsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("okta: no PEM block in private key")
	}
	if key, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return key, nil
	}
	if key, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return key, nil
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		// The parse error text never contains key material.
		return nil, fmt.Errorf("okta: parsing private key: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("okta: unsupported private key type %T", key)
	}
	return signer, nil
}

// randomID returns 128 random bits, base64url-encoded, for jti claims.
func randomID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("okta: random jti: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
