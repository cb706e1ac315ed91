package outcome

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// Apply writes the kstatus conditions for o: Ready always, Reconciling while
// the controller still works towards Ready, Stalled while it cannot make
// progress without a change.
func Apply(conditions *[]metav1.Condition, o Outcome, generation int64) {
	ready := metav1.Condition{
		Type: assurancev1alpha1.ConditionReady, Status: metav1.ConditionFalse,
		Reason: o.Reason, Message: o.Message, ObservedGeneration: generation,
	}
	if o.Ready {
		ready.Status = metav1.ConditionTrue
	}
	meta.SetStatusCondition(conditions, ready)
	SetOrRemove(conditions, assurancev1alpha1.ConditionStalled, o.Stalled, o.Reason, o.Message, generation)
	SetOrRemove(conditions, assurancev1alpha1.ConditionReconciling, !o.Ready && !o.Stalled && !o.Suspended, o.Reason, o.Message, generation)
}

// SetOrRemove keeps an abnormal-true condition present only while it holds,
// as kstatus expects.
func SetOrRemove(conditions *[]metav1.Condition, condType string, holds bool, reason, message string, generation int64) {
	if !holds {
		meta.RemoveStatusCondition(conditions, condType)
		return
	}
	meta.SetStatusCondition(conditions, metav1.Condition{
		Type: condType, Status: metav1.ConditionTrue, Reason: reason, Message: message, ObservedGeneration: generation,
	})
}
