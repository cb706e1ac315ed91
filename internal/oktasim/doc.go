// Package oktasim is an in-memory Okta org served as an http.Handler.
//
// It implements the part of the Okta Management API that the operator uses
// (device assurance policies, device posture checks, ACCESS_POLICY policies
// and their rules, the System Log, the org authorization server's token
// endpoint) and behaves like a real org as the recordings in
// test/fixtures/recordings show it. Where the OpenAPI spec and the
// recordings disagree, the recordings win. Comments cite the recording
// (e.g. tfprov-063, a file of test/fixtures/recordings) or the part of
// docs/okta-api-behaviour.md (§N for Okta's documentation, RN for a recorded
// behaviour) that proves a behaviour.
//
// The package deliberately shares no code with internal/okta: it is an
// independent implementation, so a client bug cannot be hidden by a
// simulator built from the same types.
package oktasim
