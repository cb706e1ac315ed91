package outcome

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// apply writes the kstatus conditions for o: Ready always, Reconciling
// while the controller still works towards Ready, Stalled while it cannot
// make progress without a change; a Deferred outcome leaves them as they
// are. at is the lastTransitionTime of the conditions that change status
// (zero: time.Now()).
func apply(conditions *[]metav1.Condition, o Outcome, generation int64, at metav1.Time) {
	if o.Deferred {
		return
	}
	ready := metav1.Condition{
		Type: assurancev1alpha1.ConditionReady, Status: metav1.ConditionFalse,
		Reason: o.Reason, Message: o.Message, ObservedGeneration: generation, LastTransitionTime: at,
	}
	if o.Ready {
		ready.Status = metav1.ConditionTrue
	}
	meta.SetStatusCondition(conditions, ready)
	setOrRemove(conditions, assurancev1alpha1.ConditionStalled, o.Stalled, o.Reason, o.Message, generation, at)
	setOrRemove(conditions, assurancev1alpha1.ConditionReconciling, !o.Ready && !o.Stalled && !o.Suspended, o.Reason, o.Message, generation, at)
}

// SetOrRemove keeps an abnormal-true condition present only while it holds,
// as kstatus expects.
func SetOrRemove(conditions *[]metav1.Condition, condType string, holds bool, reason, message string, generation int64) {
	setOrRemove(conditions, condType, holds, reason, message, generation, metav1.Time{})
}

func setOrRemove(conditions *[]metav1.Condition, condType string, holds bool, reason, message string, generation int64, at metav1.Time) {
	if !holds {
		meta.RemoveStatusCondition(conditions, condType)
		return
	}
	meta.SetStatusCondition(conditions, metav1.Condition{
		Type: condType, Status: metav1.ConditionTrue, Reason: reason, Message: message, ObservedGeneration: generation,
		LastTransitionTime: at,
	})
}
