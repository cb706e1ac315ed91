package signinrule

import (
	"context"
	"errors"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/source"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/driftreport"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// Finalizer keeps a SignInRuleBinding until its Okta rule is deleted or
// released.
const Finalizer = "assurance.okta-operator.dev/sign-in-rule-binding"

// OrgResolver gives the Okta client for the org an object refers to; any
// error means the org cannot be used yet. The DeviceAssurancePolicy
// reconciler's resolver satisfies it.
type OrgResolver interface {
	Resolve(ctx context.Context, namespace string, ref *assurancev1alpha1.OrgReference) (okta.API, error)
}

// Reconciler makes a rule of an Okta app sign-in policy match each
// SignInRuleBinding.
type Reconciler struct {
	client.Client
	Orgs     OrgResolver
	Recorder events.EventRecorder
	// Resync is how often a Ready object is compared with the org again;
	// each requeue adds up to 10% jitter so objects do not resync together.
	Resync time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBackoff caps the retry delay of a failing object
	// (lifecycle.DefaultMaxBackoff when zero).
	MaxBackoff time.Duration
	// DriftEvents, when set, enqueues the objects whose Okta object the
	// org's System Log shows was changed outside the operator.
	DriftEvents source.Source

	// cache reads the bindings and policies through the manager's indexes.
	cache client.Reader
	// locks serializes the writes to one Okta policy across all bindings.
	locks policyLocks
}

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=signinrulebindings,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=signinrulebindings/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=signinrulebindings/finalizers,verbs=update
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies,verbs=get;list;watch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs,verbs=get;list;watch

// Reconcile resolves the org, then deletes, creates or updates the rule,
// and writes the status once at the end.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	obj := &assurancev1alpha1.SignInRuleBinding{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	base := obj.DeepCopy()
	passStarted := r.now()
	ctx = orgclient.WithPriority(ctx, lifecycle.PassPriority(obj, lifecycle.ObservedState{
		Conditions: obj.Status.Conditions, ObservedGeneration: obj.Status.ObservedGeneration,
		LastSyncTime: obj.Status.LastSyncTime, LastOutOfBandChange: obj.Status.LastOutOfBandChange}))
	var out outcome.Outcome
	defer func() {
		if err := r.patchStatus(ctx, obj, base, out, passStarted); err != nil {
			retErr = errors.Join(retErr, err)
		}
	}()

	api, orgErr := r.Orgs.Resolve(ctx, obj.Namespace, obj.Spec.OrgRef)
	switch {
	case obj.Spec.Suspend && obj.DeletionTimestamp.IsZero():
		out = outcome.Suspend()
	case !obj.DeletionTimestamp.IsZero():
		out = r.finalize(ctx, obj, api, orgErr)
	case orgErr != nil:
		out = outcome.OrgNotReady(orgErr)
	default:
		out = r.sync(ctx, obj, api)
	}
	return out.Result(lifecycle.Jitter(r.Resync))
}

// sync makes the org's rule match the spec: it resolves the device
// assurance policies (from the cluster: a binding waiting for them costs no
// Okta request) and the app sign-in policy, then, holding the policy's
// lock, creates or updates the rule.
func (r *Reconciler) sync(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding, api okta.PolicyAPI) outcome.Outcome {
	if err := lifecycle.EnsureFinalizer(ctx, r.Client, obj, Finalizer); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err)
	}
	ids, out, ok := r.resolveDependencies(ctx, obj)
	if !ok {
		return out
	}
	policyID, out, ok := r.resolvePolicy(ctx, obj, api)
	if !ok {
		return out
	}
	desired, err := desiredRule(&obj.Spec.Rule, ids)
	if err != nil {
		return outcome.Stall(outcome.ReasonInvalidSpec, err.Error())
	}

	reports := driftreport.Reports(obj.Spec.DriftPolicy)
	if !reports {
		driftreport.Clear(&obj.Status.Conditions)
	}
	// Observe mode never moves a rule to the policy the spec now names: it
	// keeps observing the rule where it is, and reports the policy.
	moved := reports && obj.Status.RuleID != "" && obj.Status.PolicyID != "" && obj.Status.PolicyID != policyID
	if moved {
		policyID = obj.Status.PolicyID
	}
	if out, ok := r.movePolicy(ctx, obj, api, policyID); !ok {
		return out
	}
	unlock := r.locks.lock(policyKey(obj, policyID))
	defer unlock()
	if out, ok := r.checkPriority(ctx, obj, policyID); !ok {
		return out
	}
	if obj.Status.RuleID == "" {
		return r.createOrAdopt(ctx, obj, api, desired)
	}
	observed, err := api.GetPolicyRule(ctx, policyID, obj.Status.RuleID)
	if okta.IsNotFound(err) {
		if reports {
			return r.reporter().Deleted(obj, &obj.Status.Conditions, obj.Generation, ruleSubject(obj))
		}
		return r.recreate(ctx, obj, api, desired)
	}
	if err != nil {
		return outcome.Failed("read the rule", err, r.now())
	}
	if moved {
		return r.reportMoved(obj, desired, observed)
	}
	return r.update(ctx, obj, api, desired, observed)
}

// update writes the full desired rule, only when it differs from what the
// org holds once Okta's own rewrites are normalized away, then applies the
// status with the lifecycle calls. Under spec.driftPolicy Report it never
// writes: it reports the difference, the status included.
func (r *Reconciler) update(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding, api okta.PolicyAPI,
	desired okta.PolicyRule, observed *okta.PolicyRuleResponse) outcome.Outcome {
	if isSystem(observed) {
		return r.updateCatchAll(ctx, obj, api, desired, observed)
	}
	recordObserved(&obj.Status, observed)
	if desired.Priority == nil {
		// A binding without a priority sends the one Okta reports, so
		// that its PUT never moves the rule.
		desired.Priority = observed.Priority
	}
	if driftreport.Reports(obj.Spec.DriftPolicy) {
		return r.report(obj, ruleDrift(obj, desired, observed))
	}
	if fields := drift(desired, observed.PolicyRule); len(fields) > 0 {
		updated, err := api.ReplacePolicyRule(ctx, obj.Status.PolicyID, observed.ID, desired)
		if err != nil {
			lifecycle.Warn(r.Recorder, obj, "UpdateFailed", "Update", err)
			return outcome.Failed("update the rule", err, r.now())
		}
		recordObserved(&obj.Status, updated)
		r.Recorder.Eventf(obj, nil, "Normal", "Updated", "Update", "Updated %s in Okta rule %s%s",
			joinFields(fields), updated.ID, lifecycle.RequestRef(updated.RequestID))
		metrics.DriftCorrected.WithLabelValues("SignInRuleBinding").Inc()
	} else {
		metrics.WritesAvoided.WithLabelValues("SignInRuleBinding").Inc()
	}
	if out, ok := r.applyStatus(ctx, obj, api, observed); !ok {
		return out
	}
	return r.synced(obj)
}

// updateCatchAll manages the actions of the Catch-all Rule, the only part
// of it that can change.
func (r *Reconciler) updateCatchAll(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding, api okta.PolicyAPI,
	desired okta.PolicyRule, observed *okta.PolicyRuleResponse) outcome.Outcome {
	recordObserved(&obj.Status, observed)
	if obj.Spec.Rule.Conditions != nil {
		return outcome.Stall(ReasonCatchAllConditions, "Okta rule "+observed.ID+" is the Catch-all Rule: only its actions can be managed; remove spec.rule.conditions")
	}
	if !wantsActive(obj) {
		return outcome.Stall(ReasonCatchAllStatus, "Okta rule "+observed.ID+" is the Catch-all Rule: it cannot be deactivated; set spec.rule.status to ACTIVE")
	}
	if driftreport.Reports(obj.Spec.DriftPolicy) {
		return r.report(obj, actionsDrift(desired, observed.PolicyRule))
	}
	if fields := actionsDrift(desired, observed.PolicyRule); len(fields) > 0 {
		updated, err := api.ReplacePolicyRule(ctx, obj.Status.PolicyID, observed.ID, catchAllBody(desired, observed))
		if err != nil {
			lifecycle.Warn(r.Recorder, obj, "UpdateFailed", "Update", err)
			return outcome.Failed("update the Catch-all Rule", err, r.now())
		}
		recordObserved(&obj.Status, updated)
		r.Recorder.Eventf(obj, nil, "Normal", "Updated", "Update", "Updated %s in the Catch-all Rule %s%s",
			joinFields(fields), updated.ID, lifecycle.RequestRef(updated.RequestID))
		metrics.DriftCorrected.WithLabelValues("SignInRuleBinding").Inc()
	} else {
		metrics.WritesAvoided.WithLabelValues("SignInRuleBinding").Inc()
	}
	return r.synced(obj)
}

// applyStatus activates or deactivates the rule when Okta's status differs
// from the spec.
func (r *Reconciler) applyStatus(ctx context.Context, obj *assurancev1alpha1.SignInRuleBinding, api okta.PolicyAPI,
	observed *okta.PolicyRuleResponse) (outcome.Outcome, bool) {
	active := wantsActive(obj)
	if (observed.Status == string(assurancev1alpha1.RuleStatusActive)) == active {
		return outcome.Outcome{}, true
	}
	call, reason, verb := api.DeactivatePolicyRule, "Deactivated", "Deactivate"
	if active {
		call, reason, verb = api.ActivatePolicyRule, "Activated", "Activate"
	}
	if err := call(ctx, obj.Status.PolicyID, observed.ID); err != nil {
		lifecycle.Warn(r.Recorder, obj, verb+"Failed", verb, err)
		return outcome.Failed(verb+" the rule", err, r.now()), false
	}
	r.Recorder.Eventf(obj, nil, "Normal", reason, verb, "%s Okta rule %s", reason, observed.ID)
	return outcome.Outcome{}, true
}

func (r *Reconciler) synced(obj *assurancev1alpha1.SignInRuleBinding) outcome.Outcome {
	now := metav1.NewTime(r.now())
	obj.Status.LastSyncTime = &now
	return outcome.Synced("Okta rule " + obj.Status.RuleID + " of policy " + obj.Status.PolicyID + " matches the spec")
}

// patchStatus writes the outcome, unless the object is gone.
func (r *Reconciler) patchStatus(ctx context.Context, obj, base *assurancev1alpha1.SignInRuleBinding, out outcome.Outcome, passStarted time.Time) error {
	if !obj.DeletionTimestamp.IsZero() && !controllerutil.ContainsFinalizer(obj, Finalizer) {
		return nil
	}
	obj.Status.ObservedGeneration = obj.Generation
	outcome.ApplyFor("SignInRuleBinding", obj, &obj.Status.Conditions, out, passStarted, r.now())
	if obj.Status.PendingCreate == nil {
		// create() patches pendingCreate on its own before the POST; keep it
		// in this patch so that clearing it reaches the server too.
		base.Status.PendingCreate = &assurancev1alpha1.PendingCreate{}
	}
	err := r.Status().Patch(ctx, obj, client.MergeFrom(base))
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

func (r *Reconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// SetupWithManager registers the controller. Status-only changes of a
// binding do not trigger a pass (the status is the controller's own
// output); a DeviceAssurancePolicy that gets or changes its Okta ID does,
// for the bindings that name it, and so does a change of an org's readiness.
func (r *Reconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager, concurrency int) error {
	if err := indexBindings(ctx, mgr); err != nil {
		return err
	}
	r.cache = mgr.GetClient()
	b := ctrl.NewControllerManagedBy(mgr).
		For(&assurancev1alpha1.SignInRuleBinding{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&assurancev1alpha1.DeviceAssurancePolicy{}, handler.EnqueueRequestsFromMapFunc(r.bindingsNamingPolicy),
			builder.WithPredicates(oktaIDChanged)).
		Watches(&assurancev1alpha1.SignInRuleBinding{}, handler.EnqueueRequestsFromMapFunc(r.bindingsSharingPriority),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&assurancev1alpha1.OktaOrg{}, handler.EnqueueRequestsFromMapFunc(r.bindingsUsingOktaOrg),
			builder.WithPredicates(outcome.OrgReadinessChanged)).
		Watches(&assurancev1alpha1.ClusterOktaOrg{}, handler.EnqueueRequestsFromMapFunc(r.bindingsUsingClusterOktaOrg),
			builder.WithPredicates(outcome.OrgReadinessChanged)).
		WithOptions(lifecycle.ControllerOptions(concurrency, r.MaxBackoff)).
		Named("signinrulebinding")
	if r.DriftEvents != nil {
		b = b.WatchesRawSource(r.DriftEvents)
	}
	return b.Complete(r)
}
