package lifecycle

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// PassUrgency is the urgency of a pass's Okta calls. Low only for the
// periodic resync of an object that is Ready for its current generation and
// that no out-of-band change touched since it was last confirmed: when the
// org's rate-limit share runs short, new, changed, failing, deleted and
// drifted objects go first.
func PassUrgency(obj client.Object, s *assurancev1alpha1.ManagedStatus) orgclient.Urgency {
	ready := meta.FindStatusCondition(s.Conditions, assurancev1alpha1.ConditionReady)
	switch {
	case !obj.GetDeletionTimestamp().IsZero(),
		s.ObservedGeneration != obj.GetGeneration(),
		ready == nil || ready.Status != metav1.ConditionTrue || ready.ObservedGeneration != obj.GetGeneration(),
		s.LastOutOfBandChange != nil && (s.LastSyncTime == nil || !s.LastOutOfBandChange.Time.Before(s.LastSyncTime)):
		return orgclient.UrgencyHigh
	default:
		return orgclient.UrgencyLow
	}
}
