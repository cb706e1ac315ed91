package signinrule

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// resolveDependencies maps each DeviceAssurancePolicy the rule names to
// its Okta ID, records them in the status and sets DependenciesReady; ok
// is false while one of them has no ID yet, and then nothing is written to
// Okta.
func (e *external) resolveDependencies(ctx context.Context, p *pass) (map[string]string, outcome.Outcome, bool) {
	obj := p.Obj
	names := obj.DeviceAssurancePolicyNames()
	ids := make(map[string]string, len(names))
	resolved := make([]assurancev1alpha1.ResolvedDeviceAssurance, 0, len(names))
	var waiting, foreign []string
	for _, name := range names {
		policy := &assurancev1alpha1.DeviceAssurancePolicy{}
		err := e.client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, policy)
		switch {
		case apierrors.IsNotFound(err):
			waiting = append(waiting, name+" (not found)")
		case err != nil:
			return nil, outcome.Transient(outcome.ReasonProgressing, fmt.Errorf("read DeviceAssurancePolicy %s: %w", name, err)), false
		case lifecycle.OrgKey(policy.Spec.OrgRef) != lifecycle.OrgKey(obj.Spec.OrgRef):
			// Its Okta ID belongs to another org: sending it would point the
			// rule at a policy that does not exist there.
			foreign = append(foreign, fmt.Sprintf("%s (org %s)", name, lifecycle.OrgKey(policy.Spec.OrgRef)))
		case policy.Status.ID == "":
			waiting = append(waiting, name)
		default:
			ids[name] = policy.Status.ID
			resolved = append(resolved, assurancev1alpha1.ResolvedDeviceAssurance{Name: name, ID: policy.Status.ID})
		}
	}
	obj.Status.DeviceAssurances = resolved
	if len(foreign) > 0 {
		message := "DeviceAssurancePolicy " + strings.Join(foreign, ", ") + " is in another org than this binding (" +
			lifecycle.OrgKey(obj.Spec.OrgRef) + "); name policies of the binding's org, or refer to others by id"
		setDependencies(obj, metav1.ConditionFalse, ReasonForeignDependency, message)
		return nil, outcome.Stall(ReasonForeignDependency, message), false
	}
	if len(waiting) > 0 {
		message := "waiting for DeviceAssurancePolicy " + strings.Join(waiting, ", ") + " to have an Okta ID"
		setDependencies(obj, metav1.ConditionFalse, ReasonDependenciesNotReady, message)
		return nil, outcome.Waiting(ReasonDependenciesNotReady, message, dependencyRecheck), false
	}
	message := "no DeviceAssurancePolicy is named"
	if len(names) > 0 {
		message = "every named DeviceAssurancePolicy has an Okta ID"
	}
	setDependencies(obj, metav1.ConditionTrue, ReasonDependenciesResolved, message)
	return ids, outcome.Outcome{}, true
}

func setDependencies(obj *assurancev1alpha1.SignInRuleBinding, status metav1.ConditionStatus, reason, message string) {
	meta.SetStatusCondition(&obj.Status.Conditions, metav1.Condition{
		Type: assurancev1alpha1.ConditionDependenciesReady, Status: status, Reason: reason, Message: message,
		ObservedGeneration: obj.Generation,
	})
}
