package okta

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	testClientID    = "0oaServiceApp123"
	testKeyID       = "kid-1"
	testAccessToken = "eyACCESS.token.secret"
	testNonce       = "nonce-abc"
)

// oauthOrg is a fake org: a token endpoint that verifies private_key_jwt
// assertions (and DPoP proofs when required) and an API that checks the
// access token.
type oauthOrg struct {
	t           *testing.T
	publicKey   crypto.PublicKey
	alg         jose.SignatureAlgorithm
	requireDPoP bool

	mu          sync.Mutex
	srv         *httptest.Server
	tokenCalls  int
	jtis        map[string]bool
	boundKey    string // thumbprint of the DPoP key the token is bound to
	revokeFirst bool   // answer 401 to the first token issued
	apiCalls    int
	proofJTIs   map[string]bool
	failures    []string
}

func newOAuthOrg(t *testing.T, publicKey crypto.PublicKey, alg jose.SignatureAlgorithm, requireDPoP bool) *oauthOrg {
	t.Helper()
	o := &oauthOrg{t: t, publicKey: publicKey, alg: alg, requireDPoP: requireDPoP, jtis: map[string]bool{}, proofJTIs: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/v1/token", o.token)
	mux.HandleFunc("/api/v1/", o.api)
	o.srv = httptest.NewServer(mux)
	t.Cleanup(o.srv.Close)
	t.Cleanup(func() {
		for _, f := range o.failures {
			t.Error(f)
		}
	})
	return o
}

func (o *oauthOrg) fail(format string, args ...any) {
	o.failures = append(o.failures, fmt.Sprintf(format, args...))
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (o *oauthOrg) token(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tokenCalls++
	w.Header().Set("X-Rate-Limit-Limit", "100")
	w.Header().Set("X-Rate-Limit-Remaining", "99")
	w.Header().Set("X-Rate-Limit-Reset", "1795953630")
	if err := r.ParseForm(); err != nil {
		o.fail("form: %v", err)
	}
	if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_assertion_type") != clientAssertionType ||
		r.PostForm.Get("scope") != strings.Join(DefaultScopes, " ") {
		o.fail("token form %v", r.PostForm)
	}
	o.verifyAssertion(r.PostForm.Get("client_assertion"))
	if !o.requireDPoP {
		token := testAccessToken
		if o.revokeFirst && o.tokenCalls == 1 {
			token = "revoked-token"
		}
		writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": token, "scope": r.PostForm.Get("scope")})
		return
	}
	proof := r.Header.Get("DPoP")
	if proof == "" {
		writeJSON(w, 400, map[string]string{"error": "invalid_dpop_proof", "error_description": "The DPoP proof JWT header is missing."})
		return
	}
	claims, thumbprint := o.verifyProof(proof, http.MethodPost, o.srv.URL+tokenPath)
	if claims.Nonce != testNonce {
		w.Header().Set("DPoP-Nonce", testNonce)
		writeJSON(w, 400, map[string]string{"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof."})
		return
	}
	o.boundKey = thumbprint
	writeJSON(w, 200, map[string]any{"token_type": "DPoP", "expires_in": 3600, "access_token": testAccessToken})
}

func (o *oauthOrg) verifyAssertion(assertion string) {
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{o.alg})
	if err != nil {
		o.fail("assertion: %v", err)
		return
	}
	if tok.Headers[0].KeyID != testKeyID {
		o.fail("kid %q", tok.Headers[0].KeyID)
	}
	var claims jwt.Claims
	if err := tok.Claims(o.publicKey, &claims); err != nil {
		o.fail("assertion signature: %v", err)
		return
	}
	err = claims.ValidateWithLeeway(jwt.Expected{
		Issuer: testClientID, Subject: testClientID, AnyAudience: jwt.Audience{o.srv.URL + tokenPath}, Time: claims.IssuedAt.Time(),
	}, 0)
	if err != nil {
		o.fail("assertion claims: %v", err)
	}
	if claims.Expiry == nil || claims.Expiry.Time().Sub(claims.IssuedAt.Time()) > 5*time.Minute {
		o.fail("assertion expiry too far: %v", claims.Expiry)
	}
	if claims.ID == "" || o.jtis[claims.ID] {
		o.fail("jti %q missing or reused", claims.ID)
	}
	o.jtis[claims.ID] = true
}

// verifyProof checks a DPoP proof with the key embedded in it.
func (o *oauthOrg) verifyProof(proof, method, url string) (dpopClaims, string) {
	var claims dpopClaims
	tok, err := jwt.ParseSigned(proof, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		o.fail("proof: %v", err)
		return claims, ""
	}
	header := tok.Headers[0]
	if header.ExtraHeaders[jose.HeaderType] != "dpop+jwt" || header.JSONWebKey == nil || !header.JSONWebKey.IsPublic() {
		o.fail("proof header %+v", header)
		return claims, ""
	}
	if err := tok.Claims(header.JSONWebKey.Key, &claims); err != nil {
		o.fail("proof signature: %v", err)
	}
	if claims.HTM != method || claims.HTU != url || claims.IAT == nil || claims.JTI == "" || o.proofJTIs[claims.JTI] {
		o.fail("proof claims %+v, want %s %s", claims, method, url)
	}
	o.proofJTIs[claims.JTI] = true
	thumb, _ := header.JSONWebKey.Thumbprint(crypto.SHA256)
	return claims, string(thumb)
}

func (o *oauthOrg) api(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.apiCalls++
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if token != testAccessToken {
		writeJSON(w, 401, map[string]any{"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorId": "oaeT"})
		return
	}
	if o.requireDPoP {
		claims, thumb := o.verifyProof(r.Header.Get("DPoP"), r.Method, o.srv.URL+r.URL.Path)
		sum := sha256.Sum256([]byte(testAccessToken))
		if scheme != "DPoP" || claims.ATH != base64.RawURLEncoding.EncodeToString(sum[:]) || thumb != o.boundKey {
			o.fail("API DPoP: scheme %s ath %s key bound %v", scheme, claims.ATH, thumb == o.boundKey)
		}
	} else if scheme != "Bearer" {
		o.fail("scheme %q", scheme)
	}
	writeJSON(w, 200, []any{})
}

func (o *oauthOrg) client(t *testing.T, creds PrivateKeyJWT) *Client {
	t.Helper()
	creds.ClientID, creds.KeyID = testClientID, testKeyID
	c, err := New(Config{OrgURL: o.srv.URL, Credentials: creds, HTTPClient: specChecked(t, o.srv.Client()), Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPrivateKeyJWT(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		key         crypto.Signer
		public      crypto.PublicKey
		alg         jose.SignatureAlgorithm
		requireDPoP bool
		tokenCalls  int
	}{
		{"RS256 bearer", rsaKey, &rsaKey.PublicKey, jose.RS256, false, 1},
		{"ES256 bearer", ecKey, &ecKey.PublicKey, jose.ES256, false, 1},
		// No proof → invalid_dpop_proof; proof → use_dpop_nonce; proof with nonce → token.
		{"RS256 with DPoP demanded by the org", rsaKey, &rsaKey.PublicKey, jose.RS256, true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := newOAuthOrg(t, tt.public, tt.alg, tt.requireDPoP)
			c := org.client(t, PrivateKeyJWT{PrivateKey: tt.key})
			for range 3 {
				if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			org.mu.Lock()
			defer org.mu.Unlock()
			if org.tokenCalls != tt.tokenCalls || org.apiCalls != 3 {
				t.Errorf("%d token requests for %d API calls, want %d (the token is cached)", org.tokenCalls, org.apiCalls, tt.tokenCalls)
			}
			if rl, ok := c.RateLimits()[BucketToken]; !ok || rl.Limit != 100 {
				t.Errorf("token bucket not recorded: %+v", c.RateLimits())
			}
		})
	}
}

func TestDPoPFromTheStartNeedsOnlyTheNonceRound(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	org := newOAuthOrg(t, &ecKey.PublicKey, jose.ES256, true)
	c := org.client(t, PrivateKeyJWT{PrivateKey: ecKey, DPoP: true})
	if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if org.tokenCalls != 2 {
		t.Errorf("%d token requests, want 2", org.tokenCalls)
	}
}

func TestRejectedTokenIsReplacedOnce(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	org := newOAuthOrg(t, &key.PublicKey, jose.ES256, false)
	org.revokeFirst = true
	c := org.client(t, PrivateKeyJWT{PrivateKey: key})
	if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if org.tokenCalls != 2 || org.apiCalls != 2 {
		t.Errorf("%d token and %d API requests, want 2 and 2", org.tokenCalls, org.apiCalls)
	}
}

func TestTokenEndpointErrorsAreTyped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "The client_assertion signature is invalid."})
	}))
	t.Cleanup(srv.Close)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	c, err := New(Config{OrgURL: srv.URL, Credentials: PrivateKeyJWT{ClientID: testClientID, PrivateKey: key}, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListDeviceAssurances(context.Background())
	if Class(err) != ClassUnauthorized || !strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("got %v (%v)", err, Class(err))
	}
}

func TestParsePrivateKeyPEM(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(ecKey)
	sec1, _ := x509.MarshalECPrivateKey(ecKey)
	for name, block := range map[string]*pem.Block{
		"PKCS1": {Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)},
		"PKCS8": {Type: "PRIVATE KEY", Bytes: pkcs8},
		"SEC1":  {Type: "EC PRIVATE KEY", Bytes: sec1},
	} {
		key, err := ParsePrivateKeyPEM(pem.EncodeToMemory(block))
		if err != nil || key == nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParsePrivateKeyPEM([]byte("not a key")); err == nil {
		t.Error("garbage must not parse")
	}
}

func TestCredentialsAreValidated(t *testing.T) {
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, cfg := range map[string]Config{
		"no org":        {Credentials: APIToken("x")},
		"org with path": {OrgURL: "https://o.okta.com/api", Credentials: APIToken("x")},
		"no creds":      {OrgURL: "https://o.okta.com"},
		"empty token":   {OrgURL: "https://o.okta.com", Credentials: APIToken("")},
		"no client id":  {OrgURL: "https://o.okta.com", Credentials: PrivateKeyJWT{PrivateKey: ecKey}},
		"no key":        {OrgURL: "https://o.okta.com", Credentials: PrivateKeyJWT{ClientID: "c"}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
