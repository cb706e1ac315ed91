package deviceassurance

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/driftreport"
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

// recordObserved copies Okta's audit fields into the status. A PUT response
// lacks createdDate and createdBy (recordings index item 5), so absent
// values keep what an earlier read recorded.
func recordObserved(status *assurancev1alpha1.DeviceAssurancePolicyStatus, id string, audit auditFields) {
	status.ID = id
	if audit.createdDate != nil {
		status.CreatedDate = audit.createdDate
	}
	if audit.createdBy != "" {
		status.CreatedBy = audit.createdBy
	}
	if audit.lastUpdate != nil {
		status.LastUpdate = audit.lastUpdate
	}
	if audit.lastUpdatedBy != "" {
		status.LastUpdatedBy = audit.lastUpdatedBy
	}
}

type auditFields struct {
	createdDate, lastUpdate  *metav1.Time
	createdBy, lastUpdatedBy string
}

// reporter reports the drift of policies under spec.driftPolicy Report.
func (r *Reconciler) reporter() driftreport.Reporter {
	return driftreport.Reporter{Recorder: r.Recorder, Kind: "DeviceAssurancePolicy"}
}
