package deviceassurance

import (
	"context"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// Reasons of the DependenciesReady condition and of Ready while waiting.
const (
	ReasonDependenciesNotReady = "DependenciesNotReady"
	ReasonDependenciesResolved = "Resolved"
	ReasonForeignDependency    = "ForeignDependency"
)

// dependencyRecheck backs up the DevicePostureCheck watch.
const dependencyRecheck = time.Minute

// resolvePostureChecks maps each DevicePostureCheck the policy names to its
// variableName, once the check exists in the policy's org; ok is false while
// one does not, and then nothing is written to Okta (Okta would refuse an
// unknown variableName). DependenciesReady is present only on policies that
// name checks.
func (e *external) resolvePostureChecks(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy) (map[string]string, outcome.Outcome, bool) {
	names := obj.PostureCheckNames()
	if len(names) == 0 {
		meta.RemoveStatusCondition(&obj.Status.Conditions, assurancev1alpha1.ConditionDependenciesReady)
		return nil, outcome.Outcome{}, true
	}
	variables := make(map[string]string, len(names))
	var waiting, foreign []string
	for _, name := range names {
		check := &assurancev1alpha1.DevicePostureCheck{}
		err := e.client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, check)
		switch {
		case apierrors.IsNotFound(err):
			waiting = append(waiting, name+" (not found)")
		case err != nil:
			return nil, outcome.Transient(outcome.ReasonProgressing, fmt.Errorf("read DevicePostureCheck %s: %w", name, err)), false
		case lifecycle.OrgKey(check.Spec.OrgRef) != lifecycle.OrgKey(obj.Spec.OrgRef):
			foreign = append(foreign, fmt.Sprintf("%s (org %s)", name, lifecycle.OrgKey(check.Spec.OrgRef)))
		case check.Status.ID == "":
			waiting = append(waiting, name)
		default:
			variables[name] = check.Spec.VariableName
		}
	}
	switch {
	case len(foreign) > 0:
		message := "DevicePostureCheck " + strings.Join(foreign, ", ") + " is in another org than this policy (" +
			lifecycle.OrgKey(obj.Spec.OrgRef) + "); refer to checks of the policy's org, or to others by variableName"
		setDependencies(obj, metav1.ConditionFalse, ReasonForeignDependency, message)
		return nil, outcome.Stall(ReasonForeignDependency, message), false
	case len(waiting) > 0:
		message := "waiting for DevicePostureCheck " + strings.Join(waiting, ", ") + " to exist in Okta"
		setDependencies(obj, metav1.ConditionFalse, ReasonDependenciesNotReady, message)
		return nil, outcome.Waiting(ReasonDependenciesNotReady, message, dependencyRecheck), false
	}
	setDependencies(obj, metav1.ConditionTrue, ReasonDependenciesResolved, "every named DevicePostureCheck exists in Okta")
	return variables, outcome.Outcome{}, true
}

func setDependencies(obj *assurancev1alpha1.DeviceAssurancePolicy, status metav1.ConditionStatus, reason, message string) {
	meta.SetStatusCondition(&obj.Status.Conditions, metav1.Condition{
		Type: assurancev1alpha1.ConditionDependenciesReady, Status: status, Reason: reason, Message: message,
		ObservedGeneration: obj.Generation,
	})
}
