package okta

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Credentials authenticate the Client: APIToken for SSWS or PrivateKeyJWT
// for an OAuth 2.0 service app. Their String and GoString never reveal a
// secret, so printing a Config is safe.
type Credentials interface {
	fmt.Stringer
	newAuthorizer(env authEnv) (authorizer, error)
}

// authEnv is what an authorizer may use of the Client.
type authEnv struct {
	orgURL    *url.URL
	http      *http.Client
	clock     Clock
	limits    *rateLimits
	timeout   time.Duration
	userAgent string
}

// authorizer sets the Authorization (and DPoP) headers of one attempt.
// It is called again for every retry, so each attempt gets a fresh DPoP
// proof (the v5 SDK reused one, docs/okta-api-behaviour.md §8.4).
type authorizer interface {
	authorize(req *http.Request) error
}

// tokenInvalidator is implemented by authorizers that cache a token.
type tokenInvalidator interface {
	invalidate()
}

const redacted = "[REDACTED]"
