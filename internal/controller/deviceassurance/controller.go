package deviceassurance

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

// Finalizer keeps a DeviceAssurancePolicy until its Okta policy is deleted
// or orphaned.
const Finalizer = "assurance.okta-operator.dev/device-assurance-policy"

// OrgResolver gives the Okta client for the org an object refers to; any
// error means the org cannot be used yet.
type OrgResolver interface {
	Resolve(ctx context.Context, namespace string, ref *assurancev1alpha1.OrgReference) (okta.API, error)
}

// Reconciler makes the org's device assurance policy match each
// DeviceAssurancePolicy.
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
}

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies/finalizers,verbs=update
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs;signinrulebindings;deviceposturechecks,verbs=get;list;watch

// Reconcile resolves the org, then deletes, creates or updates the policy,
// and writes the status once at the end.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	obj := &assurancev1alpha1.DeviceAssurancePolicy{}
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

// sync makes the org's policy match the spec.
func (r *Reconciler) sync(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy, api okta.DeviceAssuranceAPI) outcome.Outcome {
	if err := lifecycle.EnsureFinalizer(ctx, r.Client, obj, Finalizer); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err)
	}
	variables, out, ok := r.resolvePostureChecks(ctx, obj)
	if !ok {
		return out
	}
	desired, err := desiredPolicy(obj, variables)
	if err != nil {
		return outcome.Stall(outcome.ReasonInvalidSpec, err.Error())
	}
	if !driftreport.Reports(obj.Spec.DriftPolicy) {
		driftreport.Clear(&obj.Status.Conditions)
	}
	if obj.Status.ID == "" {
		return r.createOrAdopt(ctx, obj, api, desired)
	}
	observed, err := api.GetDeviceAssurance(ctx, obj.Status.ID)
	if okta.IsNotFound(err) {
		if driftreport.Reports(obj.Spec.DriftPolicy) {
			return r.reporter().Deleted(obj, &obj.Status.Conditions, obj.Generation, "Okta policy "+obj.Status.ID)
		}
		return r.recreate(ctx, obj, api, desired)
	}
	if err != nil {
		return outcome.Failed("read the policy", err, r.now())
	}
	return r.update(ctx, obj, api, desired, observed)
}

// update writes the full desired policy, only when it differs from what the
// org holds once Okta's own rewrites are normalized away. Under
// spec.driftPolicy Report it never writes: it reports the difference.
func (r *Reconciler) update(ctx context.Context, obj *assurancev1alpha1.DeviceAssurancePolicy, api okta.DeviceAssuranceAPI,
	desired okta.DeviceAssurance, observed *okta.DeviceAssuranceResponse) outcome.Outcome {
	recordObserved(&obj.Status, observed.ID, audit(observed))
	fields := drift(desired, observed.DeviceAssurance)
	if driftreport.Reports(obj.Spec.DriftPolicy) {
		if out, drifted := r.reporter().Observed(obj, &obj.Status.Conditions, obj.Generation,
			"Okta policy "+observed.ID, driftPaths(fields, desired, observed.DeviceAssurance)); drifted {
			return out
		}
		fields = nil
	}
	if len(fields) > 0 {
		updated, err := api.ReplaceDeviceAssurance(ctx, observed.ID, desired)
		if err != nil {
			lifecycle.Warn(r.Recorder, obj, "UpdateFailed", "Update", err)
			return outcome.Failed("update the policy", err, r.now())
		}
		recordObserved(&obj.Status, updated.ID, audit(updated))
		r.Recorder.Eventf(obj, nil, "Normal", "Updated", "Update", "Updated %s in Okta policy %s%s",
			joinFields(fields), updated.ID, lifecycle.RequestRef(updated.RequestID))
		metrics.DriftCorrected.WithLabelValues("DeviceAssurancePolicy").Inc()
	} else {
		metrics.WritesAvoided.WithLabelValues("DeviceAssurancePolicy").Inc()
	}
	now := metav1.NewTime(r.now())
	obj.Status.LastSyncTime = &now
	return outcome.Synced("Okta policy " + obj.Status.ID + " matches the spec")
}

// patchStatus writes the outcome, unless the object is gone.
func (r *Reconciler) patchStatus(ctx context.Context, obj, base *assurancev1alpha1.DeviceAssurancePolicy, out outcome.Outcome, passStarted time.Time) error {
	if !obj.DeletionTimestamp.IsZero() && !controllerutil.ContainsFinalizer(obj, Finalizer) {
		return nil
	}
	obj.Status.ObservedGeneration = obj.Generation
	outcome.ApplyFor("DeviceAssurancePolicy", obj, &obj.Status.Conditions, out, passStarted, r.now())
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
// policy do not trigger a pass (the status is the controller's own output);
// a change of an org's readiness does, for the policies that use it.
func (r *Reconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager, concurrency int) error {
	if err := indexOrgRefs(ctx, mgr); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		For(&assurancev1alpha1.DeviceAssurancePolicy{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&assurancev1alpha1.OktaOrg{}, handler.EnqueueRequestsFromMapFunc(r.policiesUsingOktaOrg),
			builder.WithPredicates(outcome.OrgReadinessChanged)).
		Watches(&assurancev1alpha1.ClusterOktaOrg{}, handler.EnqueueRequestsFromMapFunc(r.policiesUsingClusterOktaOrg),
			builder.WithPredicates(outcome.OrgReadinessChanged)).
		Watches(&assurancev1alpha1.SignInRuleBinding{}, handler.EnqueueRequestsFromMapFunc(policiesOfBinding)).
		Watches(&assurancev1alpha1.DevicePostureCheck{}, handler.EnqueueRequestsFromMapFunc(r.policiesNamingCheck)).
		WithOptions(lifecycle.ControllerOptions(concurrency, r.MaxBackoff)).
		Named("deviceassurancepolicy")
	if r.DriftEvents != nil {
		b = b.WatchesRawSource(r.DriftEvents)
	}
	return b.Complete(r)
}
