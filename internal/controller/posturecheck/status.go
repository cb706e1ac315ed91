package posturecheck

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// ReasonVariableNameConflict is the reason of the Ready condition while the
// org already has a check with the spec's variableName that this object did
// not create; the shared reasons are in package outcome.
const ReasonVariableNameConflict = "VariableNameConflict"

// conflictRecheck is how often an object blocked by a check it did not
// create looks again: a person may delete that check.
const conflictRecheck = 5 * time.Minute

// recordObserved copies Okta's ID, type and audit fields into the status.
// Absent values keep what an earlier read recorded.
func recordObserved(status *assurancev1alpha1.DevicePostureCheckStatus, observed *okta.PostureCheckResponse) {
	status.ID = observed.ID
	if observed.Type != "" {
		status.Type = observed.Type
	}
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
