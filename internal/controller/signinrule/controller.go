package signinrule

import (
	"context"
	"errors"

	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// Finalizer keeps a SignInRuleBinding until its Okta rule is deleted or
// released.
const Finalizer = "assurance.okta-operator.dev/sign-in-rule-binding"

// Reconciler makes a rule of an Okta app sign-in policy match each
// SignInRuleBinding.
type Reconciler = managed.Reconciler[*assurancev1alpha1.SignInRuleBinding]

type pass = managed.Pass[*assurancev1alpha1.SignInRuleBinding]

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=signinrulebindings,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=signinrulebindings/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=signinrulebindings/finalizers,verbs=update
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies,verbs=get;list;watch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs,verbs=get;list;watch

// New returns the reconciler of SignInRuleBindings.
func New(opts managed.Options) *Reconciler {
	kind := managed.Describe[*assurancev1alpha1.SignInRuleBinding, assurancev1alpha1.SignInRuleBindingList]("Okta rule", Finalizer)
	return managed.New(kind, &external{client: opts.Client}, opts)
}

// external is what is particular to sign-in rule bindings.
type external struct {
	// client reads the DeviceAssurancePolicies a rule names.
	client client.Reader
	// cache reads the bindings through the manager's indexes.
	cache client.Reader
	// locks serializes the writes to one Okta policy across all bindings.
	locks policyLocks
}

// Sync makes the org's rule match the spec: it resolves the device
// assurance policies (from the cluster: a binding waiting for them costs no
// Okta request) and the app sign-in policy, then, holding the policy's
// lock, creates or updates the rule.
func (e *external) Sync(ctx context.Context, p *pass) outcome.Outcome {
	obj := p.Obj
	ids, out, ok := e.resolveDependencies(ctx, p)
	if !ok {
		return out
	}
	policyID, out, ok := e.resolvePolicy(ctx, p)
	if !ok {
		return out
	}
	desired, err := desiredRule(&obj.Spec.Rule, ids)
	if err != nil {
		return outcome.Stall(outcome.ReasonInvalidSpec, err.Error())
	}
	// Observe mode never moves a rule to the policy the spec now names: it
	// keeps observing the rule where it is, and reports the policy.
	moved := p.Reports() && obj.Status.RuleID != "" && obj.Status.PolicyID != "" && obj.Status.PolicyID != policyID
	if moved {
		policyID = obj.Status.PolicyID
	}
	if out, ok := e.movePolicy(ctx, p, policyID); !ok {
		return out
	}
	unlock := e.locks.lock(policyKey(obj, policyID))
	defer unlock()
	if out, ok := e.checkPriority(ctx, obj, policyID); !ok {
		return out
	}
	if obj.Status.RuleID == "" {
		return e.createOrAdopt(ctx, p, desired)
	}
	observed, err := p.API.GetPolicyRule(ctx, policyID, obj.Status.RuleID)
	if okta.IsNotFound(err) {
		if p.Reports() {
			return p.Reporter().Deleted(obj, p.Conditions(), obj.Generation, ruleSubject(obj))
		}
		return e.recreate(ctx, p, desired)
	}
	if err != nil {
		return p.Failed("read the rule", err)
	}
	if moved {
		return reportMoved(p, desired, observed)
	}
	return update(ctx, p, desired, observed)
}

// Permits checks what a binding asks of a shared org before any Okta call:
// the app sign-in policy it writes into, its rule's priority, and a rule
// that denies access.
func (e *external) Permits(rights tenancy.Rights, obj *assurancev1alpha1.SignInRuleBinding) error {
	checks := []error{rights.SignInPolicy(obj.Spec.Policy), rights.Priority(obj.Spec.Rule.Priority)}
	if obj.Spec.Rule.Actions.AppSignOn.Access == accessDeny {
		checks = append(checks, rights.DenyAccess())
	}
	return errors.Join(checks...)
}

// accessDeny is the access of a rule that denies sign-in.
const accessDeny = "DENY"

// Watch wakes the bindings that name a DeviceAssurancePolicy that gets or
// changes its Okta ID, and those that ask for the priority of a binding
// that changes or goes.
func (e *external) Watch(b *builder.Builder, cache client.Reader) *builder.Builder {
	e.cache = cache
	return b.
		Watches(&assurancev1alpha1.DeviceAssurancePolicy{}, managed.BindingsNamePolicies.EnqueueReferrers(cache),
			builder.WithPredicates(oktaIDChanged)).
		Watches(&assurancev1alpha1.SignInRuleBinding{}, handler.EnqueueRequestsFromMapFunc(e.bindingsSharingPriority),
			builder.WithPredicates(predicate.GenerationChangedPredicate{}))
}

// oktaIDChanged passes the DeviceAssurancePolicy events that matter to a
// binding: created, deleted, or its Okta ID set or changed.
var oktaIDChanged = predicate.Funcs{
	UpdateFunc: func(e event.UpdateEvent) bool {
		before, ok1 := e.ObjectOld.(*assurancev1alpha1.DeviceAssurancePolicy)
		after, ok2 := e.ObjectNew.(*assurancev1alpha1.DeviceAssurancePolicy)
		return !ok1 || !ok2 || before.Status.ID != after.Status.ID
	},
}
