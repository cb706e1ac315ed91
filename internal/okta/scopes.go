package okta

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode"
)

// The Okta API scopes of the operations the operator writes with
// (docs/okta-api-behaviour.md §0): each operation lists exactly one scope
// (docs/okta-api-behaviour.md §7.2).
const (
	ScopeDeviceAssuranceManage     = "okta.deviceAssurance.manage"
	ScopePoliciesManage            = "okta.policies.manage"
	ScopeDevicePostureChecksManage = "okta.devicePostureChecks.manage"
	ScopeLogsRead                  = "okta.logs.read"
)

// DefaultScopes are requested when PrivateKeyJWT.Scopes is nil: one for
// each kind and feature of the operator (device assurance policies, app
// sign-in policy rules, device posture checks, System Log reads). Okta
// refuses a whole token request that asks for a scope not granted to the
// app (invalid_scope, docs/okta-api-behaviour.md §7.2), so the client
// leaves out the default scopes Okta refuses, except RequiredScope (see
// PrivateKeyJWT.Scopes).
var DefaultScopes = []string{ScopeDeviceAssuranceManage, ScopePoliciesManage, ScopeDevicePostureChecksManage, ScopeLogsRead}

// RequiredScope is the default scope the client never leaves out: every
// kind works with device assurance policies, and the org check lists them.
const RequiredScope = ScopeDeviceAssuranceManage

// oauthInvalidScope is the token endpoint's error for a requested scope
// the app was not granted (docs/okta-api-behaviour.md §7.2).
const oauthInvalidScope = "invalid_scope"

// Grants is what a client learned of its OAuth scopes from Okta's token
// endpoint.
type Grants struct {
	// Granted are the scopes of the current access token: the "scope" of
	// the token response (docs/okta-api-behaviour.md §7.2), or the scopes
	// requested when it has none.
	Granted []string
	// Refused are the default scopes Okta refused to grant to the app,
	// which the client leaves out of its token requests until
	// RelearnScopes.
	Refused []string
	// Explicit is true when PrivateKeyJWT.Scopes set the scopes: they are
	// requested as they are, and none is ever left out.
	Explicit bool
}

// Grants returns what the client learned of its OAuth scopes; ok is false
// for an API token, to which scopes do not apply, and before the first
// access token.
func (c *Client) Grants() (Grants, bool) {
	if l, ok := c.auth.(scopeLearner); ok {
		return l.grants()
	}
	return Grants{}, false
}

// RelearnScopes makes the next token request ask for every default scope
// again if Okta refused some before (an admin may have granted them
// since), dropping the cached token; otherwise it does nothing, so that a
// client granted all its scopes costs no token request. The org check
// calls it.
func (c *Client) RelearnScopes() {
	if l, ok := c.auth.(scopeLearner); ok {
		l.relearnScopes()
	}
}

// scopeLearner is implemented by the OAuth authorizer.
type scopeLearner interface {
	grants() (Grants, bool)
	relearnScopes()
}

// MissingScope returns the OAuth scope err says the request lacked: a 403
// whose WWW-Authenticate header says insufficient_scope (the token has not
// got the operation's scope, docs/okta-api-behaviour.md §5), or a token
// request refused with invalid_scope that named the scope. Empty otherwise.
func MissingScope(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.MissingScope
	}
	return ""
}

// IsAdminRoleDenied reports whether err is a 403 E0000006 of the API that
// is not about a missing scope: the admin role of the credentials (the
// service app's role, or the API token's admin's) lacks the permission
// (docs/okta-api-behaviour.md §5, §7.2).
func IsAdminRoleDenied(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden &&
		apiErr.ErrorCode == CodeAccessDenied && apiErr.MissingScope == "" && apiErr.Path != tokenPath
}

// isInvalidScope reports whether err is the token endpoint's invalid_scope.
func isInvalidScope(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Path == tokenPath && apiErr.ErrorCode == oauthInvalidScope
}

// insufficientScope returns the scope of a 403's
// `WWW-Authenticate: Bearer … scope="okta.logs.read", error="insufficient_scope"`
// (docs/okta-api-behaviour.md §5), or "".
func insufficientScope(resp *http.Response) string {
	if resp.StatusCode != http.StatusForbidden {
		return ""
	}
	for _, header := range resp.Header.Values("WWW-Authenticate") {
		params := authParams(header)
		if params["error"] == "insufficient_scope" {
			return params["scope"]
		}
	}
	return ""
}

// authParams reads the key="value" parameters of a WWW-Authenticate
// challenge; values hold no quote in Okta's challenges.
func authParams(header string) map[string]string {
	params := map[string]string{}
	rest := header
	for {
		eq := strings.Index(rest, `="`)
		if eq < 0 {
			return params
		}
		key := rest[:eq]
		key = strings.TrimSpace(key[strings.LastIndexAny(key, " ,")+1:])
		value, after, found := strings.Cut(rest[eq+2:], `"`)
		if !found {
			return params
		}
		params[key] = value
		rest = after
	}
}

// namedScopes returns the scopes of asked that a token endpoint error
// description names, e.g. "The following scopes are not granted to the
// client: okta.logs.read". Okta's wording is not documented
// (docs/okta-api-behaviour.md §11), so any mention counts.
func namedScopes(description string, asked []string) []string {
	words := strings.FieldsFunc(description, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_'
	})
	var named []string
	for _, w := range words {
		w = strings.TrimRight(w, ".")
		if slices.Contains(asked, w) && !slices.Contains(named, w) {
			named = append(named, w)
		}
	}
	return named
}

// refusedScope is the scope an invalid_scope refusal of asked is about:
// the first one its description names, or the only one asked.
func refusedScope(description string, asked []string) string {
	if named := namedScopes(description, asked); len(named) > 0 {
		return named[0]
	}
	if len(asked) == 1 {
		return asked[0]
	}
	return ""
}
