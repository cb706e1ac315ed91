package okta

import (
	"errors"
	"net/http"
)

// APIToken returns SSWS credentials: `Authorization: SSWS <token>`
// (docs/okta-api-behaviour.md §7.1). The token inherits its creating admin's
// privileges and expires after 30 days without use.
func APIToken(token string) Credentials { return apiToken{token: &token} }

// apiToken keeps the token behind a pointer: fmt prints a nested pointer as
// an address, so even printing a struct that holds an apiToken through
// reflection (e.g. %+v of a Client value) cannot show the token.
type apiToken struct{ token *string }

// String hides the token.
func (apiToken) String() string { return "okta.APIToken(" + redacted + ")" }

// GoString hides the token from %#v.
func (t apiToken) GoString() string { return t.String() }

func (t apiToken) newAuthorizer(authEnv) (authorizer, error) {
	if t.token == nil || *t.token == "" {
		return nil, errors.New("okta: empty API token")
	}
	return t, nil
}

func (t apiToken) authorize(req *http.Request) error {
	req.Header.Set("Authorization", "SSWS "+*t.token)
	return nil
}
