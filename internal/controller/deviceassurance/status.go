package deviceassurance

import (
	"time"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Reasons of the Ready condition particular to device assurance policies;
// the shared ones are in package outcome.
const (
	ReasonNameConflict   = "NameConflict"
	ReasonAmbiguousName  = "AmbiguousName"
	ReasonAdoptionFailed = "AdoptionFailed"
)

// nameConflictRecheck is how often an object blocked by a policy it did not
// create looks again: a person may rename or delete that policy.
const nameConflictRecheck = 5 * time.Minute

// nameCreatingRecheck is how soon an object whose name another object is
// creating at the same moment looks again: by then the other's policy
// exists (a NameConflict) or its create failed (the name is free).
const nameCreatingRecheck = 10 * time.Second

// recordObserved copies the policy's ID and Okta's audit fields into the
// status.
func recordObserved(status *assurancev1alpha1.DeviceAssurancePolicyStatus, observed *okta.DeviceAssuranceResponse) {
	status.ID = observed.ID
	managed.RecordAudit(&status.OktaAudit, observed.Audit)
}
