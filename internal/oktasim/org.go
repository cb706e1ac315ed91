package oktasim

import (
	"crypto"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Options configures a simulated org.
type Options struct {
	// APITokens are accepted as "Authorization: SSWS <token>"; an API token
	// has every scope, like a super admin's token.
	APITokens []string
	// OAuthClients are service apps that may use client credentials with
	// private_key_jwt at /oauth2/v1/token.
	OAuthClients []OAuthClient
	// RateLimits sets the per-bucket limits; the zero value gives defaults.
	RateLimits RateLimits
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Seed holds objects the org starts with, besides its default policy.
	Seed *Seed
	// Variant selects behaviours that differ between real orgs; the zero
	// value is the newest recorded behaviour.
	Variant OrgVariant
	// Faults are injected from the start (see Org.InjectFault).
	Faults []Fault
}

// OrgVariant switches off server defaults that some real orgs add and
// others do not, so that a test can reproduce either kind of org.
type OrgVariant struct {
	// OmitRemediationModeDefault: do not add displayRemediationMode HIDE
	// to a device assurance policy that was sent without it. Recordings
	// from 2025-06 to 2026-01 and the 2025-09 python org omit it; the
	// others add it (docs/okta-api-behaviour.md, R4).
	OmitRemediationModeDefault bool
	// OmitRiskScoreDefault: do not add conditions.riskScore {level: ANY}
	// to rules. In the terraform recordings it depends on the policy, even
	// within one org on one day (e.g. tfprov-364 adds it, tfprov-365 does not).
	OmitRiskScoreDefault bool
}

// OAuthClient is an OAuth 2.0 service app registered in the org.
type OAuthClient struct {
	ClientID string
	// PublicKeys verify client assertions (RS256 or ES256). A key's KeyID,
	// when set, is matched against the assertion's "kid" header.
	PublicKeys []jose.JSONWebKey
	// Scopes are the Okta API scopes granted to the app.
	Scopes []string
	// RequireDPoP makes the token endpoint demand a DPoP proof and issue
	// DPoP-bound tokens (docs/okta-api-behaviour.md §7.3).
	RequireDPoP bool
}

// NewPublicKey wraps a public key (*rsa.PublicKey, *ecdsa.PublicKey) with
// an optional key id, for OAuthClient.PublicKeys.
func NewPublicKey(key crypto.PublicKey, keyID string) jose.JSONWebKey {
	return jose.JSONWebKey{Key: key, KeyID: keyID, Use: "sig"}
}

// Org is an in-memory Okta org. It implements http.Handler and is safe for
// concurrent use.
type Org struct {
	now     func() time.Time
	variant OrgVariant
	clients map[string]OAuthClient
	limiter *rateLimiter
	mux     *http.ServeMux
	faults  *faultInjector

	mu            sync.Mutex
	deviceAssures []*deviceAssurance
	postureChecks []*postureCheck
	policies      []*accessPolicy
	events        []*logEvent
	apiTokens     map[string]*principal
	accessTokens  map[string]*accessToken
	usedJTIs      map[string]time.Time
	dpopNonce     string
	requestCounts map[requestKey]int
}

// New returns an org with a default app sign-in policy and the seed of
// opts. It panics if the seed is invalid; use NewOrg to get an error.
func New(opts Options) *Org {
	o, err := NewOrg(opts)
	if err != nil {
		panic("oktasim: " + err.Error())
	}
	return o
}

// NewOrg is New returning an error for an invalid seed.
func NewOrg(opts Options) (*Org, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	o := &Org{
		now:           now,
		variant:       opts.Variant,
		clients:       make(map[string]OAuthClient, len(opts.OAuthClients)),
		limiter:       newRateLimiter(opts.RateLimits),
		apiTokens:     make(map[string]*principal, len(opts.APITokens)),
		accessTokens:  map[string]*accessToken{},
		usedJTIs:      map[string]time.Time{},
		dpopNonce:     randomString(base64URLAlphabet, 32),
		requestCounts: map[requestKey]int{},
		faults:        newFaultInjector(now),
	}
	for _, f := range opts.Faults {
		if _, err := o.faults.add(f); err != nil {
			return nil, err
		}
	}
	for _, c := range opts.OAuthClients {
		o.clients[c.ClientID] = c
	}
	for i, token := range opts.APITokens {
		o.apiTokens[token] = newAPITokenPrincipal(i)
	}
	o.addDefaultPolicy()
	if opts.Seed != nil {
		if err := o.applySeed(opts.Seed); err != nil {
			return nil, err
		}
	}
	o.mux = o.routes()
	return o, nil
}

// ServeHTTP serves the Okta API, the token endpoint and the /_oktasim
// inspection endpoints.
func (o *Org) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mux.ServeHTTP(w, r)
}

// clock returns the current time of the org's clock.
func (o *Org) clock() time.Time { return o.now() }

// SetClientScopes replaces the scopes granted to the service app clientID,
// as a Super Admin does on the app's Okta API Scopes tab
// (docs/okta-api-behaviour.md §7.2): token requests are checked against the
// new grants from then on; tokens issued before keep their scopes. It
// reports false when no such app is registered.
func (o *Org) SetClientScopes(clientID string, scopes ...string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	c, ok := o.clients[clientID]
	if !ok {
		return false
	}
	c.Scopes = append([]string(nil), scopes...)
	o.clients[clientID] = c
	return true
}

// client returns the registered service app clientID.
func (o *Org) client(clientID string) (OAuthClient, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c, ok := o.clients[clientID]
	return c, ok
}

// SetAPITokens replaces the accepted API tokens, as an admin who revokes
// tokens and issues new ones would: requests with a token no longer listed
// get 401 E0000011 from then on.
func (o *Org) SetAPITokens(tokens ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.apiTokens = make(map[string]*principal, len(tokens))
	for i, token := range tokens {
		o.apiTokens[token] = newAPITokenPrincipal(i)
	}
}
