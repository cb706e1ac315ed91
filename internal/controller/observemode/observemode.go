// Package observemode is the observe mode of the controllers
// (spec.driftPolicy: Report): once an object has its Okta object, a pass
// compares as usual but never writes; it reports what differs instead, in
// the Drifted condition, a Warning event and the
// okta_assurance_drift_reported_total metric.
//
// The object is then reconciled as configured, so Ready is True (reason
// DriftReported, the differing fields in the message) and kstatus sees it
// Current; Drifted is an abnormal-true condition, present only while the
// Okta object differs, which kstatus ignores and people and alerts read.
// An Okta object deleted outside Kubernetes is not created again: that
// needs a person, so Ready is False and Stalled True (DeletedInOkta).
package observemode

import (
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
)

// Reasons of the observe mode.
const (
	// ReasonDriftReported is the reason of Ready=True while the Okta
	// object differs from the spec and spec.driftPolicy is Report.
	ReasonDriftReported = "DriftReported"
	// ReasonDriftDetected is the reason of Drifted=True, and of the Warning
	// event sent when the set of differing fields changes.
	ReasonDriftDetected = "DriftDetected"
	// ReasonDeletedInOkta is the reason of Ready=False, Stalled=True and
	// Drifted=True when the Okta object was deleted outside Kubernetes and
	// spec.driftPolicy is Report.
	ReasonDeletedInOkta = "DeletedInOkta"
)

// Reports tells whether the object is in observe mode. An empty policy
// (an object stored before the CRD had the field) is Correct.
func Reports(p assurancev1alpha1.DriftPolicy) bool {
	return p == assurancev1alpha1.DriftPolicyReport
}

// Message is the message of the Drifted condition for the differing
// fields, e.g. "Okta differs from the spec in: osVersion.minimum, screenLockType".
func Message(fields []string) string {
	return "Okta differs from the spec in: " + strings.Join(fields, ", ")
}

// ReadyMessage is the message of Ready=True while subject (e.g. "Okta
// policy dae…") differs from the spec in fields.
func ReadyMessage(subject string, fields []string) string {
	return subject + " differs from the spec in: " + strings.Join(fields, ", ") +
		"; spec.driftPolicy is Report, so the operator does not write it"
}

// DeletedMessage is the message of Ready=False and Stalled=True once
// subject was deleted outside Kubernetes.
func DeletedMessage(subject string) string {
	return subject + " was deleted outside Kubernetes; spec.driftPolicy is Report, so it is not created again: " +
		"set spec.driftPolicy to Correct to recreate it, or delete this object"
}

// Detail names, for each differing top-level field of want and have (the
// normalized Okta bodies), the nested fields that differ, e.g.
// osVersion.minimum for osVersion; a field whose difference cannot be
// pinned down further (a list, a scalar, a value on one side only) stays
// as it is. The result is sorted.
func Detail(fields []string, want, have map[string]any) []string {
	var out []string
	for _, f := range fields {
		w, wok := want[f].(map[string]any)
		h, hok := have[f].(map[string]any)
		var nested []string
		if wok && hok {
			leaves(w, h, f, &nested)
		}
		if len(nested) == 0 {
			nested = []string{f}
		}
		out = append(out, nested...)
	}
	sort.Strings(out)
	return out
}

// leaves appends the paths under prefix at which want and have differ,
// descending into objects present on both sides.
func leaves(want, have map[string]any, prefix string, out *[]string) {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range have {
		keys[k] = true
	}
	for k := range keys {
		p := prefix + "." + k
		w, wok := want[k].(map[string]any)
		h, hok := have[k].(map[string]any)
		if wok && hok {
			leaves(w, h, p, out)
			continue
		}
		wv, wIn := want[k]
		hv, hIn := have[k]
		if wIn != hIn || !reflect.DeepEqual(wv, hv) {
			*out = append(*out, p)
		}
	}
}

// Reporter records what a pass of one kind found in observe mode.
type Reporter struct {
	Recorder events.EventRecorder
	// Kind is the metric's label, e.g. DeviceAssurancePolicy.
	Kind string
}

// Observed records the result of a compare in observe mode and tells
// whether the Okta object differs. With no fields, Drifted is removed and
// the caller goes on as after a compare that found nothing to write. With
// fields, Drifted lists them; a Warning event and the metric count the
// report only when the set of fields changed since the last pass, not at
// every resync; the outcome is Ready=True with reason DriftReported.
func (r Reporter) Observed(obj runtime.Object, conditions *[]metav1.Condition, generation int64,
	subject string, fields []string) (outcome.Outcome, bool) {
	if len(fields) == 0 {
		Clear(conditions)
		return outcome.Outcome{}, false
	}
	message := Message(fields)
	if previous := meta.FindStatusCondition(*conditions, assurancev1alpha1.ConditionDrifted); previous == nil ||
		previous.Reason != ReasonDriftDetected || previous.Message != message {
		r.Recorder.Eventf(obj, nil, "Warning", ReasonDriftDetected, "Compare", "%s differs from the spec in: %s; not corrected (spec.driftPolicy is Report)",
			subject, strings.Join(fields, ", "))
		metrics.DriftReported.WithLabelValues(r.Kind).Inc()
	}
	outcome.SetOrRemove(conditions, assurancev1alpha1.ConditionDrifted, true, ReasonDriftDetected, message, generation)
	return outcome.Outcome{Ready: true, Reason: ReasonDriftReported, Message: ReadyMessage(subject, fields)}, true
}

// Deleted records that subject was deleted outside Kubernetes in observe
// mode: it is not created again, and the object stalls until a person sets
// spec.driftPolicy to Correct or deletes it. The event and the metric count
// it once.
func (r Reporter) Deleted(obj runtime.Object, conditions *[]metav1.Condition, generation int64, subject string) outcome.Outcome {
	message := subject + " was deleted outside Kubernetes"
	if previous := meta.FindStatusCondition(*conditions, assurancev1alpha1.ConditionDrifted); previous == nil ||
		previous.Reason != ReasonDeletedInOkta || previous.Message != message {
		r.Recorder.Eventf(obj, nil, "Warning", ReasonDeletedInOkta, "Compare", "%s", DeletedMessage(subject))
		metrics.DriftReported.WithLabelValues(r.Kind).Inc()
	}
	outcome.SetOrRemove(conditions, assurancev1alpha1.ConditionDrifted, true, ReasonDeletedInOkta, message, generation)
	return outcome.Stall(ReasonDeletedInOkta, DeletedMessage(subject))
}

// Clear removes the Drifted condition: the Okta object matches the spec,
// or the object is not in observe mode (Drifted is only ever True under
// spec.driftPolicy Report).
func Clear(conditions *[]metav1.Condition) {
	meta.RemoveStatusCondition(conditions, assurancev1alpha1.ConditionDrifted)
}
