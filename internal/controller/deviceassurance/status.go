package deviceassurance

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
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

// recordObserved copies the policy's ID and Okta's audit fields into the
// status. A PUT response lacks createdDate and createdBy
// (docs/okta-api-behaviour.md, R5), so absent values keep what an earlier
// read recorded.
func recordObserved(status *assurancev1alpha1.DeviceAssurancePolicyStatus, observed *okta.DeviceAssuranceResponse) {
	status.ID = observed.ID
	if t := metaTime(observed.CreatedDate); t != nil {
		status.CreatedDate = t
	}
	if observed.CreatedBy != "" {
		status.CreatedBy = observed.CreatedBy
	}
	if t := metaTime(observed.LastUpdate); t != nil {
		status.LastUpdate = t
	}
	if observed.LastUpdatedBy != "" {
		status.LastUpdatedBy = observed.LastUpdatedBy
	}
}

func metaTime(t *time.Time) *metav1.Time {
	if t == nil {
		return nil
	}
	mt := metav1.NewTime(*t)
	return &mt
}
