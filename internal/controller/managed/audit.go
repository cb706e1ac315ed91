package managed

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// RecordAudit copies Okta's audit fields into the status. A PUT response
// of a policy lacks createdDate and createdBy (docs/okta-api-behaviour.md,
// R5), so absent values keep what an earlier read recorded.
func RecordAudit(status *assurancev1alpha1.OktaAudit, observed okta.Audit) {
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
