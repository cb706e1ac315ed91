// Package okta is the only package of the operator that speaks HTTP to Okta.
//
// It is a narrow, typed client for the Okta Management API endpoints the
// operator needs: device assurance policies, device posture checks, app
// sign-in (ACCESS_POLICY) policies and their rules, and the System Log. It
// authenticates with an SSWS API token or an OAuth 2.0 service app
// (client credentials with private_key_jwt, optionally DPoP-bound; with the
// default scopes it leaves out those Okta refuses to grant, see Grants), classifies
// every failure once into a typed error (see Class), records the rate-limit
// headers of every response per bucket, and retries only what is safe to
// retry: GET, PUT and DELETE on 429, 5xx and network errors, never a POST that
// may have reached the server (docs/okta-api-behaviour.md §8.4: the Okta SDKs
// resend a POST after a dropped connection, which would create a duplicate).
//
// Wire models are split in two: a request type that holds only what the
// operator may send (built fresh from desired state for every POST and PUT,
// docs/okta-api-behaviour.md §8.3), and a response type that embeds it and
// adds the read-only fields Okta returns. Decoding is lenient (unknown keys
// are ignored, lower case constraint values and spec-defect shapes are
// accepted); encoding is exact (empty optional values are omitted, a catch-all
// rule's "conditions": null is kept).
package okta
