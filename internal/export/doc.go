// Package export turns what an Okta org holds into the operator's objects:
// DevicePostureCheck, DeviceAssurancePolicy and SignInRuleBinding specs
// that adopt the org's objects by ID, name each other by object name, and
// leave out what Okta adds on its own. Each conversion is the inverse of a
// controller's desired body (internal/controller/*/desired.go), and Run
// proves it for every object it returns: the controller's own comparison
// (the Drift functions of internal/controller/*/roundtrip.go) of the body
// built from the exported spec with the object Okta holds must find no
// difference, so that applying the objects makes no write to Okta; an
// object that would differ is returned with the differing fields.
//
// The conversions (one file per kind) are pure functions; Run reads the org
// through Reader, which has no method that writes; the command wraps its
// client with okta.ReadOnly, so that a write is refused before it reaches
// Okta.
package export
