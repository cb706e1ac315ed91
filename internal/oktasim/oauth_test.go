package oktasim

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// signAssertion makes a private_key_jwt client assertion.
func signAssertion(t *testing.T, key crypto.Signer, alg jose.SignatureAlgorithm, clientID, audience string, exp time.Time) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.Claims{Issuer: clientID, Subject: clientID, Audience: jwt.Audience{audience},
		Expiry: jwt.NewNumericDate(exp), IssuedAt: jwt.NewNumericDate(time.Now()), ID: randomString(base62Alphabet, 16)}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// dpopProof makes a DPoP proof JWT with the public key embedded.
func dpopProof(t *testing.T, key *ecdsa.PrivateKey, method, target, nonce, accessToken string) string {
	t.Helper()
	opts := (&jose.SignerOptions{EmbedJWK: true}).WithType("dpop+jwt")
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{"jti": randomString(base62Alphabet, 16), "iat": time.Now().Unix(), "htm": method, "htu": target}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims["ath"] = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type tokenAnswer struct {
	status int
	header http.Header
	body   map[string]any
}

func (o *testOrg) requestToken(t *testing.T, assertion, scope, proof string) tokenAnswer {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {scope},
		"client_assertion_type": {clientAssertionType}, "client_assertion": {assertion}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, o.srv.URL+"/oauth2/v1/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	resp, err := o.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("token answer %q: %v", raw, err)
	}
	return tokenAnswer{status: resp.StatusCode, header: resp.Header, body: body}
}

func TestClientCredentialsWithPrivateKeyJWT(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	o := newTestOrg(t, Options{OAuthClients: []OAuthClient{
		{ClientID: "0oarsa", PublicKeys: []jose.JSONWebKey{NewPublicKey(&rsaKey.PublicKey, "")}, Scopes: []string{scopeDARead, scopeLogsRead}},
		{ClientID: "0oaec", PublicKeys: []jose.JSONWebKey{NewPublicKey(&ecKey.PublicKey, "k1")}, Scopes: []string{scopeDAManage}},
	}})
	aud := o.srv.URL + "/oauth2/v1/token"
	tests := []struct {
		name   string
		key    crypto.Signer
		alg    jose.SignatureAlgorithm
		client string
		aud    string
		exp    time.Duration
		scope  string
		status int
		errStr string
	}{
		{"RS256", rsaKey, jose.RS256, "0oarsa", aud, 5 * time.Minute, scopeDARead, 200, ""},
		{"ES256", ecKey, jose.ES256, "0oaec", aud, 5 * time.Minute, scopeDAManage, 200, ""},
		{"wrong key", ecKey, jose.ES256, "0oarsa", aud, 5 * time.Minute, scopeDARead, 401, "invalid_client"},
		{"wrong audience", rsaKey, jose.RS256, "0oarsa", "https://elsewhere/oauth2/v1/token", 5 * time.Minute, scopeDARead, 401, "invalid_client"},
		{"expired", rsaKey, jose.RS256, "0oarsa", aud, -5 * time.Minute, scopeDARead, 401, "invalid_client"},
		{"expiry beyond one hour", rsaKey, jose.RS256, "0oarsa", aud, 2 * time.Hour, scopeDARead, 401, "invalid_client"},
		{"scope not granted", rsaKey, jose.RS256, "0oarsa", aud, 5 * time.Minute, scopePolicyManage, 400, "invalid_scope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ans := o.requestToken(t, signAssertion(t, tc.key, tc.alg, tc.client, tc.aud, time.Now().Add(tc.exp)), tc.scope, "")
			if ans.status != tc.status || (tc.errStr != "" && ans.body["error"] != tc.errStr) {
				t.Fatalf("status %d body %v", ans.status, ans.body)
			}
			if tc.status == 200 && (ans.body["token_type"] != "Bearer" || ans.body["expires_in"] != float64(3600) || ans.body["scope"] != tc.scope) {
				t.Errorf("token answer %v", ans.body)
			}
		})
	}

	ans := o.requestToken(t, signAssertion(t, rsaKey, jose.RS256, "0oarsa", aud, time.Now().Add(time.Minute)), scopeDARead, "")
	bearer := "Bearer " + ans.body["access_token"].(string)
	mustStatus(t, o.doAuth("GET", "/api/v1/device-assurances", nil, bearer, nil), 200)
	denied := o.doAuth("POST", "/api/v1/device-assurances", androidDA("x"), bearer, nil)
	assertError(t, denied, 403, "E0000006", "You do not have permission to perform the requested action")
	if h := denied.header.Get("WWW-Authenticate"); !strings.Contains(h, `error="insufficient_scope"`) || !strings.Contains(h, `scope="okta.deviceAssurance.manage"`) {
		t.Errorf("WWW-Authenticate = %q", h)
	}
	assertError(t, o.doAuth("GET", "/api/v1/policies?type=ACCESS_POLICY", nil, bearer, nil), 403, "E0000006", "")

	// A manage token may also read; objects record the client as actor.
	ec := o.requestToken(t, signAssertion(t, ecKey, jose.ES256, "0oaec", aud, time.Now().Add(time.Minute)), scopeDAManage, "")
	ecBearer := "Bearer " + ec.body["access_token"].(string)
	created := o.doAuth("POST", "/api/v1/device-assurances", androidDA("by app"), ecBearer, nil)
	mustStatus(t, created, 200)
	if created.object()["createdBy"] != "0oaec" {
		t.Errorf("createdBy = %v, want the client id", created.object()["createdBy"])
	}
	mustStatus(t, o.doAuth("GET", "/api/v1/device-assurances", nil, ecBearer, nil), 200)
}

func TestGrantsChangeAtRuntime(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	o := newTestOrg(t, Options{OAuthClients: []OAuthClient{
		{ClientID: "0oaapp", PublicKeys: []jose.JSONWebKey{NewPublicKey(&key.PublicKey, "")}, Scopes: []string{scopeDAManage}},
	}})
	aud := o.srv.URL + "/oauth2/v1/token"
	ask := func() tokenAnswer {
		return o.requestToken(t, signAssertion(t, key, jose.ES256, "0oaapp", aud, time.Now().Add(time.Minute)), scopeDAManage+" "+scopePCManage, "")
	}
	if ans := ask(); ans.status != 400 || ans.body["error"] != "invalid_scope" ||
		ans.body["error_description"] != "The following scopes are not granted to the client: "+scopePCManage {
		t.Fatalf("before the grant: %d %v", ans.status, ans.body)
	}
	if !o.org.SetClientScopes("0oaapp", scopeDAManage, scopePCManage) || o.org.SetClientScopes("0oanobody", scopeDAManage) {
		t.Fatal("SetClientScopes: a registered app is found, an unknown one is not")
	}
	if ans := ask(); ans.status != 200 || ans.body["scope"] != scopeDAManage+" "+scopePCManage {
		t.Fatalf("after the grant: %d %v", ans.status, ans.body)
	}
}

func TestInvalidTokensAre401(t *testing.T) {
	o := newTestOrg(t, Options{})
	for _, auth := range []string{"", "SSWS wrong", "Bearer unknown", "Basic dXNlcjpwYXNz"} {
		assertError(t, o.doAuth("GET", "/api/v1/device-assurances", nil, auth, nil), 401, "E0000011", "Invalid token provided")
	}
}

func TestDPoPEndToEnd(t *testing.T) {
	clientKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	dpopKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	o := newTestOrg(t, Options{OAuthClients: []OAuthClient{{ClientID: "0oadpop",
		PublicKeys: []jose.JSONWebKey{NewPublicKey(&clientKey.PublicKey, "")}, Scopes: []string{scopeDAManage}, RequireDPoP: true}}})
	tokenURL := o.srv.URL + "/oauth2/v1/token"
	assertion := func() string {
		return signAssertion(t, clientKey, jose.ES256, "0oadpop", tokenURL, time.Now().Add(time.Minute))
	}

	missing := o.requestToken(t, assertion(), scopeDAManage, "")
	if missing.status != 400 || missing.body["error"] != "invalid_dpop_proof" {
		t.Fatalf("without proof: %d %v", missing.status, missing.body)
	}
	first := o.requestToken(t, assertion(), scopeDAManage, dpopProof(t, dpopKey, "POST", tokenURL, "", ""))
	nonce := first.header.Get("DPoP-Nonce")
	if first.status != 400 || first.body["error"] != "use_dpop_nonce" || nonce == "" {
		t.Fatalf("first DPoP answer: %d %v nonce %q", first.status, first.body, nonce)
	}
	second := o.requestToken(t, assertion(), scopeDAManage, dpopProof(t, dpopKey, "POST", tokenURL, nonce, ""))
	if second.status != 200 || second.body["token_type"] != "DPoP" {
		t.Fatalf("second DPoP answer: %d %v", second.status, second.body)
	}
	token := second.body["access_token"].(string)
	target := o.srv.URL + "/api/v1/device-assurances"
	proofHeader := func(key *ecdsa.PrivateKey, method, ath string) http.Header {
		return http.Header{"Dpop": {dpopProof(t, key, method, target, "", ath)}}
	}
	mustStatus(t, o.doAuth("GET", target, nil, "DPoP "+token, proofHeader(dpopKey, "GET", token)), 200)
	mustStatus(t, o.doAuth("POST", target, androidDA("dpop"), "DPoP "+token, proofHeader(dpopKey, "POST", token)), 200)

	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	failures := map[string]struct {
		auth   string
		header http.Header
	}{
		"no proof":           {"DPoP " + token, nil},
		"bearer scheme":      {"Bearer " + token, proofHeader(dpopKey, "GET", token)},
		"wrong key":          {"DPoP " + token, proofHeader(otherKey, "GET", token)},
		"wrong method":       {"DPoP " + token, proofHeader(dpopKey, "POST", token)},
		"ath of other token": {"DPoP " + token, proofHeader(dpopKey, "GET", "other")},
	}
	for name, f := range failures {
		t.Run(name, func(t *testing.T) {
			assertError(t, o.doAuth("GET", target, nil, f.auth, f.header), 401, "E0000011", "")
		})
	}
	replayed := proofHeader(dpopKey, "GET", token)
	mustStatus(t, o.doAuth("GET", target, nil, "DPoP "+token, replayed), 200)
	assertError(t, o.doAuth("GET", target, nil, "DPoP "+token, replayed), 401, "E0000011", "")
}
