package outcome

import (
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// OrgReadinessChanged passes the org events that matter to the objects that
// use the org: creation, deletion, a new generation, a change of its Ready
// condition, and a kind or feature becoming available or unavailable
// (status.capabilities: a scope granted or refused). The org's own status
// patches, which refresh rate-limit figures at every check, would otherwise
// wake every object of the org, and a Stalled object would retry its
// refused call each time.
var OrgReadinessChanged = predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		if e.ObjectOld.GetGeneration() != e.ObjectNew.GetGeneration() {
			return true
		}
		return readiness(e.ObjectOld) != readiness(e.ObjectNew)
	},
}

// readiness is the org's Ready status and reason, and the kinds and
// features it cannot serve.
func readiness(obj client.Object) string {
	var status *assurancev1alpha1.OktaOrgStatus
	switch org := obj.(type) {
	case *assurancev1alpha1.OktaOrg:
		status = &org.Status
	case *assurancev1alpha1.ClusterOktaOrg:
		status = &org.Status
	default:
		return ""
	}
	var b strings.Builder
	if c := meta.FindStatusCondition(status.Conditions, assurancev1alpha1.ConditionReady); c != nil {
		b.WriteString(string(c.Status) + "/" + c.Reason)
	}
	for _, c := range status.Capabilities {
		if !c.Available {
			b.WriteString(" -" + string(c.Name))
		}
	}
	return b.String()
}
