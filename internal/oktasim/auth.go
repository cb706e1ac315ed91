package oktasim

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// principal is who made a request: the admin behind an SSWS token, or an
// OAuth service app.
type principal struct {
	actorID     string
	actorType   string // "User" or "PublicClientApp" (System Log actor.type)
	alternateID string
	displayName string
	apiTokenID  string          // for transaction.detail.requestApiTokenId
	scopes      map[string]bool // nil: every scope (an SSWS token)
}

// newAPITokenPrincipal is the admin user that owns the i-th API token. An
// API token acts as the admin who created it
// (docs/okta-api-behaviour.md §7.1), so audit fields hold that user's 00u… id
// (docs/okta-api-behaviour.md, R1).
func newAPITokenPrincipal(i int) *principal {
	return &principal{
		actorID:     newID(prefixUser),
		actorType:   "User",
		alternateID: fmt.Sprintf("admin%d@oktasim.example", i+1),
		displayName: fmt.Sprintf("Oktasim Admin %d", i+1),
		apiTokenID:  newID(prefixAPIToken),
	}
}

// accessToken is an opaque token issued by /oauth2/v1/token.
type accessToken struct {
	client     *principal
	expires    time.Time
	thumbprint string // JWK SHA-256 thumbprint for a DPoP-bound token
}

// hasScope reports whether the caller may use an operation that needs
// scope. A .manage scope also allows the matching .read operations: the
// manage grant is a superset in Okta's scope model.
func (p *principal) hasScope(scope string) bool {
	if p.scopes == nil || p.scopes[scope] {
		return true
	}
	if base, ok := strings.CutSuffix(scope, ".read"); ok {
		return p.scopes[base+".manage"]
	}
	return false
}

// authenticate resolves the Authorization header: SSWS API tokens, Bearer
// access tokens, or DPoP-bound access tokens with a proof
// (docs/okta-api-behaviour.md §7).
func (o *Org) authenticate(r *http.Request) (*principal, *apiError) {
	scheme, credential, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	credential = strings.TrimSpace(credential)
	switch strings.ToUpper(scheme) {
	case "SSWS":
		o.mu.Lock()
		p := o.apiTokens[credential]
		o.mu.Unlock()
		if p == nil {
			return nil, invalidTokenError()
		}
		return p, nil
	case "BEARER", "DPOP":
		return o.authenticateAccessToken(r, strings.ToUpper(scheme) == "DPOP", credential)
	default:
		return nil, invalidTokenError()
	}
}

func (o *Org) authenticateAccessToken(r *http.Request, dpop bool, token string) (*principal, *apiError) {
	now := o.clock()
	o.mu.Lock()
	at := o.accessTokens[token]
	o.mu.Unlock()
	if at == nil || !now.Before(at.expires) {
		return nil, invalidTokenError()
	}
	bound := at.thumbprint != ""
	if bound != dpop {
		// A DPoP-bound token must be presented with the DPoP scheme and a
		// plain token must not.
		return nil, invalidTokenError()
	}
	if bound {
		if err := o.verifyResourceProof(r, token, at.thumbprint, now); err != nil {
			e := invalidTokenError()
			e.header = http.Header{"Www-Authenticate": {fmt.Sprintf(`DPoP error="invalid_dpop_proof", error_description=%q`, err.Error())}}
			return nil, e
		}
	}
	return at.client, nil
}

// insufficientScopeError is the 403 for a token without the operation's
// scope, with the WWW-Authenticate header Okta sends
// (docs/okta-api-behaviour.md §5).
func insufficientScopeError(r *http.Request, scope string) *apiError {
	e := accessDeniedError()
	base := baseURL(r)
	e.header = http.Header{"Www-Authenticate": {fmt.Sprintf(
		`Bearer authorization_uri="%s/oauth2/v1/authorize", realm="%s", scope="%s", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="%s"`,
		base, base, scope, r.URL.Path)}}
	return e
}
