package oktaorg

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
)

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs,verbs=get;list;watch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs/status;clusteroktaorgs/status,verbs=get;patch
// ClusterOktaOrg Secrets are read and watched in the operator's namespace
// only ("system", renamed by kustomize): a Role, not the ClusterRole. OktaOrg
// Secrets are read with direct GETs that each tenant grants (orgclient).
// +kubebuilder:rbac:groups="",namespace=system,resources=secrets,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconciler checks one kind of org connection, OktaOrg or ClusterOktaOrg.
// It writes status only: never spec, labels or annotations.
type Reconciler struct {
	kind     v1alpha1.OrgKind
	client   client.Client
	cache    *orgclient.Cache
	recorder events.EventRecorder
	opts     Options
	now      func() time.Time
}

// Reconcile checks the org and records the result in one status patch.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (_ ctrl.Result, retErr error) {
	obj, err := r.fetch(ctx, req.NamespacedName)
	if obj == nil || err != nil {
		return ctrl.Result{}, err
	}
	released, users, err := r.holdWhileUsed(ctx, obj)
	if released || err != nil {
		return ctrl.Result{}, err
	}
	org, err := r.cache.View(obj)
	if err != nil {
		return ctrl.Result{}, err
	}
	if err := r.cache.Claim(ctx, org); err != nil {
		return r.servedElsewhere(obj, err)
	}

	prev := org.Status.DeepCopy()
	patch := client.MergeFrom(obj.DeepCopyObject().(client.Object))
	var in statusInput
	defer func() {
		*org.Status = computeStatus(*prev, in)
		r.recordTransitions(ctx, obj, prev, org.Status)
		retErr = errors.Join(retErr, r.patchStatus(ctx, obj, patch, prev, org.Status))
	}()

	in = r.check(ctx, org)
	if len(users) > 0 {
		// Deleted but still used: keep serving the objects that must
		// delete their Okta objects through this org first.
		log.FromContext(ctx).Info("waiting for the objects that use this org before releasing it", "users", describeUsers(users))
		return ctrl.Result{RequeueAfter: inUseRecheck}, nil
	}
	return r.next(in.outcome)
}

// servedElsewhere leaves an org that another manager shard serves to that
// shard: its status is that shard's to write, and its Okta calls spend
// that shard's rate budget. The claim is looked at again once a Lease
// could have lapsed.
func (r *Reconciler) servedElsewhere(obj client.Object, err error) (ctrl.Result, error) {
	conflict, ok := orgclient.AsShardConflict(err)
	if !ok {
		return ctrl.Result{}, err
	}
	r.recorder.Eventf(obj, nil, corev1.EventTypeWarning, orgclient.ReasonServedByAnotherShard, "Check", "%s", conflict.Error())
	return ctrl.Result{RequeueAfter: shard.LeaseDuration}, nil
}

// fetch returns the org, or nil once it is deleted (and then forgets its client).
func (r *Reconciler) fetch(ctx context.Context, key types.NamespacedName) (client.Object, error) {
	obj, err := orgclient.NewObject(r.kind)
	if err != nil {
		return nil, err
	}
	err = r.client.Get(ctx, key, obj)
	if apierrors.IsNotFound(err) {
		r.cache.Forget(r.kind, key)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return obj, nil
}

// check builds (or reuses) the org's client and makes one cheap
// authenticated call with it.
func (r *Reconciler) check(ctx context.Context, org orgclient.Org) statusInput {
	in := statusInput{generation: org.Generation, now: metav1.NewTime(r.now())}
	api, err := r.cache.Client(ctx, org)
	if err == nil {
		// An Okta admin may have granted since a scope Okta refused before.
		r.cache.RelearnScopes(org)
		err = r.probe(ctx, api)
		in.rateLimits = api.RateLimits()
	}
	in.outcome = classify(err, org, in.now.Time)
	if in.outcome.ready() {
		in.scopes, in.capabilities = r.learned(org)
	}
	return in
}

// learned is what the org's client learned of its OAuth scopes and its
// admin role: the granted scopes (none for an API token, whose admin's role
// decides everything) and what the org can serve.
func (r *Reconciler) learned(org orgclient.Org) ([]string, []v1alpha1.OrgCapability) {
	denials := r.cache.AccessDenials(org)
	if org.Spec.OAuth == nil {
		return nil, capabilitiesOf(org, okta.Grants{}, denials, r.logsRead(org))
	}
	grants, ok := r.cache.Grants(org)
	if !ok {
		return nil, nil
	}
	return grants.Granted, capabilitiesOf(org, grants, denials, r.logsRead(org))
}

// logsRead says whether the System Log watcher reads the org's log: not
// when the manager runs without it, nor when the org turns it off.
func (r *Reconciler) logsRead(org orgclient.Org) bool {
	return !r.opts.DriftWatchOff && !v1alpha1.DriftDetectionTurnedOff(org.Spec)
}

// probe lists the device assurance policies: one request (the endpoint is
// not paginated, unlike ListPolicies, which follows every page whatever the
// limit), and it needs the very scope the operator works with.
func (r *Reconciler) probe(ctx context.Context, api okta.API) error {
	ctx, cancel := context.WithTimeout(ctx, r.opts.ProbeTimeout)
	defer cancel()
	_, err := api.ListDeviceAssurances(ctx)
	return err
}

// next turns the outcome into the controller's next step.
func (r *Reconciler) next(o outcome) (ctrl.Result, error) {
	switch o.action {
	case actionRecheck, actionStallRecheck:
		return ctrl.Result{RequeueAfter: jitter(r.opts.CheckInterval)}, nil
	case actionStallSecretRecheck:
		return ctrl.Result{RequeueAfter: jitter(r.opts.SecretRecheckInterval)}, nil
	case actionRetryAt:
		return ctrl.Result{RequeueAfter: o.retryAfter + jitter(time.Second)}, nil
	case actionBackoff:
		return ctrl.Result{}, o.err
	default: // actionStall: the org watch (and, for a ClusterOktaOrg, the Secret watch) brings the fix
		return ctrl.Result{}, nil
	}
}

// jitter spreads periodic checks of many orgs: d plus up to 10%.
func jitter(d time.Duration) time.Duration {
	return d + rand.N(d/10+1) //nolint:gosec // timing jitter, not security
}

// patchStatus sends the pass's one status patch, unless nothing changed.
func (r *Reconciler) patchStatus(ctx context.Context, obj client.Object, patch client.Patch, prev, next *v1alpha1.OktaOrgStatus) error {
	if equality.Semantic.DeepEqual(prev, next) {
		return nil
	}
	return client.IgnoreNotFound(r.client.Status().Patch(ctx, obj, patch))
}

// recordTransitions logs and records an event when Ready changes, and one
// for each change of what the org can serve. Messages come from classify
// and capabilitiesOf, which never include a credential.
func (r *Reconciler) recordTransitions(ctx context.Context, obj client.Object, prev, next *v1alpha1.OktaOrgStatus) {
	if t, ok := transition(prev.Conditions, next.Conditions); ok {
		log.FromContext(ctx).Info("Ready changed", "reason", t.reason, "message", t.note)
		r.recorder.Eventf(obj, nil, t.eventType, t.reason, "Check", "%s", t.note)
	}
	for _, t := range capabilityEvents(prev.Capabilities, next.Capabilities) {
		log.FromContext(ctx).Info("capability changed", "reason", t.reason, "message", t.note)
		r.recorder.Eventf(obj, nil, t.eventType, t.reason, "Check", "%s", t.note)
	}
}
