package posturecheck

import (
	"time"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Reasons of the Ready condition particular to posture checks; the shared
// ones are in package outcome.
const (
	// ReasonVariableNameConflict: the org already has a check with the
	// spec's variableName that this object did not create, and the spec
	// does not ask to adopt it.
	ReasonVariableNameConflict = "VariableNameConflict"
	// ReasonAdoptionFailed: the check spec.adopt names does not exist, or
	// cannot be managed by the spec (a built-in check, another variableName
	// or platform).
	ReasonAdoptionFailed = "AdoptionFailed"
)

// conflictRecheck is how often an object blocked by a check it did not
// create looks again: a person may delete that check.
const conflictRecheck = 5 * time.Minute

// recordObserved copies Okta's ID, type and audit fields into the status.
// An absent type keeps what an earlier read recorded.
func recordObserved(status *assurancev1alpha1.DevicePostureCheckStatus, observed *okta.PostureCheckResponse) {
	status.ID = observed.ID
	if observed.Type != "" {
		status.Type = observed.Type
	}
	managed.RecordAudit(&status.OktaAudit, observed.Audit)
}
