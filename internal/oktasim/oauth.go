package oktasim

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// "The lifetime for this token is fixed at one hour."
	// (docs/okta-api-behaviour.md §7.2)
	accessTokenLifetime = time.Hour
	// A client assertion may expire at most one hour ahead
	// (docs/okta-api-behaviour.md §7.2).
	maxAssertionLifetime = time.Hour
	clockLeeway          = 30 * time.Second
	// How far a DPoP proof's iat may be from the org's clock.
	dpopProofWindow = 5 * time.Minute
)

// signingAlgorithms are the client assertion and DPoP algorithms accepted.
var signingAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.ES256}

// oauthError is the OAuth 2.0 error body of the token endpoint.
type oauthError struct {
	status      int
	code        string
	description string
	header      http.Header
}

func (e *oauthError) write(w http.ResponseWriter) {
	for k, vs := range e.header {
		w.Header()[k] = vs
	}
	writeJSON(w, e.status, orderedObject{{"error", e.code}, {"error_description", e.description}})
}

func invalidClient(format string, args ...any) *oauthError {
	return &oauthError{status: http.StatusUnauthorized, code: "invalid_client", description: fmt.Sprintf(format, args...)}
}

// token is POST /oauth2/v1/token: client credentials with private_key_jwt,
// the only flow for Okta-scoped tokens (docs/okta-api-behaviour.md §7.2), with
// DPoP when the app requires it (docs/okta-api-behaviour.md §7.3).
func (o *Org) token(w http.ResponseWriter, r *http.Request) {
	resp, oerr := o.issueToken(r)
	if oerr != nil {
		oerr.write(w)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, resp)
}

func (o *Org) issueToken(r *http.Request) (orderedObject, *oauthError) {
	if err := r.ParseForm(); err != nil {
		return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_request", description: "The request body is not a valid form."}
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		return nil, &oauthError{status: http.StatusBadRequest, code: "unsupported_grant_type",
			description: "The authorization grant type is not supported by the authorization server."}
	}
	if r.PostForm.Get("client_assertion_type") != clientAssertionType {
		return nil, invalidClient("Client authentication with private_key_jwt is required.")
	}
	now := o.clock()
	client, oerr := o.verifyClientAssertion(r.PostForm.Get("client_assertion"), tokenURL(r), now)
	if oerr != nil {
		return nil, oerr
	}
	scopes, oerr := grantedScopes(client, r.PostForm.Get("scope"))
	if oerr != nil {
		return nil, oerr
	}
	thumbprint := ""
	if client.RequireDPoP {
		if thumbprint, oerr = o.verifyTokenProof(r, now); oerr != nil {
			return nil, oerr
		}
	}
	token := randomString(base64URLAlphabet, 64)
	o.mu.Lock()
	o.accessTokens[token] = &accessToken{client: clientPrincipal(client, scopes), expires: now.Add(accessTokenLifetime), thumbprint: thumbprint}
	o.mu.Unlock()
	tokenType := "Bearer"
	if thumbprint != "" {
		tokenType = "DPoP"
	}
	return orderedObject{
		{"token_type", tokenType},
		{"expires_in", int(accessTokenLifetime.Seconds())},
		{"access_token", token},
		{"scope", strings.Join(scopes, " ")},
	}, nil
}

// clientPrincipal is the actor for a service app. Audit fields
// (createdBy, lastUpdatedBy) and the System Log actor then hold the app's
// client ID: docs/okta-api-behaviour.md §11 lists what a real org writes there
// as unknown, and the client ID is what identifies the app.
func clientPrincipal(c *OAuthClient, scopes []string) *principal {
	set := make(map[string]bool, len(scopes))
	for _, s := range scopes {
		set[s] = true
	}
	return &principal{actorID: c.ClientID, actorType: "PublicClientApp", alternateID: c.ClientID,
		displayName: c.ClientID, scopes: set}
}

// grantedScopes checks the requested scopes against the app's grants.
func grantedScopes(c *OAuthClient, requested string) ([]string, *oauthError) {
	scopes := strings.Fields(requested)
	if len(scopes) == 0 {
		return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_scope",
			description: "The authorization server resource does not have any configured default scopes, 'scope' must be provided."}
	}
	for _, s := range scopes {
		if !slices.Contains(c.Scopes, s) {
			return nil, &oauthError{status: http.StatusBadRequest, code: "invalid_scope",
				description: "The following scopes are not granted to the client: " + s}
		}
	}
	return scopes, nil
}

func tokenURL(r *http.Request) string { return baseURL(r) + "/oauth2/v1/token" }

// verifyClientAssertion checks a private_key_jwt assertion: signature by
// one of the app's keys, iss = sub = client_id, aud = the token endpoint,
// exp present and at most an hour ahead, jti not reused
// (docs/okta-api-behaviour.md §7.2).
func (o *Org) verifyClientAssertion(assertion, audience string, now time.Time) (*OAuthClient, *oauthError) {
	tok, err := jwt.ParseSigned(assertion, signingAlgorithms)
	if err != nil {
		return nil, invalidClient("The client_assertion is not a valid JWT signed with RS256 or ES256.")
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return nil, invalidClient("The client_assertion claims cannot be read.")
	}
	client, ok := o.client(unverified.Issuer)
	if !ok {
		return nil, invalidClient("The client_assertion issuer is not a registered client.")
	}
	claims, verified := verifyWithClientKeys(tok, client.PublicKeys)
	if !verified {
		return nil, invalidClient("The client_assertion signature is invalid.")
	}
	expected := jwt.Expected{Issuer: client.ClientID, Subject: client.ClientID, AnyAudience: jwt.Audience{audience}, Time: now}
	if err := claims.ValidateWithLeeway(expected, clockLeeway); err != nil {
		return nil, invalidClient("The client_assertion is invalid: %v", err)
	}
	if claims.Expiry == nil || claims.Expiry.Time().After(now.Add(maxAssertionLifetime+clockLeeway)) {
		return nil, invalidClient("The client_assertion must expire within one hour.")
	}
	if claims.ID != "" && !o.rememberJTI("assertion:"+claims.ID, now) {
		return nil, invalidClient("The client_assertion jti has already been used.")
	}
	return &client, nil
}

// verifyWithClientKeys tries the key named by kid, or every key when the
// assertion names none that is registered.
func verifyWithClientKeys(tok *jwt.JSONWebToken, keys []jose.JSONWebKey) (jwt.Claims, bool) {
	kid := ""
	if len(tok.Headers) > 0 {
		kid = tok.Headers[0].KeyID
	}
	candidates := make([]jose.JSONWebKey, 0, len(keys))
	for _, k := range keys {
		if kid != "" && k.KeyID == kid {
			candidates = append(candidates, k)
		}
	}
	if len(candidates) == 0 {
		candidates = keys
	}
	for _, k := range candidates {
		var claims jwt.Claims
		if err := tok.Claims(k.Key, &claims); err == nil {
			return claims, true
		}
	}
	return jwt.Claims{}, false
}

// rememberJTI records a one-time token id; false means it was seen before.
func (o *Org) rememberJTI(jti string, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	for k, exp := range o.usedJTIs {
		if now.After(exp) {
			delete(o.usedJTIs, k)
		}
	}
	if _, seen := o.usedJTIs[jti]; seen {
		return false
	}
	o.usedJTIs[jti] = now.Add(maxAssertionLifetime + dpopProofWindow)
	return true
}

// dpopClaims are the claims of a DPoP proof JWT (RFC 9449).
type dpopClaims struct {
	jwt.Claims
	HTM   string `json:"htm"`
	HTU   string `json:"htu"`
	ATH   string `json:"ath,omitempty"`
	Nonce string `json:"nonce,omitempty"`
}

// verifyTokenProof checks the DPoP proof of a token request. Without the
// org's nonce the answer is 400 use_dpop_nonce with a DPoP-Nonce header,
// which the client must echo (docs/okta-api-behaviour.md §7.3).
func (o *Org) verifyTokenProof(r *http.Request, now time.Time) (string, *oauthError) {
	proof := r.Header.Get("DPoP")
	if proof == "" {
		return "", &oauthError{status: http.StatusBadRequest, code: "invalid_dpop_proof", description: "The DPoP proof JWT header is missing."}
	}
	claims, thumbprint, err := parseDPoPProof(proof, http.MethodPost, tokenURL(r), now)
	if err != nil {
		return "", &oauthError{status: http.StatusBadRequest, code: "invalid_dpop_proof", description: err.Error()}
	}
	o.mu.Lock()
	nonce := o.dpopNonce
	o.mu.Unlock()
	if claims.Nonce != nonce {
		return "", &oauthError{status: http.StatusBadRequest, code: "use_dpop_nonce",
			description: "Authorization server requires nonce in DPoP proof.", header: http.Header{"Dpop-Nonce": {nonce}}}
	}
	if !o.rememberJTI("dpop:"+claims.ID, now) {
		return "", &oauthError{status: http.StatusBadRequest, code: "invalid_dpop_proof", description: "The DPoP proof jti has already been used."}
	}
	return thumbprint, nil
}

// verifyResourceProof checks the DPoP proof sent with an API call: a fresh
// proof per request, with htm, htu, iat, jti and ath, signed by the key the
// token is bound to (docs/okta-api-behaviour.md §7.3; the nonce is not
// required there).
func (o *Org) verifyResourceProof(r *http.Request, token, boundThumbprint string, now time.Time) error {
	proof := r.Header.Get("DPoP")
	if proof == "" {
		return errors.New("the DPoP proof JWT header is missing")
	}
	claims, thumbprint, err := parseDPoPProof(proof, r.Method, baseURL(r)+r.URL.Path, now)
	if err != nil {
		return err
	}
	if thumbprint != boundThumbprint {
		return errors.New("the DPoP proof key does not match the access token binding")
	}
	sum := sha256.Sum256([]byte(token))
	if claims.ATH != base64.RawURLEncoding.EncodeToString(sum[:]) {
		return errors.New("the DPoP proof ath does not match the access token")
	}
	if !o.rememberJTI("dpop:"+claims.ID, now) {
		return errors.New("the DPoP proof jti has already been used")
	}
	return nil
}
