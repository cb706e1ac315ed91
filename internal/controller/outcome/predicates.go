package outcome

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// OrgReadinessChanged passes the org events that matter to the objects that
// use the org: creation, deletion, a new generation, and a change of its
// Ready condition. The org's own status patches, which refresh rate-limit
// figures at every check, would otherwise wake every object of the org, and
// a Stalled object would retry its refused call each time.
var OrgReadinessChanged = predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		if e.ObjectOld.GetGeneration() != e.ObjectNew.GetGeneration() {
			return true
		}
		return readiness(e.ObjectOld) != readiness(e.ObjectNew)
	},
}

// readiness is the org's Ready status and reason.
func readiness(obj client.Object) string {
	var conditions []metav1.Condition
	switch org := obj.(type) {
	case *assurancev1alpha1.OktaOrg:
		conditions = org.Status.Conditions
	case *assurancev1alpha1.ClusterOktaOrg:
		conditions = org.Status.Conditions
	}
	c := meta.FindStatusCondition(conditions, assurancev1alpha1.ConditionReady)
	if c == nil {
		return ""
	}
	return string(c.Status) + "/" + c.Reason
}
