package managed

import (
	"context"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// Reasons of the DependenciesReady condition, and of Ready while waiting.
const (
	ReasonDependenciesNotReady = "DependenciesNotReady"
	ReasonDependenciesResolved = "Resolved"
	ReasonForeignDependency    = "ForeignDependency"
)

// dependencyRecheck backs up the watch of the dependencies.
const dependencyRecheck = time.Minute

// Dependency describes the objects of the namespace that an object names
// and needs in Okta before its own Okta object can be written: a policy's
// DevicePostureChecks, a binding's DeviceAssurancePolicies.
type Dependency[D Object] struct {
	// Kind is the dependencies' kind, e.g. DevicePostureCheck.
	Kind string
	// New returns an empty dependency.
	New func() D
	// Owner names the object that depends, in messages, e.g. "policy".
	Owner string
	// Ready says what a dependency waits for, e.g. "to exist in Okta".
	Ready string
	// ForeignHint says what to do about a dependency of another org.
	ForeignHint string
}

// ResolveDependencies reads the dependencies p's object names, from the
// cluster: waiting for them costs no Okta request. It returns them once
// each holds an Okta ID in the object's org, and sets DependenciesReady;
// otherwise ok is false with the outcome of the pass: waiting for one that
// is missing or has no ID yet, stalled on one of another org (its Okta ID
// means nothing in this org), with those that did resolve.
func ResolveDependencies[T, D Object](ctx context.Context, c client.Reader, p *Pass[T], names []string, d Dependency[D]) ([]D, outcome.Outcome, bool) {
	obj := p.Obj
	org := lifecycle.OrgKey(obj.GetManagedSpec().OrgRef)
	var resolved []D
	var waiting, foreign []string
	for _, name := range names {
		dep := d.New()
		err := c.Get(ctx, types.NamespacedName{Namespace: obj.GetNamespace(), Name: name}, dep)
		switch {
		case apierrors.IsNotFound(err):
			waiting = append(waiting, name+" (not found)")
		case err != nil:
			return nil, outcome.Transient(outcome.ReasonProgressing, fmt.Errorf("read %s %s: %w", d.Kind, name, err)), false
		case lifecycle.OrgKey(dep.GetManagedSpec().OrgRef) != org:
			foreign = append(foreign, fmt.Sprintf("%s (org %s)", name, lifecycle.OrgKey(dep.GetManagedSpec().OrgRef)))
		case len(dep.OktaIDs()) == 0:
			waiting = append(waiting, name)
		default:
			resolved = append(resolved, dep)
		}
	}
	switch {
	case len(foreign) > 0:
		message := d.Kind + " " + strings.Join(foreign, ", ") + " is in another org than this " + d.Owner + " (" + org + "); " + d.ForeignHint
		setDependencies(p, metav1.ConditionFalse, ReasonForeignDependency, message)
		return resolved, outcome.Stall(ReasonForeignDependency, message), false
	case len(waiting) > 0:
		message := "waiting for " + d.Kind + " " + strings.Join(waiting, ", ") + " " + d.Ready
		setDependencies(p, metav1.ConditionFalse, ReasonDependenciesNotReady, message)
		return resolved, outcome.Waiting(ReasonDependenciesNotReady, message, dependencyRecheck), false
	case len(names) == 0:
		setDependencies(p, metav1.ConditionTrue, ReasonDependenciesResolved, "no "+d.Kind+" is named")
	default:
		setDependencies(p, metav1.ConditionTrue, ReasonDependenciesResolved, "every named "+d.Kind+" "+strings.TrimPrefix(d.Ready, "to "))
	}
	return resolved, outcome.Outcome{}, true
}

func setDependencies[T Object](p *Pass[T], status metav1.ConditionStatus, reason, message string) {
	meta.SetStatusCondition(p.Conditions(), metav1.Condition{
		Type: assurancev1alpha1.ConditionDependenciesReady, Status: status, Reason: reason, Message: message,
		ObservedGeneration: p.Obj.GetGeneration(),
	})
}
