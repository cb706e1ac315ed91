package outcome

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
)

// ApplyFor is Apply for the status patch of an object of kind (its Kind,
// e.g. "DeviceAssurancePolicy"), which also observes
// okta_assurance_time_to_ready_seconds when o makes the object Ready, as
// TimeToReady decides from the conditions before the patch. passStarted is
// when the reconcile pass began (zero: now); now is the time of the patch.
//
// Unlike Apply it starts the Reconciling and Stalled conditions afresh
// (lastTransitionTime now) when they were about an older generation, so
// that their lastTransitionTime is when the current generation was first
// seen not Ready, which the next patches read back: the measure survives a
// restart of the operator.
func ApplyFor(kind string, obj metav1.Object, conditions *[]metav1.Condition, o Outcome, passStarted, now time.Time) {
	if o.Deferred {
		return
	}
	generation := obj.GetGeneration()
	d, observe := TimeToReady(*conditions, o, generation, obj.GetCreationTimestamp().Time, passStarted, now)
	for _, condType := range []string{assurancev1alpha1.ConditionReconciling, assurancev1alpha1.ConditionStalled} {
		if c := meta.FindStatusCondition(*conditions, condType); c != nil && c.ObservedGeneration != generation {
			meta.RemoveStatusCondition(conditions, condType)
		}
	}
	apply(conditions, o, generation, metav1.NewTime(now))
	if observe {
		metrics.ObserveTimeToReady(kind, d)
	}
}

// TimeToReady decides whether a status patch writing o at generation ends a
// wait for Ready, and how long it was, from the conditions before the
// patch (as ApplyFor writes them), the object's creationTimestamp, when the
// pass began (zero: now) and now:
//
//   - o is not Ready, or the object was already Ready at this generation
//     (a resync): nothing to observe.
//   - Reconciling or Stalled is about this generation: the wait began at
//     the earliest of their lastTransitionTime, when the generation was
//     first seen not Ready. This includes an object that was Ready at this
//     generation, fell (an outage, a change in Okta) and recovers: the wait
//     began when it fell.
//   - No status yet (a new object made Ready by its first pass): since its
//     creationTimestamp.
//   - Otherwise this pass is the first to see the generation (a spec edit
//     made Ready at once): since the pass began.
//
// A negative wait (clock skew) is 0.
func TimeToReady(before []metav1.Condition, o Outcome, generation int64, created, passStarted, now time.Time) (time.Duration, bool) {
	if !o.Ready {
		return 0, false
	}
	ready := meta.FindStatusCondition(before, assurancev1alpha1.ConditionReady)
	if ready != nil && ready.Status == metav1.ConditionTrue && ready.ObservedGeneration == generation {
		return 0, false
	}
	start := waitStart(before, generation)
	if start.IsZero() && ready == nil {
		start = created
	}
	if start.IsZero() {
		start = passStarted
	}
	if start.IsZero() {
		return 0, true
	}
	return max(now.Sub(start), 0), true
}

// waitStart is the earliest lastTransitionTime of the Reconciling and
// Stalled conditions about generation, zero if none.
func waitStart(conditions []metav1.Condition, generation int64) time.Time {
	var start time.Time
	for _, condType := range []string{assurancev1alpha1.ConditionReconciling, assurancev1alpha1.ConditionStalled} {
		c := meta.FindStatusCondition(conditions, condType)
		if c == nil || c.Status != metav1.ConditionTrue || c.ObservedGeneration != generation || c.LastTransitionTime.IsZero() {
			continue
		}
		if t := c.LastTransitionTime.Time; start.IsZero() || t.Before(start) {
			start = t
		}
	}
	return start
}

// ReadyAt tells whether conditions say Ready at generation: a pass over
// such an object is a resync.
func ReadyAt(conditions []metav1.Condition, generation int64) bool {
	c := meta.FindStatusCondition(conditions, assurancev1alpha1.ConditionReady)
	return c != nil && c.Status == metav1.ConditionTrue && c.ObservedGeneration == generation
}
